"""Output shapes (and dtypes, where they differ from the first input's) of the data-movement,
reduction, comparison and index ops. Axes are already in stored order and non-negative."""

from __future__ import annotations

import numpy as np

from ..errors import ConversionError

Shape = tuple[int, ...]


def _broadcast(ins: list, attrs: dict) -> list[Shape]:
    try:
        return [tuple(np.broadcast_shapes(*[s for s in ins if s is not None]))]
    except ValueError:
        raise ConversionError(f"shapes {[s for s in ins if s is not None]} do not broadcast") from None


def _axis(axis: int, rank: int) -> int:
    a = axis + rank if axis < 0 else axis
    if not 0 <= a < max(rank, 1):
        raise ConversionError(f"axis {axis} out of range for rank {rank}")
    return a


def _arg(ins: list, attrs: dict) -> list[Shape]:
    s = ins[0]
    a = _axis(attrs["axis"], len(s))
    if attrs.get("keepdims", True):
        return [tuple(1 if i == a else d for i, d in enumerate(s))]
    return [tuple(d for i, d in enumerate(s) if i != a)]


def _split(ins: list, attrs: dict) -> list[Shape]:
    s = ins[0]
    a = _axis(attrs["axis"], len(s))
    sizes = [int(v) for v in attrs["sizes"]]
    if sum(sizes) != s[a] or any(v < 0 for v in sizes):
        raise ConversionError(f"split sizes {sizes} do not add up to dim {s[a]} of {s}")
    return [tuple(v if i == a else d for i, d in enumerate(s)) for v in sizes]


def slice_len(start: int, end: int, step: int) -> int:
    return max(0, -(-(end - start) // step)) if step > 0 else max(0, -(-(start - end) // -step))


def _slice(ins: list, attrs: dict) -> list[Shape]:
    s = ins[0]
    starts, ends, steps = attrs["starts"], attrs["ends"], attrs["steps"]
    if not len(starts) == len(ends) == len(steps) == len(s):
        raise ConversionError(f"slice starts/ends/steps must give every dim of {s}")
    return [tuple(slice_len(b, e, st) for b, e, st in zip(starts, ends, steps))]


def _gather(ins: list, attrs: dict) -> list[Shape]:
    s, idx = ins[0], ins[1]
    a = _axis(attrs["axis"], len(s))
    return [tuple(s[:a]) + tuple(idx) + tuple(s[a + 1:])]


def _tile(ins: list, attrs: dict) -> list[Shape]:
    m = attrs["multiples"]
    if len(m) != len(ins[0]):
        raise ConversionError(f"tile multiples {tuple(m)} do not match rank of {ins[0]}")
    return [tuple(d * int(k) for d, k in zip(ins[0], m))]


def _broadcast_to(ins: list, attrs: dict) -> list[Shape]:
    shape = tuple(int(d) for d in attrs["shape"])
    if np.broadcast_shapes(ins[0], shape) != shape:
        raise ConversionError(f"{ins[0]} does not broadcast to {shape}")
    return [shape]


def _topk(ins: list, attrs: dict) -> list[Shape]:
    s = ins[0]
    a = _axis(attrs["axis"], len(s))
    if not 0 <= attrs["k"] <= s[a]:
        raise ConversionError(f"TopK k={attrs['k']} is larger than dim {s[a]} of {s}")
    out = tuple(attrs["k"] if i == a else d for i, d in enumerate(s))
    return [out, out]


def _depth_space(to_space: bool):
    def fn(ins: list, attrs: dict) -> list[Shape]:
        s = ins[0]
        if len(s) != 4:
            raise ConversionError(f"expected a 4-D input, got {s}")
        b = int(attrs["block_size"])
        nhwc = attrs.get("data_format", "NCHW") == "NHWC"
        n, c, h, w = (s[0], s[3], s[1], s[2]) if nhwc else s
        if to_space:
            if c % (b * b):
                raise ConversionError(f"channels {c} not divisible by block_size² {b * b}")
            c, h, w = c // (b * b), h * b, w * b
        else:
            if h % b or w % b:
                raise ConversionError(f"H, W of {s} not divisible by block_size {b}")
            c, h, w = c * b * b, h // b, w // b
        return [(n, h, w, c) if nhwc else (n, c, h, w)]
    return fn


SHAPE_FNS = {
    **{op: _broadcast for op in ("Pow", "Minimum", "Maximum", "PRelu", "Equal", "NotEqual", "Less", "LessEqual",
                                 "Greater", "GreaterEqual", "And", "Or", "Where")},
    "ArgMax": _arg, "ArgMin": _arg,
    "Split": _split,
    "Slice": _slice,
    "Gather": _gather,
    "Tile": _tile,
    "BroadcastTo": _broadcast_to,
    "TopK": _topk,
    "DepthToSpace": _depth_space(True),
    "SpaceToDepth": _depth_space(False),
}

_BOOL = np.dtype(np.bool_)
_I64 = np.dtype(np.int64)

# op -> fn(input dtypes, attrs) -> output dtypes; ops not listed give every output the first input's dtype
DTYPE_FNS = {
    **{op: (lambda d, a: [_BOOL]) for op in ("Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual")},
    "ArgMax": lambda d, a: [_I64], "ArgMin": lambda d, a: [_I64],
    "TopK": lambda d, a: [d[0], _I64],
    "Where": lambda d, a: [d[1]],
    "Cast": lambda d, a: [np.dtype(a["to"])],
    "Quantize": lambda d, a: [np.dtype(a["to"])],
    "Dequantize": lambda d, a: [np.dtype(np.float32)],
}
