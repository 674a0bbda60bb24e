"""ONNX arithmetic and matrix ops: Add Sub Mul Div Pow Min Max Sum Mean PRelu Gemm MatMul."""

from __future__ import annotations

import numpy as np

from .context import NodeContext


def _binary(op: str):
    def handler(ctx: NodeContext, a: str, b: str) -> None:
        ctx.emit(op, [a, b], ctx.out())
    handler.__name__ = op
    return handler


def Pow(ctx: NodeContext, x: str, e: str) -> None:
    dtype = ctx.graph.tensor(x).dtype
    ec = ctx.const(e)
    if ec is not None and ec.size == 1 and dtype.kind == "f":
        v = float(ec.reshape(-1)[0])
        if np.broadcast_shapes(ctx.shape(x), ec.shape) == ctx.shape(x):  # the exponent does not grow x
            simple = {1.0: "Identity", 0.5: "Sqrt", -0.5: "Rsqrt", -1.0: "Reciprocal"}
            if v in simple:
                ctx.emit(simple[v], [x], ctx.out())
                return
            if v == 2.0:
                ctx.emit("Mul", [x, x], ctx.out())
                return
        e = ctx.add_const(ec.astype(dtype))
    elif ctx.graph.tensor(e).dtype != dtype:
        e = ctx.emit("Cast", [e], to=dtype.name)
    ctx.emit("Pow", [x, e], ctx.out())


def _variadic(op: str, mean: bool = False):
    def handler(ctx: NodeContext, *xs: str) -> None:
        if len(xs) == 1:
            ctx.emit("Identity", [xs[0]], ctx.out())
            return
        y = xs[0]
        for i, x in enumerate(xs[1:]):
            last = i == len(xs) - 2 and not mean
            y = ctx.emit(op, [y, x], ctx.out() if last else None)
        if mean:
            inv = np.asarray(1.0 / len(xs), ctx.graph.tensor(y).dtype)
            ctx.emit("Mul", [y, ctx.add_const(inv)], ctx.out())
    handler.__name__ = op
    return handler


def PRelu(ctx: NodeContext, x: str, slope: str) -> None:
    sc = ctx.const(slope)
    if sc is not None and sc.size == 1:
        ctx.emit("LeakyRelu", [x], ctx.out(), alpha=float(sc.reshape(-1)[0]))
        return
    ctx.emit("PRelu", [x, slope], ctx.out())


def _bias_vector(c: np.ndarray, n: int) -> np.ndarray | None:
    """C as a length-n bias if it broadcasts along rows only, else None."""
    if c.size == 1:
        return np.full(n, c.reshape(-1)[0], np.float32)
    if c.shape in ((n,), (1, n)):
        return c.reshape(n).astype(np.float32)
    return None


def Gemm(ctx: NodeContext, a: str, b: str, c: str | None = None, *, alpha: float = 1.0, beta: float = 1.0,
         transA: int = 0, transB: int = 0) -> None:
    bc, cc = ctx.const(b), ctx.const(c)
    if bc is not None and not transA:
        w = (bc if transB else bc.T) * np.float32(alpha)  # [out, in]
        bias = None if cc is None else _bias_vector(cc * np.float32(beta), w.shape[0])
        if c is None or bias is not None:
            bias_name = None if bias is None else ctx.add_const(bias, f"{ctx.name}_bias")
            ctx.emit("FullyConnected", [a, ctx.add_const(w.astype(np.float32), f"{ctx.name}_weights"), bias_name],
                     ctx.out())
            return
        y = ctx.emit("FullyConnected", [a, ctx.add_const(w.astype(np.float32), f"{ctx.name}_weights"), None])
    else:
        y = ctx.emit("MatMul", [a, b], adj_a=bool(transA), adj_b=bool(transB))
        if alpha != 1.0:
            y = ctx.emit("Mul", [y, ctx.add_const(np.float32(alpha))])
        if c is None:
            ctx.emit("Identity", [y], ctx.out())
            return
    if cc is not None:
        c_scaled = ctx.add_const((cc * np.float32(beta)).astype(np.float32))
    else:
        c_scaled = c if beta == 1.0 else ctx.emit("Mul", [c, ctx.add_const(np.float32(beta))])
    ctx.emit("Add", [y, c_scaled], ctx.out())


def MatMul(ctx: NodeContext, a: str, b: str) -> None:
    sa, sb = ctx.shape(a), ctx.shape(b)
    if len(sa) == 1:  # numpy rule: a vector is a row, the added dim is dropped afterwards
        a = ctx.emit("Reshape", [a], shape=(1, sa[0]))
    if len(sb) == 1:
        b = ctx.emit("Reshape", [b], shape=(sb[0], 1))
    bc = ctx.const(b)
    squeeze = len(sa) == 1 or len(sb) == 1
    out = None if squeeze else ctx.out()
    if bc is not None and bc.ndim == 2:
        w = ctx.add_const(np.ascontiguousarray(bc.T.astype(np.float32)), f"{ctx.name}_weights")
        y = ctx.emit("FullyConnected", [a, w, None], out)
    else:
        y = ctx.emit("MatMul", [a, b], out)
    if squeeze:
        ys = ctx.shape(y)
        keep = [d for i, d in enumerate(ys) if not ((len(sa) == 1 and i == len(ys) - 2) or
                                                     (len(sb) == 1 and i == len(ys) - 1))]
        ctx.emit("Reshape", [y], ctx.out(), shape=tuple(keep))


HANDLERS = {
    "Add": _binary("Add"),
    "Sub": _binary("Sub"),
    "Mul": _binary("Mul"),
    "Div": _binary("Div"),
    "Pow": Pow,
    "Min": _variadic("Minimum"),
    "Max": _variadic("Maximum"),
    "Sum": _variadic("Add"),
    "Mean": _variadic("Add", mean=True),
    "PRelu": PRelu,
    "Gemm": Gemm,
    "MatMul": MatMul,
}
