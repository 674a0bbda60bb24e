"""ONNX activations and unary math: Relu Clip LeakyRelu Sigmoid Tanh HardSwish HardSigmoid Gelu
Mish Softplus Softsign Elu Selu Exp Log Sqrt Abs Neg Reciprocal Floor Ceil Round Erf Sin Cos."""

from __future__ import annotations

import numpy as np

from .context import NodeContext


def _unary(op: str):
    def handler(ctx: NodeContext, x: str) -> None:
        ctx.emit(op, [x], ctx.out())
    handler.__name__ = op
    return handler


def _clip_bound(v: float, default: float) -> float:
    # opset < 11 defaults are ±FLT_MAX: treat them as unbounded
    return default if abs(v) >= 3.4e38 else float(v)


def Clip_6(ctx: NodeContext, x: str, *, min: float = -3.4028234663852886e38, max: float = 3.4028234663852886e38) -> None:
    ctx.emit("Clip", [x], ctx.out(), min=_clip_bound(min, -np.inf), max=_clip_bound(max, np.inf))


def Clip_11(ctx: NodeContext, x: str, lo: str | None = None, hi: str | None = None) -> None:
    vmin = -np.inf if lo is None else float(ctx.require_const(lo, "Clip min"))
    vmax = np.inf if hi is None else float(ctx.require_const(hi, "Clip max"))
    ctx.emit("Clip", [x], ctx.out(), min=vmin, max=vmax)


def LeakyRelu(ctx: NodeContext, x: str, *, alpha: float = 0.01) -> None:
    ctx.emit("LeakyRelu", [x], ctx.out(), alpha=float(alpha))


def HardSigmoid(ctx: NodeContext, x: str, *, alpha: float = 0.2, beta: float = 0.5) -> None:
    ctx.emit("HardSigmoid", [x], ctx.out(), alpha=float(alpha), beta=float(beta))


def _elu_tail(ctx: NodeContext, x: str, alpha: float, gamma: float) -> None:
    """gamma · (relu(x) + alpha · (exp(min(x, 0)) − 1)): ELU / SELU from mote ops."""
    dtype = ctx.graph.tensor(x).dtype
    neg = ctx.emit("Minimum", [x, ctx.add_const(np.asarray(0, dtype))])
    em1 = ctx.emit("Sub", [ctx.emit("Exp", [neg]), ctx.add_const(np.asarray(1, dtype))])
    y = ctx.emit("Add", [ctx.emit("Relu", [x]), ctx.emit("Mul", [em1, ctx.add_const(np.asarray(alpha, dtype))])],
                 None if gamma != 1.0 else ctx.out())
    if gamma != 1.0:
        ctx.emit("Mul", [y, ctx.add_const(np.asarray(gamma, dtype))], ctx.out())


def Elu(ctx: NodeContext, x: str, *, alpha: float = 1.0) -> None:
    _elu_tail(ctx, x, float(alpha), 1.0)


def Selu(ctx: NodeContext, x: str, *, alpha: float = 1.67326319217681884765625,
         gamma: float = 1.05070102214813232421875) -> None:
    _elu_tail(ctx, x, float(alpha), float(gamma))


def Softsign(ctx: NodeContext, x: str) -> None:
    d = ctx.emit("Add", [ctx.emit("Abs", [x]), ctx.add_const(np.float32(1))], activation="NONE")
    ctx.emit("Div", [x, d], ctx.out(), activation="NONE")


def Gelu(ctx: NodeContext, x: str, *, approximate: str = "none") -> None:
    if approximate not in ("none", "tanh"):
        raise ctx.error(f"unknown approximate='{approximate}'")
    ctx.emit("Gelu", [x], ctx.out(), approximate=approximate == "tanh")


HANDLERS = {
    **{op: _unary(op) for op in ("Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Erf",
                                 "Softplus", "Mish", "Sin", "Cos")},
    "Softsign": Softsign,
    "Elu": Elu,
    "Selu": Selu,
    "Relu": _unary("Relu"),
    "Sigmoid": _unary("Sigmoid"),
    "Tanh": _unary("Tanh"),
    "HardSwish": _unary("HardSwish"),
    "Clip": {6: Clip_6, 11: Clip_11},
    "LeakyRelu": LeakyRelu,
    "HardSigmoid": HardSigmoid,
    "Gelu": Gelu,
}
