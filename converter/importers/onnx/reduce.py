"""ONNX reductions: ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd ReduceL2 (and, composed,
ReduceL1 ReduceSumSquare ReduceLogSum ReduceLogSumExp), ArgMax ArgMin.

Axes are an attribute before opset 18 (ReduceSum: 13) and an input from then on; with no
axes, every axis is reduced unless noop_with_empty_axes, which passes the input through.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .context import NodeContext


def _norm_axes(axes, rank: int) -> list[int]:
    return sorted(int(a) + rank if int(a) < 0 else int(a) for a in axes)


# source op -> (elementwise op before, IR reduction, elementwise op after)
_COMPOSED = {
    "ReduceMean": (None, "ReduceMean", None),
    "ReduceSum": (None, "ReduceSum", None),
    "ReduceMax": (None, "ReduceMax", None),
    "ReduceMin": (None, "ReduceMin", None),
    "ReduceProd": (None, "ReduceProd", None),
    "ReduceL2": (None, "ReduceL2", None),
    "ReduceL1": ("Abs", "ReduceSum", None),
    "ReduceSumSquare": ("Square", "ReduceSum", None),
    "ReduceLogSum": (None, "ReduceSum", "Log"),
}


def _bool_any_all(ctx: NodeContext, x: str, axes: list[int], keepdims: int, want_all: bool) -> None:
    """ReduceMax / ReduceMin of bools: any / all, counted in int32 (an empty set gives False / True)."""
    if want_all:
        x = ctx.emit("Not", [x])
    n = ctx.emit("ReduceSum", [ctx.emit("Cast", [x], to="int32")], axes=tuple(axes), keepdims=bool(keepdims))
    zero = ctx.add_const(np.zeros((), np.int32))
    ctx.emit("Equal" if want_all else "Greater", [n, zero], ctx.out())


def _reduce(ctx: NodeContext, x: str, axes: Sequence[int] | None, keepdims: int, noop: int) -> None:
    rank = ctx.rank(x)
    if ctx.graph.tensor(x).dtype == np.bool_ and ctx.op_type in ("ReduceMax", "ReduceMin") and \
            not (noop and not axes):
        _bool_any_all(ctx, x, _norm_axes(axes or range(rank), rank), keepdims, ctx.op_type == "ReduceMin")
        return
    if ctx.op_type == "ReduceLogSumExp":
        _log_sum_exp(ctx, x, axes, keepdims, noop)
        return
    pre, op, post = _COMPOSED[ctx.op_type]
    if pre == "Abs":
        x = ctx.emit("Abs", [x])
    elif pre == "Square":
        x = ctx.emit("Mul", [x, x])
    out = None if post else ctx.out()
    if axes is None or len(axes) == 0:
        if noop:  # the elementwise part still applies (ReduceL2 of one element is its |x|)
            y = ctx.emit("Abs" if op == "ReduceL2" else "Identity", [x], out)
            if post:
                ctx.emit(post, [y], ctx.out())
            return
        axes = range(rank)
    y = ctx.emit(op, [x], out, axes=tuple(_norm_axes(axes, rank)), keepdims=bool(keepdims))
    if post:
        ctx.emit(post, [y], ctx.out())


def _log_sum_exp(ctx: NodeContext, x: str, axes, keepdims: int, noop: int) -> None:
    rank = ctx.rank(x)
    if axes is None or len(axes) == 0:
        if noop:  # log(exp(x)) = x
            ctx.emit("Identity", [x], ctx.out())
            return
        axes = range(rank)
    ax = tuple(_norm_axes(axes, rank))
    m = ctx.emit("ReduceMax", [x], axes=ax, keepdims=True)  # shift by the max: no overflow
    s = ctx.emit("ReduceSum", [ctx.emit("Exp", [ctx.emit("Sub", [x, m])])], axes=ax, keepdims=True)
    if keepdims:
        ctx.emit("Add", [ctx.emit("Log", [s]), m], ctx.out())
        return
    y = ctx.emit("Add", [ctx.emit("Log", [s]), m])
    ctx.emit("Reshape", [y], ctx.out(), shape=tuple(d for i, d in enumerate(ctx.shape(x)) if i not in ax))


def _attr_axes(ctx: NodeContext, x: str, *, axes: Sequence[int] | None = None, keepdims: int = 1,
               noop_with_empty_axes: int = 0) -> None:
    _reduce(ctx, x, axes, keepdims, noop_with_empty_axes)


def _input_axes(ctx: NodeContext, x: str, axes: str | None = None, *, keepdims: int = 1,
                noop_with_empty_axes: int = 0) -> None:
    ax = None if axes is None else ctx.require_const(axes, f"{ctx.op_type} axes").reshape(-1).tolist()
    _reduce(ctx, x, ax, keepdims, noop_with_empty_axes)


def _arg(op: str):
    def handler(ctx: NodeContext, x: str, *, axis: int = 0, keepdims: int = 1, select_last_index: int = 0) -> None:
        rank = ctx.rank(x)
        if not -rank <= axis < rank:
            raise ctx.error(f"axis {axis} out of range for rank {rank}")
        ctx.emit(op, [x], ctx.out(), axis=axis % rank, keepdims=bool(keepdims),
                 select_last_index=bool(select_last_index))
    handler.__name__ = op
    return handler


HANDLERS = {
    "ReduceSum": {1: _attr_axes, 13: _input_axes},
    **{op: {1: _attr_axes, 18: _input_axes} for op in ("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
                                                       "ReduceL2", "ReduceL1", "ReduceSumSquare", "ReduceLogSum",
                                                       "ReduceLogSumExp")},
    "ArgMax": _arg("ArgMax"),
    "ArgMin": _arg("ArgMin"),
}
