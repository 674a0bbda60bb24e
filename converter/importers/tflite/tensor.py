"""TFLite shape and data-movement ops, and the constant-only ops of shape arithmetic."""

from __future__ import annotations

import numpy as np

from .context import OpContext


def _reshape_to(ctx: OpContext, x: str, target: list[int]) -> None:
    total = int(np.prod(ctx.shape(x)))
    if target.count(-1) > 1:
        raise ctx.error(f"new shape {target} has more than one -1")
    if -1 in target:
        known = int(np.prod([d for d in target if d != -1]))
        if known == 0 or total % known:
            raise ctx.error(f"cannot reshape {ctx.shape(x)} to {target}")
        target[target.index(-1)] = total // known
    if int(np.prod(target)) != total:
        raise ctx.error(f"cannot reshape {ctx.shape(x)} to {target}")
    ctx.emit("Reshape", [x], ctx.out(), shape=tuple(target))


def reshape(ctx: OpContext) -> None:
    x, shape = ctx.x(0), ctx.inp(1)
    if shape is not None:
        target = ctx.ints(1, "new shape")
    elif ctx.opt("newShape") is not None:
        target = [int(d) for d in ctx.opt("newShape")]
    else:
        raise ctx.error("no new shape (neither a shape input nor new_shape)")
    _reshape_to(ctx, x, target)


def squeeze(ctx: OpContext) -> None:
    x = ctx.x(0)
    s = ctx.shape(x)
    dims = ctx.opt("squeezeDims")
    axes = {i for i, d in enumerate(s) if d == 1} if dims is None or len(dims) == 0 else \
        {ctx.axis(a, len(s)) for a in dims}
    if any(s[a] != 1 for a in axes):
        raise ctx.error(f"cannot squeeze axes {sorted(axes)} of shape {s}")
    _reshape_to(ctx, x, [d for i, d in enumerate(s) if i not in axes])


def expand_dims(ctx: OpContext) -> None:
    x = ctx.x(0)
    s = list(ctx.shape(x))
    axis = ctx.ints(1, "axis")
    if len(axis) != 1:
        raise ctx.error(f"axis {axis} must be one value")
    s.insert(ctx.axis(axis[0], len(s) + 1), 1)
    _reshape_to(ctx, x, s)


def concatenation(ctx: OpContext) -> None:
    xs = [i for i in ctx.inputs if i is not None]
    axis = ctx.axis(ctx.opt("axis", 0), ctx.rank(xs[0]))
    if ctx.opt("fusedActivationFunction", 0):  # LiteRT's kernel refuses it; XNNPACK ignores it
        raise ctx.error("a fused activation on CONCATENATION is not supported (LiteRT refuses it)")
    ctx.emit("Concat", xs, ctx.out(), axis=axis, activation="NONE")


def pack(ctx: OpContext) -> None:
    xs = [i for i in ctx.inputs if i is not None]
    s = list(ctx.shape(xs[0]))
    axis = ctx.axis(ctx.opt("axis", 0), len(s) + 1)
    if all(ctx.const(x) is not None for x in xs):
        ctx.set_const_output(np.stack([ctx.const(x) for x in xs], axis=axis))
        return
    s.insert(axis, 1)
    parts = [ctx.emit("Reshape", [x], shape=tuple(s)) for x in xs]
    ctx.emit("Concat", parts, ctx.out(), axis=axis, activation="NONE")


def _paddings(ctx: OpContext, x: str) -> list[int]:
    p = ctx.require_const(ctx.x(1, "paddings"), "paddings").astype(np.int64)
    rank = ctx.rank(x)
    if p.shape != (rank, 2):
        raise ctx.error(f"paddings of shape {p.shape} for an input of rank {rank}")
    if (p < 0).any():
        raise ctx.error(f"negative paddings {p.tolist()}")
    return [int(v) for v in p[:, 0]] + [int(v) for v in p[:, 1]]


def pad(ctx: OpContext) -> None:
    x = ctx.x(0)
    value = 0.0
    if ctx.inp(2) is not None:  # PADV2
        value = float(ctx.require_const(ctx.inp(2), "constant value").reshape(-1)[0])
    ctx.emit("Pad", [x], ctx.out(), pads=tuple(_paddings(ctx, x)), mode="constant", value=value)


def mirror_pad(ctx: OpContext) -> None:
    x = ctx.x(0)
    pads = _paddings(ctx, x)
    if ctx.opt("mode", 0) == 0:
        mode = "reflect"
    elif max(pads, default=0) <= 1:
        mode = "edge"  # symmetric padding by at most one repeats the edge value
    else:
        raise ctx.error("SYMMETRIC mirror padding wider than 1 is not supported")
    ctx.emit("Pad", [x], ctx.out(), pads=tuple(pads), mode=mode, value=0.0)


def transpose(ctx: OpContext) -> None:
    x = ctx.x(0)
    perm = tuple(ctx.ints(1, "perm"))
    if sorted(perm) != list(range(ctx.rank(x))):
        raise ctx.error(f"perm {perm} is not a permutation of the input's {ctx.rank(x)} axes")
    ctx.emit("Transpose", [x], ctx.out(), perm=perm)


def dequantize(ctx: OpContext) -> None:
    x = ctx.x(0)
    t = ctx.graph.tensor(x)
    value = ctx.const(x)
    if t.dtype == np.float16:
        if value is None:
            raise ctx.error("DEQUANTIZE of a run-time float16 tensor is not supported")
        ctx.set_const_output(value.astype(np.float32))  # fp16-stored weights: float32 at convert time
        return
    if t.dtype not in (np.int8, np.uint8) or t.quant is None:
        raise ctx.error(f"DEQUANTIZE of a {t.dtype} tensor without quantization parameters")
    if value is not None:  # int8-stored weights of a float model: float32 at convert time
        q = t.quant
        shape = [1] * value.ndim
        if not q.per_tensor:
            shape[q.axis] = -1
        scale, zp = q.scale.reshape(shape), q.zero_point.reshape(shape)
        ctx.set_const_output(((value.astype(np.int64) - zp) * scale.astype(np.float32)).astype(np.float32))
        return
    ctx.emit("Dequantize", [x], ctx.out())


def quantize(ctx: OpContext) -> None:
    to = ctx.out_dtype()
    if to not in (np.int8, np.uint8):
        raise ctx.error(f"QUANTIZE to {to} is not supported (int8 and uint8 are)")
    ctx.emit("Quantize", [ctx.x(0)], ctx.out(), to=to)


def shape(ctx: OpContext) -> None:
    dtype = np.int64 if ctx.opt("outType", 2) == 4 else np.int32
    ctx.set_const_output(np.array(ctx.shape(ctx.x(0)), dtype))


HANDLERS = {
    "RESHAPE": reshape,
    "SQUEEZE": squeeze,
    "EXPAND_DIMS": expand_dims,
    "CONCATENATION": concatenation,
    "PACK": pack,
    "PAD": pad,
    "PADV2": pad,
    "MIRROR_PAD": mirror_pad,
    "TRANSPOSE": transpose,
    "DEQUANTIZE": dequantize,
    "QUANTIZE": quantize,
    "SHAPE": shape,
}
