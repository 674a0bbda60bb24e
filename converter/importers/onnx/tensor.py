"""ONNX shape and data-movement ops: Reshape Flatten Squeeze Unsqueeze Concat Pad Transpose,
and Softmax LogSoftmax Identity Dropout."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .context import NodeContext
from .data import _axis


def _norm_axes(axes, rank: int) -> list[int]:
    return sorted(int(a) + rank if int(a) < 0 else int(a) for a in axes)


def Reshape(ctx: NodeContext, x: str, shape: str, *, allowzero: int = 0) -> None:
    target = [int(d) for d in ctx.require_const(shape, "Reshape shape")]
    in_shape = ctx.shape(x)
    if not allowzero:
        target = [in_shape[i] if d == 0 else d for i, d in enumerate(target)]
    if target.count(-1) > 1:
        raise ctx.error(f"shape {target} has more than one -1")
    if -1 in target:
        known = int(np.prod([d for d in target if d != -1]))
        total = int(np.prod(in_shape))
        if known == 0 or total % known:
            raise ctx.error(f"cannot reshape {in_shape} to {target}")
        target[target.index(-1)] = total // known
    ctx.emit("Reshape", [x], ctx.out(), shape=tuple(target))


def Flatten(ctx: NodeContext, x: str, *, axis: int = 1) -> None:
    s = ctx.shape(x)
    axis = axis + len(s) if axis < 0 else axis
    ctx.emit("Reshape", [x], ctx.out(), shape=(int(np.prod(s[:axis])), int(np.prod(s[axis:]))))


def _squeeze(ctx: NodeContext, x: str, axes) -> None:
    s = ctx.shape(x)
    axes = [i for i, d in enumerate(s) if d == 1] if axes is None else _norm_axes(axes, len(s))
    if any(s[a] != 1 for a in axes):
        raise ctx.error(f"cannot squeeze axes {axes} of shape {s}")
    ctx.emit("Reshape", [x], ctx.out(), shape=tuple(d for i, d in enumerate(s) if i not in axes))


def _unsqueeze(ctx: NodeContext, x: str, axes) -> None:
    s = list(ctx.shape(x))
    for a in _norm_axes(axes, len(s) + len(axes)):
        s.insert(a, 1)
    ctx.emit("Reshape", [x], ctx.out(), shape=tuple(s))


def Squeeze_1(ctx: NodeContext, x: str, *, axes: Sequence[int] | None = None) -> None:
    _squeeze(ctx, x, axes)


def Squeeze_13(ctx: NodeContext, x: str, axes: str | None = None) -> None:
    _squeeze(ctx, x, None if axes is None else ctx.require_const(axes, "Squeeze axes").tolist())


def Unsqueeze_1(ctx: NodeContext, x: str, *, axes: Sequence[int]) -> None:
    _unsqueeze(ctx, x, list(axes))


def Unsqueeze_13(ctx: NodeContext, x: str, axes: str) -> None:
    _unsqueeze(ctx, x, ctx.require_const(axes, "Unsqueeze axes").reshape(-1).tolist())


def Concat(ctx: NodeContext, *xs: str, axis: int) -> None:
    rank = ctx.rank(xs[0])
    ctx.emit("Concat", list(xs), ctx.out(), axis=axis + rank if axis < 0 else axis, activation="NONE")


def _pad(ctx: NodeContext, x: str, pads, mode: str, value: float) -> None:
    if mode not in ("constant", "reflect", "edge"):
        raise ctx.error(f"Pad mode '{mode}' is not supported")
    pads = [int(p) for p in pads]
    shape = ctx.shape(x)
    r = len(shape)
    if len(pads) != 2 * r:
        raise ctx.error(f"{len(pads)} pads for rank {r}")
    if any(p < 0 for p in pads):  # negative pads crop: a Slice first, then the positive part
        starts = tuple(max(0, -pads[i]) for i in range(r))
        ends = tuple(shape[i] - max(0, -pads[i + r]) for i in range(r))
        if any(e <= b for b, e in zip(starts, ends)):
            raise ctx.error(f"pads {pads} crop all of {shape}")
        pads = [max(0, p) for p in pads]
        x = ctx.emit("Slice", [x], None if any(pads) else ctx.out(), starts=starts, ends=ends, steps=(1,) * r)
        if not any(pads):
            return
    ctx.emit("Pad", [x], ctx.out(), pads=tuple(pads), mode=mode, value=float(value))


def Pad_2(ctx: NodeContext, x: str, *, pads: Sequence[int], mode: str = "constant", value: float = 0.0) -> None:
    _pad(ctx, x, pads, mode, value)


def Pad_11(ctx: NodeContext, x: str, pads: str, value: str | None = None, axes: str | None = None, *,
           mode: str = "constant") -> None:
    p = ctx.require_const(pads, "Pad pads").reshape(-1).tolist()
    v = 0.0 if value is None else float(ctx.require_const(value, "Pad value").reshape(-1)[0])
    if axes is not None:  # opset 18: pads only for the listed axes
        rank = ctx.rank(x)
        ax = _norm_axes(ctx.require_const(axes, "Pad axes").reshape(-1).tolist(), rank)
        full = [0] * (2 * rank)
        for i, a in enumerate(ax):
            full[a], full[a + rank] = p[i], p[i + len(ax)]
        p = full
    _pad(ctx, x, p, mode, v)


def Transpose(ctx: NodeContext, x: str, *, perm: Sequence[int] | None = None) -> None:
    rank = ctx.rank(x)
    perm = tuple(range(rank))[::-1] if perm is None else tuple(int(p) for p in perm)
    ctx.emit("Transpose", [x], ctx.out(), perm=perm)


def Softmax_1(ctx: NodeContext, x: str, *, axis: int = 1) -> None:
    # before opset 13 softmax works on the input coerced to 2-D at `axis`
    s = ctx.shape(x)
    axis = _axis(ctx, axis, len(s))
    if axis == len(s) - 1:
        ctx.emit("Softmax", [x], ctx.out(), axis=axis)
        return
    flat = ctx.emit("Reshape", [x], shape=(int(np.prod(s[:axis])), int(np.prod(s[axis:]))))
    y = ctx.emit("Softmax", [flat], axis=1)
    ctx.emit("Reshape", [y], ctx.out(), shape=tuple(s))


def Softmax_13(ctx: NodeContext, x: str, *, axis: int = -1) -> None:
    ctx.emit("Softmax", [x], ctx.out(), axis=_axis(ctx, axis, ctx.rank(x)))


def _log_softmax(ctx: NodeContext, x: str, axis: int, out: str) -> None:
    """x − max − log Σ exp(x − max), along one axis."""
    m = ctx.emit("ReduceMax", [x], axes=(axis,), keepdims=True)
    d = ctx.emit("Sub", [x, m])
    s = ctx.emit("ReduceSum", [ctx.emit("Exp", [d])], axes=(axis,), keepdims=True)
    ctx.emit("Sub", [d, ctx.emit("Log", [s])], out)


def LogSoftmax_1(ctx: NodeContext, x: str, *, axis: int = 1) -> None:
    s = ctx.shape(x)
    axis = _axis(ctx, axis, len(s))
    if axis == len(s) - 1:
        _log_softmax(ctx, x, axis, ctx.out())
        return
    flat = ctx.emit("Reshape", [x], shape=(int(np.prod(s[:axis])), int(np.prod(s[axis:]))))
    y = ctx.graph.unique_name(f"{ctx.name}_logsoftmax")
    _log_softmax(ctx, flat, 1, y)
    ctx.emit("Reshape", [y], ctx.out(), shape=tuple(s))


def LogSoftmax_13(ctx: NodeContext, x: str, *, axis: int = -1) -> None:
    _log_softmax(ctx, x, _axis(ctx, axis, ctx.rank(x)), ctx.out())


def Identity(ctx: NodeContext, x: str) -> None:
    ctx.emit("Identity", [x], ctx.out())


def Dropout(ctx: NodeContext, x: str, ratio: str | None = None, training_mode: str | None = None, *,
            seed: int = 0, is_test: int = 1) -> None:
    if training_mode is not None:
        tm = ctx.const(training_mode)
        if tm is None or bool(tm):
            raise ctx.error("training-mode Dropout is not supported")
    ctx.emit("Identity", [x], ctx.out())  # inference: dropout passes its input through


HANDLERS = {
    "Reshape": {5: Reshape},
    "Flatten": Flatten,
    "Squeeze": {1: Squeeze_1, 13: Squeeze_13},
    "Unsqueeze": {1: Unsqueeze_1, 13: Unsqueeze_13},
    "Concat": Concat,
    "Pad": {2: Pad_2, 11: Pad_11},
    "Transpose": Transpose,
    "Softmax": {1: Softmax_1, 13: Softmax_13},
    "LogSoftmax": {1: LogSoftmax_1, 13: LogSoftmax_13},
    "Identity": Identity,
    "Dropout": Dropout,
}
