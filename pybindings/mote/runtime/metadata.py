"""Read-only view of a model's metadata (converter_version, source_digest, ...)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Callable

from ._ffi import ffi

# keys the converter writes; looked up through the C API when the file
# cannot be enumerated
KNOWN_KEYS = ("converter_version", "source_digest", "source_format", "source_name",
              "quantization", "quantization_mode", "producer", "description")


def _keys_from_file(data: bytes) -> list[str] | None:
    """Every metadata key in a verified .mote file, using the generated schema reader."""
    try:
        from mote.converter.fbs.Model import Model as FbModel
    except ImportError:
        return None
    try:
        root = FbModel.GetRootAs(data, 0)
        keys = []
        for i in range(root.MetadataLength()):
            key = root.Metadata(i).Key()
            if key is not None:
                keys.append(key.decode("utf-8", "replace"))
        return keys
    except Exception:  # noqa: BLE001 - enumeration is best effort; lookups still work
        return None


class Metadata(Mapping[str, str]):
    """Mapping of metadata key -> value. Any key can be looked up; iteration lists
    the keys stored in the file (or the well-known keys present, if it cannot be read)."""

    def __init__(self, lib: Any, get_model: Callable[[], Any], read_bytes: Callable[[], bytes | None]):
        self._lib = lib
        self._get_model = get_model
        self._read_bytes = read_bytes
        self._keys: list[str] | None = None

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = self._lib.mote_model_metadata(self._get_model(), key.encode("utf-8"))
        if value == ffi.NULL:
            return default
        return ffi.string(value).decode("utf-8", "replace")

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def _key_list(self) -> list[str]:
        if self._keys is None:
            data = self._read_bytes()
            keys = _keys_from_file(data) if data is not None else None
            if keys is None:
                keys = [k for k in KNOWN_KEYS if self.get(k) is not None]
            self._keys = list(dict.fromkeys(keys))
        return self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._key_list())

    def __len__(self) -> int:
        return len(self._key_list())

    def __repr__(self) -> str:
        return f"Metadata({dict(self)!r})"
