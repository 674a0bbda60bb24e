"""TFLite convolution, pooling, fully connected, resize, transposed convolution and depth/space
ops, built directly, against LiteRT. The layout pass leaves these channel-last nodes as
they are (imported NHWC, data_format="NHWC").
"""

from __future__ import annotations

import numpy as np
import pytest
from builder import ModelBuilder, options, s
from tflite_check import check

SAME, VALID = s.Padding.SAME, s.Padding.VALID
ACTS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


def _out(n: int, k: int, stride: int, dil: int, padding: int) -> int:
    eff = (k - 1) * dil + 1
    return -(-n // stride) if padding == SAME else (n - eff) // stride + 1


@pytest.mark.parametrize("padding", [SAME, VALID])
@pytest.mark.parametrize("stride,dil", [(1, 1), (2, 1), (1, 2)])
@pytest.mark.parametrize("act", ["NONE", "RELU6", "RELU_N1_TO_1"])
def test_conv_2d(rng, padding, stride, dil, act):
    h, w, c, o, k = 9, 8, 3, 5, 3
    b = ModelBuilder()
    b.input("x", (1, h, w, c))
    b.const("w", rng.standard_normal((o, k, k, c)).astype(np.float32))
    b.const("b", rng.standard_normal(o).astype(np.float32))
    oh, ow = _out(h, k, stride, dil, padding), _out(w, k, stride, dil, padding)
    b.op("CONV_2D", ["x", "w", "b"], [("y", (1, oh, ow, o))],
         options("Conv2DOptions", padding=padding, strideH=stride, strideW=stride, dilationHFactor=dil,
                 dilationWFactor=dil, fusedActivationFunction=ACTS[act]))
    b.output("y")
    check(b.build(), rng)


def test_conv_2d_batch_rectangular_kernel(rng):
    b = ModelBuilder()
    b.input("x", (2, 7, 6, 4))
    b.const("w", rng.standard_normal((6, 1, 3, 4)).astype(np.float32))
    b.const("b", rng.standard_normal(6).astype(np.float32))
    b.op("CONV_2D", ["x", "w", "b"], [("y", (2, 4, 2, 6))],
         options("Conv2DOptions", padding=VALID, strideH=2, strideW=2, fusedActivationFunction=1))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("mult", [1, 2])
@pytest.mark.parametrize("padding,stride,dil", [(SAME, 1, 1), (SAME, 2, 1), (VALID, 1, 2), (VALID, 2, 1)])
def test_depthwise_conv_2d(rng, mult, padding, stride, dil):
    h, w, c, k = 10, 9, 4, 3
    b = ModelBuilder()
    b.input("x", (1, h, w, c))
    b.const("w", rng.standard_normal((1, k, k, c * mult)).astype(np.float32))
    b.const("b", rng.standard_normal(c * mult).astype(np.float32))
    oh, ow = _out(h, k, stride, dil, padding), _out(w, k, stride, dil, padding)
    b.op("DEPTHWISE_CONV_2D", ["x", "w", "b"], [("y", (1, oh, ow, c * mult))],
         options("DepthwiseConv2DOptions", padding=padding, strideH=stride, strideW=stride, depthMultiplier=mult,
                 dilationHFactor=dil, dilationWFactor=dil, fusedActivationFunction=3))
    b.output("y")
    check(b.build(), rng)


def test_depthwise_one_input_channel(rng):
    b = ModelBuilder()
    b.input("x", (1, 6, 6, 1))
    b.const("w", rng.standard_normal((1, 3, 3, 4)).astype(np.float32))
    b.const("b", np.zeros(4, np.float32))
    b.op("DEPTHWISE_CONV_2D", ["x", "w", "b"], [("y", (1, 6, 6, 4))],
         options("DepthwiseConv2DOptions", padding=SAME, strideH=1, strideW=1, depthMultiplier=4))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("op", ["AVERAGE_POOL_2D", "MAX_POOL_2D"])
@pytest.mark.parametrize("padding,k,stride", [(SAME, 3, 2), (VALID, 2, 2), (SAME, 3, 1), (VALID, 3, 1)])
def test_pool(rng, op, padding, k, stride):
    h, w, c = 9, 8, 3
    b = ModelBuilder()
    b.input("x", (1, h, w, c))
    oh, ow = _out(h, k, stride, 1, padding), _out(w, k, stride, 1, padding)
    b.op(op, ["x"], [("y", (1, oh, ow, c))],
         options("Pool2DOptions", padding=padding, strideH=stride, strideW=stride, filterHeight=k, filterWidth=k,
                 fusedActivationFunction=1 if padding == SAME else 0))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("in_shape", [(3, 8), (2, 3, 8), (1, 2, 2, 2)])
@pytest.mark.parametrize("bias", [True, False])
def test_fully_connected(rng, keep, in_shape, bias):
    if keep and len(in_shape) == 4:
        in_shape = (1, 2, 2, 8)
    b = ModelBuilder()
    b.input("x", in_shape)
    b.const("w", rng.standard_normal((5, 8)).astype(np.float32))
    if bias:
        b.const("b", rng.standard_normal(5).astype(np.float32))
    out = tuple(in_shape[:-1]) + (5,) if keep else (int(np.prod(in_shape)) // 8, 5)
    b.op("FULLY_CONNECTED", ["x", "w", "b" if bias else None], [("y", out)],
         options("FullyConnectedOptions", keepNumDims=keep, fusedActivationFunction=1 if bias else 2))
    b.output("y")
    check(b.build(), rng)


def test_fully_connected_runtime_weights(rng):
    b = ModelBuilder()
    b.input("x", (4, 6))
    b.input("w", (3, 6))
    b.const("b", rng.standard_normal(3).astype(np.float32))
    b.op("FULLY_CONNECTED", ["x", "w", "b"], [("y", (4, 3))], options("FullyConnectedOptions", fusedActivationFunction=3))
    b.output("y")
    check(b.build(), rng)


def test_dequantize_float16_weights(rng):
    """fp16-stored weights (TFLite's float16 quantization) become float32 constants."""
    b = ModelBuilder()
    b.input("x", (1, 5, 5, 3))
    b.const("w16", rng.standard_normal((4, 3, 3, 3)).astype(np.float16))
    b.const("b16", rng.standard_normal(4).astype(np.float16))
    b.op("DEQUANTIZE", ["w16"], [("w", (4, 3, 3, 3))])
    b.op("DEQUANTIZE", ["b16"], [("b", (4,))])
    b.op("CONV_2D", ["x", "w", "b"], [("y", (1, 5, 5, 4))], options("Conv2DOptions", padding=SAME, strideH=1, strideW=1))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("op", ["RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"])
@pytest.mark.parametrize("flags", ["none", "align_corners", "half_pixel_centers"])
@pytest.mark.parametrize("size", [(12, 10), (7, 13), (3, 4), (1, 1)])
def test_resize(rng, op, flags, size):
    b = ModelBuilder()
    b.input("x", (2, 6, 5, 3))
    b.const("size", np.array(size, np.int32))
    opts = options("ResizeBilinearOptions" if op == "RESIZE_BILINEAR" else "ResizeNearestNeighborOptions",
                   alignCorners=flags == "align_corners", halfPixelCenters=flags == "half_pixel_centers")
    b.op(op, ["x", "size"], [("y", (2, *size, 3))], opts, version=3)
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("padding", [SAME, VALID])
@pytest.mark.parametrize("stride,k,in_hw,odd", [(2, 3, (4, 5), False), (1, 3, (5, 4), False), (2, 2, (3, 3), False),
                                               (3, 4, (3, 2), False), (2, 3, (4, 4), True)])
@pytest.mark.parametrize("bias", [True, False])
def test_transpose_conv(rng, padding, stride, k, in_hw, odd, bias):
    """Output sizes TensorFlow accepts: a forward conv of the output gives back the input size;
    `odd` takes the other end of that range (cropping for SAME, output padding for VALID)."""
    c, o = 3, 4
    if padding == SAME:
        out_hw = tuple((n - 1) * stride + 1 if odd else n * stride for n in in_hw)
    else:
        out_hw = tuple((n - 1) * stride + k + (stride - 1 if odd else 0) for n in in_hw)
    b = ModelBuilder()
    b.const("out_shape", np.array([1, *out_hw, o], np.int32))
    b.const("w", rng.standard_normal((o, k, k, c)).astype(np.float32))
    b.input("x", (1, *in_hw, c))
    ins = ["out_shape", "w", "x"]
    if bias:
        b.const("b", rng.standard_normal(o).astype(np.float32))
        ins.append("b")
    b.op("TRANSPOSE_CONV", ins, [("y", (1, *out_hw, o))],
         options("TransposeConvOptions", padding=padding, strideH=stride, strideW=stride,
                 fusedActivationFunction=1 if bias else 0), version=4 if bias else 1)
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("op,in_shape,out_shape", [("DEPTH_TO_SPACE", (1, 3, 4, 8), (1, 6, 8, 2)),
                                                   ("SPACE_TO_DEPTH", (1, 6, 4, 3), (1, 3, 2, 12))])
def test_depth_space(rng, op, in_shape, out_shape):
    b = ModelBuilder()
    b.input("x", in_shape)
    b.op(op, ["x"], [("y", out_shape)], options("DepthToSpaceOptions" if op == "DEPTH_TO_SPACE" else
                                                "SpaceToDepthOptions", blockSize=2))
    b.output("y")
    check(b.build(), rng)
