"""ONNX convolution, normalisation and pooling: Conv ConvTranspose BatchNormalization
InstanceNormalization LayerNormalization MaxPool AveragePool GlobalAveragePool GlobalMaxPool.
1-D variants run as 2-D with a unit height."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .context import NodeContext

_AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


def _spatial(ctx: NodeContext, nd: int, kernel_shape, strides, dilations, pads, auto_pad) -> dict:
    """Canonical 2-D spatial attributes; a 1-D op gets a unit leading spatial dim."""
    if nd not in (1, 2):
        raise ctx.error(f"{nd}-D spatial ops are not supported (only 1-D and 2-D)")
    if auto_pad not in _AUTO_PADS:
        raise ctx.error(f"unknown auto_pad '{auto_pad}'")
    strides = list(strides or [1] * nd)
    dilations = list(dilations or [1] * nd)
    pads = list(pads or [0] * (2 * nd))
    if nd == 1:
        strides, dilations, pads = [1] + strides, [1] + dilations, [0, pads[0], 0, pads[1]]
        kernel_shape = None if kernel_shape is None else [1] + list(kernel_shape)
    t, left, b, r = pads
    attrs = {"strides": tuple(strides), "dilations": tuple(dilations), "pads": (t, left, b, r), "auto_pad": auto_pad}
    if kernel_shape is not None:
        attrs["kernel"] = tuple(int(k) for k in kernel_shape)
    return attrs


def _as_2d(ctx: NodeContext, x: str) -> tuple[str, int]:
    shape = ctx.shape(x)
    if len(shape) == 3:
        return ctx.emit("Reshape", [x], shape=(shape[0], shape[1], 1, shape[2])), 1
    if len(shape) != 4:
        raise ctx.error(f"input rank {len(shape)} is not supported (only 3-D and 4-D)")
    return x, 2


def _emit_nd(ctx: NodeContext, op: str, nd: int, inputs: list, **attrs) -> None:
    if nd == 2:
        ctx.emit(op, inputs, ctx.out(), **attrs)
        return
    y = ctx.emit(op, inputs, **attrs)
    n, c, _, w = ctx.shape(y)
    ctx.emit("Reshape", [y], ctx.out(), shape=(n, c, w))


def Conv(ctx: NodeContext, x: str, w: str, b: str | None = None, *, auto_pad: str = "NOTSET",
         dilations: Sequence[int] | None = None, group: int = 1, kernel_shape: Sequence[int] | None = None,
         pads: Sequence[int] | None = None, strides: Sequence[int] | None = None) -> None:
    x4, nd = _as_2d(ctx, x)
    attrs = _spatial(ctx, nd, None, strides, dilations, pads, auto_pad)
    if nd == 1:
        wc = ctx.require_const(w, "1-D Conv weights")
        w = ctx.add_const(wc.reshape(wc.shape[0], wc.shape[1], 1, wc.shape[2]), f"{ctx.name}_weights")
    _emit_nd(ctx, "Conv", nd, [x4, w, b], group=int(group), activation="NONE", data_format="NCHW", **attrs)


def conv_transpose_pads(in_size: int, k: int, stride: int, dilation: int, pad: tuple[int, int], adj: int,
                        auto_pad: str, out_size: int | None) -> tuple[int, int, int]:
    """(pad_head, pad_tail, output_padding) for one spatial dim, by the ONNX rule (ONNX Runtime
    1.31 agrees): a given output size (or SAME's in·stride) fixes the total pad, split with the
    odd one at the tail for SAME_UPPER and at the head otherwise; an output larger than the
    natural one grows the output padding."""
    same = out_size is None and auto_pad in ("SAME_UPPER", "SAME_LOWER")
    if same:
        out_size = in_size * stride
    if out_size is None:
        return (0, 0, adj) if auto_pad == "VALID" else (pad[0], pad[1], adj)
    total = (in_size - 1) * stride + adj + dilation * (k - 1) + 1 - out_size
    if total < 0:
        if same:  # a kernel smaller than the stride: the natural size (ONNX Runtime, onnx shape inference)
            return 0, 0, adj
        if -total >= stride:
            raise ValueError(f"output_shape {out_size} is larger than input size {in_size} can give")
        return 0, 0, adj - total
    if auto_pad == "SAME_UPPER":
        return total // 2, total - total // 2, adj
    return total - total // 2, total // 2, adj


def ConvTranspose(ctx: NodeContext, x: str, w: str, b: str | None = None, *, auto_pad: str = "NOTSET",
                  dilations: Sequence[int] | None = None, group: int = 1, kernel_shape: Sequence[int] | None = None,
                  output_padding: Sequence[int] | None = None, output_shape: Sequence[int] | None = None,
                  pads: Sequence[int] | None = None, strides: Sequence[int] | None = None) -> None:
    x4, nd = _as_2d(ctx, x)
    attrs = _spatial(ctx, nd, None, strides, dilations, pads, auto_pad)
    wc = ctx.require_const(w, "ConvTranspose weights")
    if wc.ndim != nd + 2:
        raise ctx.error(f"weights {wc.shape} do not match a {nd}-D input")
    if nd == 1:
        wc = wc.reshape(wc.shape[0], wc.shape[1], 1, wc.shape[2])
    adj = [0] * (2 - nd) + [int(v) for v in (output_padding or [0] * nd)]
    out = None
    if output_shape is not None:
        out = [None] * (2 - nd) + [int(v) for v in list(output_shape)[-nd:]]
    in_hw = ctx.shape(x4)[2:]
    t, left, bt, r = attrs["pads"]
    try:
        resolved = [conv_transpose_pads(in_hw[i], wc.shape[2 + i], attrs["strides"][i], attrs["dilations"][i],
                                        ((t, bt), (left, r))[i], adj[i], auto_pad if i >= 2 - nd else "NOTSET",
                                        None if out is None else out[i]) for i in range(2)]
    except ValueError as e:
        raise ctx.error(str(e)) from None
    if any(p < 0 for p in resolved[0][:2] + resolved[1][:2]):
        raise ctx.error(f"negative pads {attrs['pads']}")
    _emit_nd(ctx, "ConvTranspose", nd, [x4, ctx.add_const(wc, f"{ctx.name}_weights"), b],
             strides=attrs["strides"], dilations=attrs["dilations"],
             pads=(resolved[0][0], resolved[1][0], resolved[0][1], resolved[1][1]),
             output_padding=(resolved[0][2], resolved[1][2]), group=int(group), activation="NONE",
             data_format="NCHW")


def InstanceNormalization(ctx: NodeContext, x: str, scale: str, bias: str, *, epsilon: float = 1e-5) -> None:
    shape = ctx.shape(x)
    if len(shape) < 2:
        raise ctx.error(f"input rank {len(shape)} (needs [N, C, ...])")
    if len(shape) == 4:
        ctx.emit("InstanceNorm", [x, scale, bias], ctx.out(), epsilon=float(epsilon), data_format="NCHW")
        return
    x4 = ctx.emit("Reshape", [x], shape=(shape[0], shape[1], 1, int(np.prod(shape[2:]))))
    y = ctx.emit("InstanceNorm", [x4, scale, bias], epsilon=float(epsilon), data_format="NCHW")
    ctx.emit("Reshape", [y], ctx.out(), shape=shape)


def LayerNormalization(ctx: NodeContext, x: str, scale: str, bias: str | None = None, *, axis: int = -1,
                       epsilon: float = 1e-5, stash_type: int = 1) -> None:
    if any(ctx.outputs[1:]):
        raise ctx.error("the Mean and InvStdDev outputs are not supported")
    shape = ctx.shape(x)
    if not -len(shape) <= axis < len(shape):
        raise ctx.error(f"axis {axis} out of range for rank {len(shape)}")
    axis %= len(shape)
    norm_shape = shape[axis:]
    ins = []
    for name in (scale, bias):
        c = ctx.const(name)
        if c is not None and c.shape != norm_shape:
            try:
                name = ctx.add_const(np.ascontiguousarray(np.broadcast_to(c, norm_shape)), f"{ctx.name}_param")
            except ValueError:
                raise ctx.error(f"scale/bias {c.shape} do not broadcast to the normalized shape {norm_shape}") \
                    from None
        ins.append(name)
    ctx.emit("LayerNorm", [x, *ins], ctx.out(), axis=axis, epsilon=float(epsilon))


def BatchNormalization(ctx: NodeContext, x: str, scale: str, bias: str, mean: str, var: str, *,
                       epsilon: float = 1e-5, momentum: float = 0.9, spatial: int = 1,
                       training_mode: int = 0) -> None:
    if training_mode or len(ctx.outputs) > 1:
        raise ctx.error("training-mode BatchNormalization is not supported")
    ctx.emit("BatchNormalization", [x, scale, bias, mean, var], ctx.out(), epsilon=float(epsilon))


def _pool(op: str):
    def handler(ctx: NodeContext, x: str, *, auto_pad: str = "NOTSET", ceil_mode: int = 0,
                dilations: Sequence[int] | None = None, kernel_shape: Sequence[int] = (),
                pads: Sequence[int] | None = None, strides: Sequence[int] | None = None,
                storage_order: int = 0, count_include_pad: int = 0) -> None:
        if len(ctx.outputs) > 1 and ctx.outputs[1]:
            raise ctx.error("MaxPool indices output is not supported")
        x4, nd = _as_2d(ctx, x)
        attrs = _spatial(ctx, nd, kernel_shape, strides, dilations, pads, auto_pad)
        _emit_nd(ctx, op, nd, [x4], ceil_mode=bool(ceil_mode), count_include_pad=bool(count_include_pad),
                 activation="NONE", data_format="NCHW", **attrs)
    handler.__name__ = op
    return handler


def GlobalAveragePool(ctx: NodeContext, x: str) -> None:
    ctx.emit("ReduceMean", [x], ctx.out(), axes=tuple(range(2, ctx.rank(x))), keepdims=True)


def GlobalMaxPool(ctx: NodeContext, x: str) -> None:
    x4, nd = _as_2d(ctx, x)
    _, _, h, w = ctx.shape(x4)
    _emit_nd(ctx, "MaxPool", nd, [x4], kernel=(h, w), strides=(1, 1), dilations=(1, 1), pads=(0, 0, 0, 0),
             auto_pad="NOTSET", ceil_mode=False, count_include_pad=False, activation="NONE", data_format="NCHW")


HANDLERS = {
    "Conv": Conv,
    "ConvTranspose": ConvTranspose,
    "BatchNormalization": BatchNormalization,
    "InstanceNormalization": InstanceNormalization,
    "LayerNormalization": LayerNormalization,
    "MaxPool": _pool("MaxPool"),
    "AveragePool": _pool("AveragePool"),
    "GlobalAveragePool": GlobalAveragePool,
    "GlobalMaxPool": GlobalMaxPool,
}
