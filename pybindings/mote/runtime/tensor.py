"""Tensor descriptions (TensorSpec) built from libmote's mote_tensor_info."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._ffi import ffi

# index = mote_dtype value (equal to the schema's DType)
_DTYPES = (np.float32, np.float16, np.int8, np.uint8, np.int16, np.int32, np.int64, np.bool_)


def numpy_dtype(mote_dtype: int) -> np.dtype:
    if not 0 <= mote_dtype < len(_DTYPES):
        raise ValueError(f"unknown mote dtype {mote_dtype}")
    return np.dtype(_DTYPES[mote_dtype])


@dataclass(frozen=True)
class Quantization:
    """real = scale * (q - zero_point); per tensor (axis None) or per channel along `axis`."""

    scales: tuple[float, ...]
    zero_points: tuple[int, ...]
    axis: int | None = None

    @property
    def per_tensor(self) -> bool:
        return self.axis is None


@dataclass(frozen=True)
class TensorSpec:
    """One model input or output: name, static shape, numpy dtype, quantization or None."""

    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    quantization: Quantization | None = None

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def __str__(self) -> str:
        q = ""
        if self.quantization is not None:
            qp = self.quantization
            q = (f" q(scale={qp.scales[0]:g}, zp={qp.zero_points[0]})" if qp.per_tensor
                 else f" q(per-axis {qp.axis}, {len(qp.scales)} scales)")
        return f"{self.name}: {self.shape} {self.dtype.name}{q}"


def spec_from_info(info: Any) -> tuple[TensorSpec, int]:
    """TensorSpec and byte size from a filled mote_tensor_info."""
    name = ffi.string(info.name).decode("utf-8", "replace") if info.name != ffi.NULL else ""
    shape = tuple(int(info.shape[i]) for i in range(info.rank))
    quant = None
    if info.quant_count > 0:
        n = int(info.quant_count)
        quant = Quantization(
            scales=tuple(float(info.quant_scales[i]) for i in range(n)),
            zero_points=tuple(int(info.quant_zero_points[i]) for i in range(n)),
            axis=None if info.quant_axis < 0 else int(info.quant_axis),
        )
    return TensorSpec(name, shape, numpy_dtype(int(info.dtype)), quant), int(info.byte_size)
