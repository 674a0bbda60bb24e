"""Read a .tflite file with the schema's object API and check what mote can take from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConversionError
from .. import model_file
from .schema import schema, type_names

IDENTIFIER = b"TFL3"

# TensorType -> numpy; the quantized types are refused before anything reads them
_NP_TYPES = {"FLOAT32": np.float32, "FLOAT16": np.float16, "FLOAT64": np.float64, "INT32": np.int32,
             "INT64": np.int64, "BOOL": np.bool_, "INT8": np.int8, "UINT8": np.uint8, "INT16": np.int16}
QUANTIZED_TYPES = ("INT8", "UINT8", "INT16", "INT4", "UINT4", "INT2")


def is_tflite(src: Any) -> bool:
    """Whether `src` (a path or bytes) is a TFLite model: the TFL3 identifier, or a .tflite name."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return bytes(src[4:8]) == IDENTIFIER
    if isinstance(src, (str, Path)):
        path = Path(src)
        if path.suffix.lower() in (".tflite", ".onnx"):
            return path.suffix.lower() == ".tflite"
        try:
            with open(path, "rb") as f:
                return f.read(8)[4:8] == IDENTIFIER
        except OSError:
            return False
    return False


def load(src: Any) -> tuple[Any, bytes]:
    """The unpacked ModelT and the file's bytes."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        raw, what = bytes(src), "the given data"
    else:
        path = model_file(src)
        raw, what = path.read_bytes(), f"'{path}'"
    s = schema()
    if len(raw) < 8:
        raise ConversionError(f"{what} is not a TFLite model (too short)")
    try:
        model = s.ModelT.InitFromObj(s.Model.GetRootAs(raw, 0))
    except Exception as e:  # noqa: BLE001  (a corrupt flatbuffer fails anywhere in the unpacking)
        raise ConversionError(f"{what} is not a readable TFLite model ({type(e).__name__}: {e})") from None
    if model.version != 3 or not model.subgraphs or model.operatorCodes is None:
        raise ConversionError(f"{what} is not a TFLite model mote can read (schema version {model.version}, "
                              f"{len(model.subgraphs or [])} subgraphs)")
    return model, raw


def type_name(t: Any) -> str:
    return type_names().get(t.type, f"type {t.type}")


def np_dtype(t: Any, tensor_name: str) -> np.dtype:
    dt = _NP_TYPES.get(type_name(t))
    if dt is None:
        raise ConversionError(f"tensor '{tensor_name}' has TFLite type {type_name(t)}, which mote does not support")
    return np.dtype(dt)


def shape_of(t: Any) -> tuple[int, ...]:
    shape = tuple(ints(t.shape))
    if any(not 0 <= d < 2**31 for d in shape):
        name = t.name.decode("utf-8", "replace") if isinstance(t.name, bytes) else t.name
        raise ConversionError(f"tensor '{name}' has shape {shape}: dims must lie in [0, 2^31)")
    return shape


def buffer_data(model: Any, raw: bytes, t: Any) -> bytes | None:
    """The bytes of a tensor's constant buffer, or None if it has none."""
    if t.buffer <= 0 or t.buffer >= len(model.buffers or []):
        return None
    b = model.buffers[t.buffer]
    if b.data is not None and len(b.data):
        return np.asarray(b.data, np.uint8).tobytes()
    if b.offset > 1:  # large models keep buffers after the flatbuffer, at absolute offsets
        if b.offset + b.size > len(raw):
            raise ConversionError(f"buffer {t.buffer} lies outside the file ({b.offset} + {b.size} > {len(raw)})")
        return raw[b.offset:b.offset + b.size]
    return None


def constant(model: Any, raw: bytes, t: Any, name: str) -> np.ndarray | None:
    data = buffer_data(model, raw, t)
    if data is None:
        return None
    dtype, shape = np_dtype(t, name), shape_of(t)
    count = int(np.prod(shape, dtype=np.int64))
    if count * dtype.itemsize != len(data):
        raise ConversionError(f"constant '{name}' of shape {shape} {type_name(t)} has {len(data)} bytes, "
                              f"expected {count * dtype.itemsize}")
    return np.frombuffer(data, dtype).reshape(shape).copy()


def quant_params(t: Any, name: str) -> Any:
    """The tensor's affine quantization as ir.QuantParams (None if it has none)."""
    from ...ir import QuantParams

    q = t.quantization
    if q is None or q.scale is None or len(q.scale) == 0:
        return None
    scale = np.asarray(q.scale, np.float32)
    zp = np.asarray(q.zeroPoint if q.zeroPoint is not None and len(q.zeroPoint) else np.zeros(len(scale)), np.int64)
    if zp.size == 1 and scale.size > 1:
        zp = np.repeat(zp, scale.size)
    if zp.size != scale.size:
        raise ConversionError(f"tensor '{name}' has {scale.size} scales but {zp.size} zero points")
    axis = int(q.quantizedDimension) if scale.size > 1 else -1
    return QuantParams(scale, zp, axis)


def is_quantized(t: Any) -> bool:
    q = t.quantization
    has_scale = q is not None and q.scale is not None and len(q.scale) > 0
    return type_name(t) in QUANTIZED_TYPES or (has_scale and type_name(t) not in ("FLOAT32", "FLOAT16"))


def ints(v: Any) -> list[int]:
    """A flatbuffer int vector (None, list or numpy array) as a list."""
    return [] if v is None else [int(x) for x in v]
