"""TFLite elementwise, activation, softmax, matmul and reduction ops."""

from __future__ import annotations

import numpy as np

from .context import OpContext


def _binary(op: str):
    def handler(ctx: OpContext) -> None:
        ctx.emit_fused(op, [ctx.x(0), ctx.x(1)], ctx.opt("fusedActivationFunction", 0))
    handler.__name__ = op
    return handler


def _plain_binary(op: str):
    def handler(ctx: OpContext) -> None:
        ctx.emit(op, [ctx.x(0), ctx.x(1)], ctx.out())
    handler.__name__ = op
    return handler


def _unary(op: str, **attrs):
    def handler(ctx: OpContext) -> None:
        ctx.emit(op, [ctx.x(0)], ctx.out(), **attrs)
    handler.__name__ = op
    return handler


def squared_difference(ctx: OpContext) -> None:
    d = ctx.emit("Sub", [ctx.x(0), ctx.x(1)])
    ctx.emit("Mul", [d, d], ctx.out())


def square(ctx: OpContext) -> None:
    ctx.emit("Mul", [ctx.x(0), ctx.x(0)], ctx.out())


def leaky_relu(ctx: OpContext) -> None:
    ctx.emit("LeakyRelu", [ctx.x(0)], ctx.out(), alpha=float(ctx.opt("alpha", 0.0)))


def gelu(ctx: OpContext) -> None:
    ctx.emit("Gelu", [ctx.x(0)], ctx.out(), approximate=bool(ctx.opt("approximate", False)))


def softmax(ctx: OpContext) -> None:
    x = ctx.x(0)
    beta = float(np.float32(ctx.opt("beta", 1.0)))
    if ctx.graph.tensor(x).dtype == np.int8:  # the int8 kernel takes beta itself
        ctx.emit("Softmax", [x], ctx.out(), axis=ctx.rank(x) - 1, beta=beta)
        return
    if beta != 1.0:  # softmax(beta * x): scale first, as TFLite's kernel does
        x = ctx.emit("Mul", [x, ctx.add_const(np.float32(beta), f"{ctx.out()}_beta")])
    ctx.emit("Softmax", [x], ctx.out(), axis=ctx.rank(x) - 1)


def log_softmax(ctx: OpContext) -> None:
    """x - max - log(sum(exp(x - max))) over the last axis, the stable form LiteRT computes."""
    x = ctx.x(0)
    axes = (ctx.rank(x) - 1,)
    shifted = ctx.emit("Sub", [x, ctx.emit("ReduceMax", [x], axes=axes, keepdims=True)])
    total = ctx.emit("ReduceSum", [ctx.emit("Exp", [shifted])], axes=axes, keepdims=True)
    ctx.emit("Sub", [shifted, ctx.emit("Log", [total])], ctx.out())


def batch_matmul(ctx: OpContext) -> None:
    ctx.emit("MatMul", [ctx.x(0), ctx.x(1)], ctx.out(), adj_a=bool(ctx.opt("adjX", False)),
             adj_b=bool(ctx.opt("adjY", False)))


def reduce_axes(ctx: OpContext) -> tuple[str, tuple[int, ...], bool]:
    x = ctx.x(0)
    rank = ctx.rank(x)
    axes = tuple(sorted({ctx.axis(a, rank) for a in ctx.ints(1, "axes")}))
    return x, axes, bool(ctx.opt("keepDims", False))


def _reduce(op: str):
    def handler(ctx: OpContext) -> None:
        x, axes, keep = reduce_axes(ctx)
        if not axes:  # TFLite reduces over nothing: a copy
            ctx.emit("Identity", [x], ctx.out())
            return
        ctx.emit(op, [x], ctx.out(), axes=axes, keepdims=keep)
    handler.__name__ = op
    return handler


def _arg(op: str):
    def handler(ctx: OpContext) -> None:
        x = ctx.x(0)
        axis = ctx.ints(1, "axis")
        if len(axis) != 1:
            raise ctx.error(f"axis {axis} must be one value")
        idx = ctx.emit(op, [x], axis=ctx.axis(axis[0], ctx.rank(x)), keepdims=False, select_last_index=False)
        want = np.dtype(np.int64 if ctx.opt("outputType", 4) == 4 else np.int32)
        if ctx.graph.tensor(idx).dtype == want:
            ctx.emit("Identity", [idx], ctx.out())
        else:
            ctx.emit("Cast", [idx], ctx.out(), to=want.name)
    handler.__name__ = op
    return handler


def cast(ctx: OpContext) -> None:
    ctx.emit("Cast", [ctx.x(0)], ctx.out(), to=ctx.out_dtype().name)


def select(ctx: OpContext) -> None:
    ctx.emit("Where", [ctx.x(0), ctx.x(1), ctx.x(2)], ctx.out())


HANDLERS = {
    "ADD": _binary("Add"),
    "SUB": _binary("Sub"),
    "MUL": _binary("Mul"),
    "DIV": _binary("Div"),
    "SQUARED_DIFFERENCE": squared_difference,
    "SQUARE": square,
    "RELU": _unary("Relu"),
    "RELU6": _unary("Clip", min=0.0, max=6.0),
    "RELU_N1_TO_1": _unary("Clip", min=-1.0, max=1.0),
    "RELU_0_TO_1": _unary("Clip", min=0.0, max=1.0),
    "LOGISTIC": _unary("Sigmoid"),
    "TANH": _unary("Tanh"),
    "HARD_SWISH": _unary("HardSwish"),
    "LEAKY_RELU": leaky_relu,
    "GELU": gelu,
    "SOFTMAX": softmax,
    "LOG_SOFTMAX": log_softmax,
    "BATCH_MATMUL": batch_matmul,
    "MEAN": _reduce("ReduceMean"),
    "SUM": _reduce("ReduceSum"),
    "REDUCE_MAX": _reduce("ReduceMax"),
    "REDUCE_MIN": _reduce("ReduceMin"),
    "REDUCE_PROD": _reduce("ReduceProd"),
    "ARG_MAX": _arg("ArgMax"),
    "ARG_MIN": _arg("ArgMin"),
    **{tfl: _unary(ir) for tfl, ir in (("EXP", "Exp"), ("LOG", "Log"), ("SQRT", "Sqrt"), ("RSQRT", "Rsqrt"),
                                        ("ABS", "Abs"), ("NEG", "Neg"), ("FLOOR", "Floor"), ("CEIL", "Ceil"),
                                        ("ROUND", "Round"), ("SIN", "Sin"), ("COS", "Cos"),
                                        ("LOGICAL_NOT", "Not"))},
    **{tfl: _plain_binary(ir) for tfl, ir in (("MAXIMUM", "Maximum"), ("MINIMUM", "Minimum"), ("POW", "Pow"),
                                               ("PRELU", "PRelu"), ("LESS", "Less"), ("LESS_EQUAL", "LessEqual"),
                                               ("GREATER", "Greater"), ("GREATER_EQUAL", "GreaterEqual"),
                                               ("EQUAL", "Equal"), ("NOT_EQUAL", "NotEqual"),
                                               ("LOGICAL_AND", "And"), ("LOGICAL_OR", "Or"))},
    "CAST": cast,
    "SELECT": select,
    "SELECT_V2": select,
}
