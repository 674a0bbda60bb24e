"""ONNX indexing and data-movement ops: Split Slice Gather Expand Tile DepthToSpace SpaceToDepth
TopK, and ConstantOfShape / Range (folded when their inputs are constant, refused otherwise).

Index arithmetic (negative indices, clamping) is resolved here, so the IR carries the
explicit, full-rank form the mote schema wants."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...passes.shapes_data import slice_len
from .context import NodeContext


def _axis(ctx: NodeContext, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ctx.error(f"axis {axis} out of range for rank {rank}")
    return axis % rank


# ---- Split ---------------------------------------------------------------------------------

def _split(ctx: NodeContext, x: str, axis: int, sizes: Sequence[int] | None, n: int) -> None:
    shape = ctx.shape(x)
    a = _axis(ctx, axis, len(shape))
    if sizes is None:
        chunk = -(-shape[a] // n)
        sizes = [min(chunk, max(0, shape[a] - i * chunk)) for i in range(n)]
    sizes = [int(s) for s in sizes]
    if sum(sizes) != shape[a] or len(sizes) != n:
        raise ctx.error(f"split sizes {sizes} do not cut dim {shape[a]} of {shape} into {n} outputs")
    ctx.emit_multi("Split", [x], n, axis=a, sizes=tuple(sizes))


def Split_2(ctx: NodeContext, x: str, *, axis: int = 0, split: Sequence[int] | None = None) -> None:
    _split(ctx, x, axis, split, len(ctx.outputs))


def Split_13(ctx: NodeContext, x: str, split: str | None = None, *, axis: int = 0,
             num_outputs: int | None = None) -> None:
    sizes = None if split is None else ctx.require_const(split, "Split split").reshape(-1).tolist()
    _split(ctx, x, axis, sizes, len(ctx.outputs) if num_outputs is None else int(num_outputs))


# ---- Slice ---------------------------------------------------------------------------------

def resolve_slice(dim: int, start: int, end: int, step: int) -> tuple[int, int, int]:
    """ONNX Slice arithmetic for one axis: negatives count from the end, then clamp
    ([0, dim] forwards, [-1, dim - 1] backwards); empty results become (0, 0, 1)."""
    if step == 0:
        raise ValueError("slice step 0")
    start = start + dim if start < 0 else start
    end = end + dim if end < 0 else end
    if step > 0:
        start, end = min(max(start, 0), dim), min(max(end, 0), dim)
    else:
        start, end = min(max(start, -1), dim - 1), min(max(end, -1), dim - 1)
    if slice_len(start, end, step) == 0:
        return 0, 0, 1
    return start, end, step


def _slice(ctx: NodeContext, x: str, starts, ends, axes, steps) -> None:
    shape = ctx.shape(x)
    rank = len(shape)
    starts, ends = [int(v) for v in starts], [int(v) for v in ends]
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(v) for v in steps]
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise ctx.error(f"starts {starts}, ends {ends}, axes {axes}, steps {steps} differ in length")
    full = [(0, d, 1) for d in shape]
    seen = set()
    for b, e, a, st in zip(starts, ends, axes, steps):
        a = _axis(ctx, a, rank)
        if a in seen:
            raise ctx.error(f"axis {a} given twice")
        seen.add(a)
        if st == 0:
            raise ctx.error("slice step 0")
        full[a] = resolve_slice(shape[a], b, e, st)
    if all(f == (0, d, 1) for f, d in zip(full, shape)):
        ctx.emit("Identity", [x], ctx.out())
        return
    ctx.emit("Slice", [x], ctx.out(), starts=tuple(f[0] for f in full), ends=tuple(f[1] for f in full),
             steps=tuple(f[2] for f in full))


def Slice_1(ctx: NodeContext, x: str, *, starts: Sequence[int], ends: Sequence[int],
            axes: Sequence[int] | None = None) -> None:
    _slice(ctx, x, starts, ends, axes, None)


def Slice_10(ctx: NodeContext, x: str, starts: str, ends: str, axes: str | None = None,
             steps: str | None = None) -> None:
    def const(name, what):
        return None if name is None else ctx.require_const(name, f"Slice {what}").reshape(-1).tolist()
    _slice(ctx, x, const(starts, "starts"), const(ends, "ends"), const(axes, "axes"), const(steps, "steps"))


# ---- Gather, Expand, Tile ------------------------------------------------------------------

def Gather(ctx: NodeContext, x: str, indices: str, *, axis: int = 0) -> None:
    shape = ctx.shape(x)
    a = _axis(ctx, axis, len(shape))
    ic = ctx.const(indices)
    if ic is not None:
        if ic.size and (ic.min() < -shape[a] or ic.max() >= shape[a]):
            raise ctx.error(f"Gather indices {ic.reshape(-1).tolist()} out of range for dim {shape[a]}")
        indices = ctx.add_const(np.where(ic < 0, ic + shape[a], ic).astype(ic.dtype), f"{ctx.name}_indices")
    elif ctx.graph.tensor(indices).dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ctx.error(f"Gather indices of dtype {ctx.graph.tensor(indices).dtype} (int32/int64 only)")
    ctx.emit("Gather", [x, indices], ctx.out(), axis=a)


def Expand(ctx: NodeContext, x: str, shape: str) -> None:
    target = tuple(int(d) for d in ctx.require_const(shape, "Expand shape").reshape(-1))
    try:
        out = tuple(int(d) for d in np.broadcast_shapes(ctx.shape(x), target))
    except ValueError:
        raise ctx.error(f"cannot expand {ctx.shape(x)} to {target}") from None
    if out == ctx.shape(x):
        ctx.emit("Identity", [x], ctx.out())
    else:
        ctx.emit("BroadcastTo", [x], ctx.out(), shape=out)


def Tile(ctx: NodeContext, x: str, repeats: str) -> None:
    reps = tuple(int(r) for r in ctx.require_const(repeats, "Tile repeats").reshape(-1))
    if len(reps) != ctx.rank(x) or any(r < 0 for r in reps):
        raise ctx.error(f"Tile repeats {reps} do not fit rank {ctx.rank(x)}")
    if all(r == 1 for r in reps):
        ctx.emit("Identity", [x], ctx.out())
    else:
        ctx.emit("Tile", [x], ctx.out(), multiples=reps)


# ---- DepthToSpace, SpaceToDepth, TopK ------------------------------------------------------

def DepthToSpace(ctx: NodeContext, x: str, *, blocksize: int, mode: str = "DCR") -> None:
    if mode not in ("DCR", "CRD"):
        raise ctx.error(f"unknown mode '{mode}'")
    if ctx.rank(x) != 4:
        raise ctx.error(f"input rank {ctx.rank(x)} (only 4-D)")
    ctx.emit("DepthToSpace", [x], ctx.out(), block_size=int(blocksize), mode=mode, data_format="NCHW")


def SpaceToDepth(ctx: NodeContext, x: str, *, blocksize: int) -> None:
    if ctx.rank(x) != 4:
        raise ctx.error(f"input rank {ctx.rank(x)} (only 4-D)")
    ctx.emit("SpaceToDepth", [x], ctx.out(), block_size=int(blocksize), mode="DCR", data_format="NCHW")


def _topk(ctx: NodeContext, x: str, k: int, axis: int, largest: int) -> None:
    a = _axis(ctx, axis, ctx.rank(x))
    if not 0 <= k <= ctx.shape(x)[a]:
        raise ctx.error(f"k={k} is out of range for dim {ctx.shape(x)[a]}")
    ctx.emit_multi("TopK", [x], 2, k=int(k), axis=a, largest=bool(largest))


def TopK_1(ctx: NodeContext, x: str, *, k: int, axis: int = -1) -> None:
    _topk(ctx, x, k, axis, 1)


def TopK_10(ctx: NodeContext, x: str, k: str, *, axis: int = -1, largest: int = 1, sorted: int = 1) -> None:
    # sorted=0 leaves the order to the implementation: mote's sorted order is one
    _topk(ctx, x, int(ctx.require_const(k, "TopK K").reshape(-1)[0]), axis, largest)


def _needs_constants(ctx: NodeContext, *args: str | None, **attrs) -> None:
    raise ctx.error("all inputs must be constant (the op is evaluated at convert time)")


HANDLERS = {
    "Split": {1: Split_2, 13: Split_13},
    "Slice": {1: Slice_1, 10: Slice_10},
    "Gather": Gather,
    "Expand": Expand,
    "Tile": Tile,
    "DepthToSpace": DepthToSpace,
    "SpaceToDepth": SpaceToDepth,
    "TopK": {1: TopK_1, 10: TopK_10},
    "ConstantOfShape": _needs_constants,
    "Range": _needs_constants,
}
