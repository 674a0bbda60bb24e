"""A model's metadata (converter_version, source_digest, ...) as a dict.

libmote looks metadata up by key only, so the keys are listed by reading the
`metadata` vector of the (already verified) file directly: a few FlatBuffer
offsets, no generated code, so running a model never imports the converter.
"""

from __future__ import annotations

import mmap
import struct
from typing import Any

from ._ffi import ffi

# keys the converter writes; asked of libmote one by one if the file cannot be read
KNOWN_KEYS = ("converter_version", "source_digest", "source_format", "source_name", "opset",
              "quantization", "description")

_MODEL_METADATA_FIELD = 4  # Model: version, subgraphs, buffers, signatures, metadata, description


def _read_kv(buf: Any) -> dict[str, str]:
    u32 = struct.Struct("<I").unpack_from
    i32 = struct.Struct("<i").unpack_from
    u16 = struct.Struct("<H").unpack_from

    def field(table: int, index: int) -> int:
        vtable = table - i32(buf, table)[0]
        slot = 4 + 2 * index
        return u16(buf, vtable + slot)[0] if slot < u16(buf, vtable)[0] else 0

    def string(pos: int) -> str:
        n = u32(buf, pos)[0]
        return bytes(buf[pos + 4:pos + 4 + n]).decode("utf-8", "replace")

    root = u32(buf, 0)[0]
    off = field(root, _MODEL_METADATA_FIELD)
    if off == 0:
        return {}
    vec = root + off + u32(buf, root + off)[0]
    out: dict[str, str] = {}
    for i in range(u32(buf, vec)[0]):
        elem_at = vec + 4 + 4 * i
        elem = elem_at + u32(buf, elem_at)[0]
        koff, voff = field(elem, 0), field(elem, 1)
        if koff == 0:
            continue
        key = string(elem + koff + u32(buf, elem + koff)[0])
        out[key] = string(elem + voff + u32(buf, elem + voff)[0]) if voff else ""
    return out


def read_metadata(data: bytes | None, path: str | None) -> dict[str, str] | None:
    """Metadata of a verified .mote file given as bytes or a path; None if unreadable."""
    try:
        if data is not None:
            return _read_kv(memoryview(data))
        if path is not None:
            with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return _read_kv(mm)
    except (OSError, ValueError, struct.error, IndexError):
        return None
    return None


def metadata_via_c(lib: Any, model: Any) -> dict[str, str]:
    """The well-known keys, asked of libmote."""
    out = {}
    for key in KNOWN_KEYS:
        value = lib.mote_model_metadata(model, key.encode())
        if value != ffi.NULL:
            out[key] = ffi.string(value).decode("utf-8", "replace")
    return out


def load_metadata(lib: Any, model: Any, data: bytes | None, path: str | None) -> dict[str, str]:
    meta = read_metadata(data, path)
    return meta if meta is not None else metadata_via_c(lib, model)
