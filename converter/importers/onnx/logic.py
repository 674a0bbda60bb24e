"""ONNX comparisons, logic and dtype ops: Equal Less Greater LessOrEqual GreaterOrEqual Not And
Or Xor Where Cast CastLike IsNaN IsInf."""

from __future__ import annotations

import numpy as np
from onnx import helper

from .context import NodeContext

# the dtypes a mote tensor can have (runtime_c/schema/mote.fbs DType)
MOTE_DTYPES = tuple(np.dtype(t) for t in (np.float32, np.float16, np.int8, np.uint8, np.int16, np.int32, np.int64,
                                          np.bool_))


def _binary(op: str):
    def handler(ctx: NodeContext, a: str, b: str) -> None:
        ctx.emit(op, [a, b], ctx.out())
    handler.__name__ = op
    return handler


def Not(ctx: NodeContext, x: str) -> None:
    ctx.emit("Not", [x], ctx.out())


def Where(ctx: NodeContext, cond: str, a: str, b: str) -> None:
    ctx.emit("Where", [cond, a, b], ctx.out())


def _cast(ctx: NodeContext, x: str, dtype: np.dtype) -> None:
    if dtype not in MOTE_DTYPES:
        raise ctx.error(f"Cast to {dtype.name} is not supported (mote tensors are "
                        f"{', '.join(d.name for d in MOTE_DTYPES)})")
    if ctx.graph.tensor(x).dtype == dtype:
        ctx.emit("Identity", [x], ctx.out())
    else:
        ctx.emit("Cast", [x], ctx.out(), to=dtype.name)


def Cast(ctx: NodeContext, x: str, *, to: int, saturate: int = 1, round_mode: str = "up") -> None:
    _cast(ctx, x, np.dtype(helper.tensor_dtype_to_np_dtype(to)))


def CastLike(ctx: NodeContext, x: str, like: str, *, saturate: int = 1, round_mode: str = "up") -> None:
    _cast(ctx, x, ctx.graph.tensor(like).dtype)


def IsNaN(ctx: NodeContext, x: str) -> None:
    ctx.emit("NotEqual", [x, x], ctx.out())  # only NaN differs from itself


def IsInf(ctx: NodeContext, x: str, *, detect_negative: int = 1, detect_positive: int = 1) -> None:
    dtype = ctx.graph.tensor(x).dtype
    if detect_negative and detect_positive:
        ctx.emit("Equal", [ctx.emit("Abs", [x]), ctx.add_const(np.asarray(np.inf, dtype))], ctx.out())
    elif detect_negative or detect_positive:
        ctx.emit("Equal", [x, ctx.add_const(np.asarray(np.inf if detect_positive else -np.inf, dtype))], ctx.out())
    else:
        ctx.emit("Less", [x, ctx.add_const(np.asarray(-np.inf, dtype))], ctx.out())  # never true


HANDLERS = {
    "Equal": _binary("Equal"),
    "Less": _binary("Less"),
    "Greater": _binary("Greater"),
    "LessOrEqual": _binary("LessEqual"),
    "GreaterOrEqual": _binary("GreaterEqual"),
    "And": _binary("And"),
    "Or": _binary("Or"),
    "Xor": _binary("NotEqual"),
    "Not": Not,
    "Where": Where,
    "Cast": Cast,
    "CastLike": CastLike,
    "IsNaN": IsNaN,
    "IsInf": IsInf,
}
