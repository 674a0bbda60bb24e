"""A model's metadata (converter_version, source_digest, ...) as a dict, read through libmote."""

from __future__ import annotations

from typing import Any

from ._ffi import ffi


def load_metadata(lib: Any, model: Any) -> dict[str, str]:
    """Every metadata entry of a loaded model, in file order."""
    key, value = ffi.new("const char**"), ffi.new("const char**")
    out: dict[str, str] = {}
    for i in range(lib.mote_model_metadata_count(model)):
        if lib.mote_model_metadata_at(model, i, key, value) == 0:
            out[ffi.string(key[0]).decode("utf-8", "replace")] = ffi.string(value[0]).decode("utf-8", "replace")
    return out
