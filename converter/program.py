"""The lowered model: mote tensors and ops, ready for the planner and the writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ConversionError
from .fbs.DType import DType

_DTYPES = {
    np.dtype(np.float32): DType.FLOAT32,
    np.dtype(np.float16): DType.FLOAT16,
    np.dtype(np.int8): DType.INT8,
    np.dtype(np.uint8): DType.UINT8,
    np.dtype(np.int16): DType.INT16,
    np.dtype(np.int32): DType.INT32,
    np.dtype(np.int64): DType.INT64,
    np.dtype(np.bool_): DType.BOOL,
}
NUMPY_OF = {v: k for k, v in _DTYPES.items()}


def dtype_code(dtype: np.dtype) -> int:
    try:
        return _DTYPES[np.dtype(dtype)]
    except KeyError:
        raise ConversionError(f"dtype {np.dtype(dtype)} has no mote equivalent") from None


@dataclass
class MTensor:
    name: str
    dtype: np.dtype
    shape: tuple[int, ...]
    data: np.ndarray | None = None
    arena_offset: int = -1
    quantization: dict[str, Any] | None = None  # {"scale": [...], "zero_point": [...], "axis": -1}

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) * np.dtype(self.dtype).itemsize


@dataclass
class MOp:
    opcode: str  # OpCode member name, e.g. "CONV_2D"
    inputs: list[int]  # -1: optional input absent
    outputs: list[int]
    options_type: str | None = None  # OpOptions member name, e.g. "Conv2DOptions"
    options: dict[str, Any] = field(default_factory=dict)  # schema field name -> value
    name: str = ""


@dataclass
class Program:
    name: str = "main"
    tensors: list[MTensor] = field(default_factory=list)
    ops: list[MOp] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    arena_size: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
