"""TFLite slicing, splitting, gathering and tiling: STRIDED_SLICE SLICE SPLIT SPLIT_V UNPACK
GATHER TILE BROADCAST_TO."""

from __future__ import annotations

from .context import OpContext


def _bit(mask: int, i: int) -> bool:
    return bool((mask >> i) & 1)


def _clamp(v: int, dim: int, step: int) -> int:
    lo, hi = (0, dim) if step > 0 else (-1, dim - 1)
    return min(max(v, lo), hi)


def strided_slice(ctx: OpContext) -> None:
    x = ctx.x(0)
    shape = ctx.shape(x)
    begin, end, strides = ctx.ints(1, "begin"), ctx.ints(2, "end"), ctx.ints(3, "strides")
    if ctx.opt("ellipsisMask", 0) or ctx.opt("newAxisMask", 0):
        raise ctx.error("STRIDED_SLICE with ellipsis_mask or new_axis_mask is not supported")
    if not len(begin) == len(end) == len(strides) <= len(shape):
        raise ctx.error(f"begin {begin}, end {end}, strides {strides} do not fit input {shape}")
    bm, em, sm = ctx.opt("beginMask", 0), ctx.opt("endMask", 0), ctx.opt("shrinkAxisMask", 0)
    starts, ends, steps, keep = [], [], [], []
    for i, dim in enumerate(shape):
        if i >= len(begin):
            starts.append(0), ends.append(dim), steps.append(1), keep.append(dim)
            continue
        step = strides[i]
        if step == 0:
            raise ctx.error(f"stride 0 on axis {i}")
        b = begin[i] + dim if begin[i] < 0 else begin[i]
        if _bit(sm, i):  # one element, the axis goes away
            if not 0 <= b < dim:
                raise ctx.error(f"index {begin[i]} out of range for axis {i} of {shape}")
            starts.append(b), ends.append(b + 1), steps.append(1)
            continue
        e = begin[i] + end[i] if ctx.opt("offset", False) else end[i]
        e = e + dim if e < 0 else e
        b = (0 if step > 0 else dim - 1) if _bit(bm, i) else _clamp(b, dim, step)
        e = (dim if step > 0 else -1) if _bit(em, i) else _clamp(e, dim, step)
        starts.append(b), ends.append(e), steps.append(step)
        keep.append(max(0, -(-(e - b) // step)))
    y = ctx.emit("Slice", [x], None if len(keep) != len(shape) else ctx.out(), starts=tuple(starts),
                 ends=tuple(ends), steps=tuple(steps))
    if len(keep) != len(shape):
        ctx.emit("Reshape", [y], ctx.out(), shape=tuple(keep))


def slice_(ctx: OpContext) -> None:
    x = ctx.x(0)
    shape = ctx.shape(x)
    begin, size = ctx.ints(1, "begin"), ctx.ints(2, "size")
    if not len(begin) == len(size) == len(shape):
        raise ctx.error(f"begin {begin} and size {size} do not fit input {shape}")
    ends = [d if n == -1 else b + n for b, n, d in zip(begin, size, shape)]
    if any(not 0 <= b <= e <= d for b, e, d in zip(begin, ends, shape)):
        raise ctx.error(f"slice begin {begin} size {size} reaches outside input {shape}")
    ctx.emit("Slice", [x], ctx.out(), starts=tuple(begin), ends=tuple(ends), steps=(1,) * len(shape))


def _split(ctx: OpContext, x: str, axis: int, sizes: list[int]) -> None:
    shape = ctx.shape(x)
    axis = ctx.axis(axis, len(shape))
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = shape[axis] - sum(v for v in sizes if v != -1)
    if sum(sizes) != shape[axis] or any(v < 0 for v in sizes) or len(sizes) != len(ctx.outputs):
        raise ctx.error(f"split sizes {sizes} do not divide axis {axis} of {shape} into {len(ctx.outputs)} parts")
    ctx.emit_n("Split", [x], list(ctx.outputs), axis=axis, sizes=tuple(sizes))


def split(ctx: OpContext) -> None:
    axis, x = ctx.ints(0, "axis"), ctx.x(1)
    n = int(ctx.opt("numSplits", len(ctx.outputs)))
    dim = ctx.shape(x)[ctx.axis(axis[0], ctx.rank(x))]
    if n <= 0 or dim % n:
        raise ctx.error(f"cannot split {dim} into {n} equal parts")
    _split(ctx, x, axis[0], [dim // n] * n)


def split_v(ctx: OpContext) -> None:
    _split(ctx, ctx.x(0), ctx.ints(2, "axis")[0], ctx.ints(1, "size_splits"))


def unpack(ctx: OpContext) -> None:
    x = ctx.x(0)
    shape = ctx.shape(x)
    axis = ctx.axis(ctx.opt("axis", 0), len(shape))
    if shape[axis] != len(ctx.outputs):
        raise ctx.error(f"UNPACK of axis {axis} of {shape} into {len(ctx.outputs)} outputs")
    parts = [ctx.graph.unique_name(f"{o}_part") for o in ctx.outputs]
    ctx.emit_n("Split", [x], parts, axis=axis, sizes=(1,) * shape[axis])
    kept = tuple(d for i, d in enumerate(shape) if i != axis)
    for part, out in zip(parts, ctx.outputs):
        ctx.emit("Reshape", [part], out, shape=kept)


def gather(ctx: OpContext) -> None:
    x, idx = ctx.x(0), ctx.x(1)
    if ctx.opt("batchDims", 0):
        raise ctx.error("GATHER with batch_dims is not supported")
    ctx.emit("Gather", [x, idx], ctx.out(), axis=ctx.axis(ctx.opt("axis", 0), ctx.rank(x)))


def tile(ctx: OpContext) -> None:
    ctx.emit("Tile", [ctx.x(0)], ctx.out(), multiples=tuple(ctx.ints(1, "multiples")))


def broadcast_to(ctx: OpContext) -> None:
    ctx.emit("BroadcastTo", [ctx.x(0)], ctx.out(), shape=tuple(ctx.ints(1, "shape")))


HANDLERS = {
    "STRIDED_SLICE": strided_slice,
    "SLICE": slice_,
    "SPLIT": split,
    "SPLIT_V": split_v,
    "UNPACK": unpack,
    "GATHER": gather,
    "TILE": tile,
    "BROADCAST_TO": broadcast_to,
}
