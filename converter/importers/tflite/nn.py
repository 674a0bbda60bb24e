"""TFLite convolution, pooling and fully connected ops. Activations are NHWC already, so the
spatial IR nodes carry data_format="NHWC" and the layout pass has nothing to convert."""

from __future__ import annotations

import numpy as np

from .context import OpContext

_PADDING = {0: "SAME_UPPER", 1: "VALID"}  # TFLite SAME puts the odd pad at the end


def _spatial(ctx: OpContext, dilated: bool = True) -> dict:
    padding = ctx.opt("padding", 0)
    if padding not in _PADDING:
        raise ctx.error(f"unknown padding {padding}")
    dil = _positive(ctx, "dilation", ctx.opt("dilationHFactor", 1), ctx.opt("dilationWFactor", 1)) if dilated \
        else (1, 1)
    return {"strides": _positive(ctx, "stride", ctx.opt("strideH", 1), ctx.opt("strideW", 1)), "dilations": dil,
            "pads": (0, 0, 0, 0), "auto_pad": _PADDING[padding], "data_format": "NHWC"}


def _positive(ctx: OpContext, what: str, *values: int) -> tuple[int, ...]:
    if any(not 1 <= int(v) < 2**16 for v in values):
        raise ctx.error(f"{what} {tuple(values)} out of range")
    return tuple(int(v) for v in values)


def _nhwc_input(ctx: OpContext) -> tuple[str, int]:
    x = ctx.x(0, "input")
    shape = ctx.shape(x)
    if len(shape) != 4:
        raise ctx.error(f"input of rank {len(shape)} (expected NHWC, rank 4)")
    return x, shape[3]


def _filter(ctx: OpContext) -> np.ndarray:
    w = ctx.require_const(ctx.x(1, "filter"), "the filter")
    if w.ndim != 4 or w.dtype not in (np.float32, np.int8):
        raise ctx.error(f"filter of shape {w.shape} {w.dtype} (expected 4-D float32, or int8 in an int8 model)")
    return w


def _relaid_filter(ctx: OpContext, data: np.ndarray, axis: int) -> str:
    """The filter in the IR's OIHW layout; int8 filters keep their quantization, per-channel
    scales moving to `axis` (the output channels)."""
    name = ctx.add_const(data, f"{ctx.inp(1)}_oihw")
    q = ctx.graph.tensor(ctx.inp(1)).quant
    if q is not None:
        ctx.graph.tensor(name).quant = q if q.per_tensor else q.with_axis(axis)
    return name


def conv_2d(ctx: OpContext) -> None:
    x, c = _nhwc_input(ctx)
    w = _filter(ctx)  # OHWI
    if c % w.shape[3]:
        raise ctx.error(f"filter {w.shape} does not divide the {c} input channels")
    oihw = _relaid_filter(ctx, np.ascontiguousarray(w.transpose(0, 3, 1, 2)), 0)
    ctx.emit_fused("Conv", [x, oihw, ctx.inp(2)], ctx.opt("fusedActivationFunction", 0),
                   group=c // w.shape[3], **_spatial(ctx))


def depthwise_conv_2d(ctx: OpContext) -> None:
    x, c = _nhwc_input(ctx)
    w = _filter(ctx)  # [1, KH, KW, C*m]
    if w.shape[0] != 1 or w.shape[3] % c:
        raise ctx.error(f"depthwise filter {w.shape} does not fit {c} input channels")
    oihw = np.ascontiguousarray(w[0].transpose(2, 0, 1)[:, None])  # [C*m, 1, KH, KW]
    ctx.emit_fused("Conv", [x, _relaid_filter(ctx, oihw, 0), ctx.inp(2)],
                   ctx.opt("fusedActivationFunction", 0), group=c, **_spatial(ctx))


def _pool(op: str):
    def handler(ctx: OpContext) -> None:
        x, _ = _nhwc_input(ctx)
        ctx.emit_fused(op, [x], ctx.opt("fusedActivationFunction", 0),
                       kernel=_positive(ctx, "filter size", ctx.opt("filterHeight", 1), ctx.opt("filterWidth", 1)),
                       ceil_mode=False,
                       count_include_pad=False, **_spatial(ctx, dilated=False))
    handler.__name__ = op
    return handler


def fully_connected(ctx: OpContext) -> None:
    if ctx.opt("weightsFormat", 0) != 0:
        raise ctx.error("shuffled FULLY_CONNECTED weights are not supported")
    x, w, b = ctx.x(0, "input"), ctx.x(1, "weights"), ctx.inp(2)
    ws, xs = ctx.shape(w), ctx.shape(x)
    if len(ws) != 2 or not xs or int(np.prod(xs)) % ws[1]:
        raise ctx.error(f"weights {ws} do not fit input {xs}")
    if not ctx.opt("keepNumDims", False) and len(xs) != 2:  # TFLite flattens to [-1, in]
        x = ctx.emit("Reshape", [x], shape=(int(np.prod(xs)) // ws[1], ws[1]))
    elif xs[-1] != ws[1]:
        raise ctx.error(f"weights {ws} do not fit input {xs}")
    act = ctx.opt("fusedActivationFunction", 0)
    if ctx.const(w) is not None:
        ctx.emit_fused("FullyConnected", [x, w, b], act)
        return
    # run-time weights (a matmul of two activations)
    if b is None:
        ctx.emit_fused("MatMul", [x, w], act, adj_a=False, adj_b=True)
        return
    y = ctx.emit("MatMul", [x, w], adj_a=False, adj_b=True)
    ctx.emit_fused("Add", [y, b], act)


HANDLERS = {
    "CONV_2D": conv_2d,
    "DEPTHWISE_CONV_2D": depthwise_conv_2d,
    "AVERAGE_POOL_2D": _pool("AveragePool"),
    "MAX_POOL_2D": _pool("MaxPool"),
    "FULLY_CONNECTED": fully_connected,
}


def transpose_conv(ctx: OpContext) -> None:
    """Inputs: output_shape, weights [O, KH, KW, C], x, bias?. TFLite chooses the pads as a forward
    conv from the output size would; mote wants them explicit, the remainder as output padding."""
    out_shape = ctx.ints(0, "output_shape")
    w = ctx.require_const(ctx.x(1, "weights"), "the weights")
    x = ctx.x(2, "input")
    xs = ctx.shape(x)
    if w.ndim != 4 or len(xs) != 4 or len(out_shape) != 4 or w.shape[3] != xs[3] or out_shape[3] != w.shape[0]:
        raise ctx.error(f"weights {w.shape}, input {xs} and output shape {out_shape} do not fit")
    strides = _positive(ctx, "stride", ctx.opt("strideH", 1), ctx.opt("strideW", 1))
    pads, extra = [], []
    for n_in, n_out, k, s in zip(xs[1:3], out_shape[1:3], w.shape[1:3], strides):
        fwd = -(-n_out // s) if ctx.opt("padding", 0) == 0 else (n_out + s - k) // s  # SAME / VALID
        before = max((fwd - 1) * s + k - n_out, 0) // 2
        after = (n_in - 1) * s + k - before - n_out
        pads.append((before, max(after, 0)))
        extra.append(max(-after, 0))
    if any(e >= s for e, s in zip(extra, strides)) or min(out_shape) <= 0:
        raise ctx.error(f"output shape {out_shape} does not follow from input {xs} at strides {strides}")
    if out_shape[0] != xs[0]:
        raise ctx.error(f"output shape {out_shape} does not keep the batch of input {xs}")
    wt = ctx.add_const(np.ascontiguousarray(w.transpose(3, 0, 1, 2)), f"{ctx.inp(1)}_cokk")  # ONNX [C, O, KH, KW]
    ctx.emit_fused("ConvTranspose", [x, wt, ctx.inp(3)], ctx.opt("fusedActivationFunction", 0),
                   strides=strides, dilations=(1, 1), pads=(pads[0][0], pads[1][0], pads[0][1], pads[1][1]),
                   output_padding=tuple(extra), group=1, data_format="NHWC")


def _resize(mode: str):
    def handler(ctx: OpContext) -> None:
        x, _ = _nhwc_input(ctx)
        size = ctx.ints(1, "size")
        if len(size) != 2 or min(size) <= 0:
            raise ctx.error(f"size {size} must be two positive values")
        align, half = bool(ctx.opt("alignCorners", False)), bool(ctx.opt("halfPixelCenters", False))
        if align and half:
            raise ctx.error("align_corners together with half_pixel_centers is not supported")
        if mode == "linear":
            coord = "align_corners" if align else "half_pixel" if half else "asymmetric"
            nearest = "floor"
        else:  # TFLite: floor(x * scale), round-half-up with align_corners, offset 0.5 with half pixels
            coord = "align_corners" if align else "tf_half_pixel_for_nn" if half else "asymmetric"
            nearest = "round_prefer_ceil" if align else "floor"
        ctx.emit("Resize", [x], ctx.out(), size=tuple(size), mode=mode, coordinate_transform=coord,
                 nearest_mode=nearest, cubic_coeff_a=-0.75, exclude_outside=False, extrapolation_value=0.0,
                 scale_h=0.0, scale_w=0.0, data_format="NHWC")
    handler.__name__ = f"resize_{mode}"
    return handler


def _depth_space(op: str):
    def handler(ctx: OpContext) -> None:
        x, _ = _nhwc_input(ctx)
        ctx.emit(op, [x], ctx.out(), block_size=int(ctx.opt("blockSize", 0)), mode="DCR", data_format="NHWC")
    handler.__name__ = op
    return handler


HANDLERS.update({
    "TRANSPOSE_CONV": transpose_conv,
    "RESIZE_BILINEAR": _resize("linear"),
    "RESIZE_NEAREST_NEIGHBOR": _resize("nearest"),
    "DEPTH_TO_SPACE": _depth_space("DepthToSpace"),
    "SPACE_TO_DEPTH": _depth_space("SpaceToDepth"),
})
