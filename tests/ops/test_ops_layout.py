"""Layout-sensitive chains: a Conv makes its output NHWC inside mote, so every op after it that
names an axis, a shape or a broadcast must be remapped by the layout pass."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, random_feeds
from onnx import helper

N, C_IN, H, W = 1, 3, 6, 7
C = 8  # conv output channels; the conv keeps H, W (3x3, pad 1)


def i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def f32(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def conv_chain(rng, tail, inits=None, outputs=("y",), opset=17, x_shape=(N, C_IN, H, W)):
    """x -> Conv(3x3, pad 1) -> 'c' -> tail nodes."""
    all_inits = {"w": f32(rng, C, x_shape[1], 3, 3), "b": f32(rng, C)}
    all_inits.update(inits or {})
    conv = helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    return make_model([conv, *tail], {"x": x_shape}, list(outputs), all_inits, opset)


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def check(model, rng):
    assert_close_to_ort(model, random_feeds(model, rng))


def test_conv_transpose_reshape(rng):
    """Patch-embedding style: Conv -> Transpose(0,2,3,1) -> Reshape(N, H*W, C)."""
    tail = [node("Transpose", ["c"], ["t"], perm=[0, 2, 3, 1]), node("Reshape", ["t", "s"], ["y"])]
    check(conv_chain(rng, tail, {"s": i64(N, -1, C)}), rng)


@pytest.mark.parametrize("perm", [[0, 1, 3, 2], [0, 3, 2, 1], [1, 0, 2, 3], [0, 2, 1, 3]], ids=str)
def test_conv_transpose_other_perms(rng, perm):
    check(conv_chain(rng, [node("Transpose", ["c"], ["y"], perm=perm)]), rng)


@pytest.mark.parametrize("axis", [1, -1, 2, 0])
def test_conv_softmax(rng, axis):
    check(conv_chain(rng, [node("Softmax", ["c"], ["y"], axis=axis)], opset=13), rng)


def test_conv_softmax_opset11_axis1(rng):
    """Opset 11 softmax at axis 1 covers C*H*W in NCHW order."""
    check(conv_chain(rng, [node("Softmax", ["c"], ["y"], axis=1)], opset=11), rng)


@pytest.mark.parametrize("axes,keepdims", [([2, 3], 1), ([2, 3], 0), ([1], 1), ([1], 0), ([-1], 0), ([1, 3], 1)], ids=str)
def test_conv_reduce_mean(rng, axes, keepdims):
    check(conv_chain(rng, [node("ReduceMean", ["c"], ["y"], axes=axes, keepdims=keepdims)], opset=13), rng)


def test_conv_reduce_mean_then_gemm(rng):
    tail = [
        node("ReduceMean", ["c"], ["m"], axes=[2, 3], keepdims=0),
        node("Gemm", ["m", "fw", "fb"], ["y"], transB=1),
    ]
    check(conv_chain(rng, tail, {"fw": f32(rng, 5, C), "fb": f32(rng, 5)}, opset=13), rng)


@pytest.mark.parametrize("axis", [1, -3, 3, 2])
def test_conv_concat_constant(rng, axis):
    shape = [N, C, H, W]
    shape[axis % 4] = 2
    tail = [node("Concat", ["c", "k"], ["y"], axis=axis)]
    check(conv_chain(rng, tail, {"k": f32(rng, *shape)}), rng)


def test_conv_concat_with_model_input(rng):
    """The NCHW model input joins an NHWC conv output along channels."""
    check(conv_chain(rng, [node("Concat", ["x", "c"], ["y"], axis=1)]), rng)


@pytest.mark.parametrize("bias_shape", [(C, 1, 1), (1, C, 1, 1), (W,), (H, 1), (1,), (), (C, H, W)], ids=str)
@pytest.mark.parametrize("op", ["Add", "Mul"])
def test_conv_binary_broadcast(rng, op, bias_shape):
    check(conv_chain(rng, [node(op, ["c", "k"], ["y"])], {"k": f32(rng, *bias_shape)}), rng)


def test_conv_add_conv(rng):
    """Two branches from the input meet in an Add (a residual join)."""
    tail = [
        node("Conv", ["x", "w2"], ["c2"], kernel_shape=[1, 1]),
        node("Add", ["c", "c2"], ["y"]),
    ]
    check(conv_chain(rng, tail, {"w2": f32(rng, C, C_IN, 1, 1)}), rng)


def test_conv_add_model_input(rng):
    """An NCHW model input added to an NHWC conv output."""
    check(conv_chain(rng, [node("Add", ["c", "x"], ["y"])], x_shape=(N, C, H, W)), rng)


def test_conv_flatten_gemm(rng):
    tail = [node("Flatten", ["c"], ["f"], axis=1), node("Gemm", ["f", "fw"], ["y"], transB=1)]
    check(conv_chain(rng, tail, {"fw": f32(rng, 4, C * H * W)}), rng)


@pytest.mark.parametrize("shape", [(N, -1), (N, C, H * W), (N, C * H, W), (-1,), (N, 2, 4, H * W)], ids=str)
def test_conv_reshape(rng, shape):
    """Reshape after a conv must follow NCHW element order."""
    check(conv_chain(rng, [node("Reshape", ["c", "s"], ["y"])], {"s": i64(*shape)}), rng)


def test_conv_reshape_transpose_matmul(rng):
    """Attention-style: (N, C, H*W) -> (N, H*W, C) @ (C, 5)."""
    tail = [
        node("Reshape", ["c", "s"], ["r"]),
        node("Transpose", ["r"], ["t"], perm=[0, 2, 1]),
        node("MatMul", ["t", "m"], ["y"]),
    ]
    check(conv_chain(rng, tail, {"s": i64(N, C, H * W), "m": f32(rng, C, 5)}), rng)


def test_conv_maxpool_transpose(rng):
    tail = [
        node("MaxPool", ["c"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        node("Transpose", ["p"], ["y"], perm=[0, 1, 3, 2]),
    ]
    check(conv_chain(rng, tail), rng)


@pytest.mark.parametrize("mode", ["reflect", "edge", "constant"])
def test_conv_pad_conv(rng, mode):
    tail = [
        node("Pad", ["c", "pads"], ["p"], mode=mode),
        node("Conv", ["p", "w2"], ["y"], kernel_shape=[3, 3]),
    ]
    inits = {"pads": i64(0, 0, 1, 2, 0, 0, 2, 1), "w2": f32(rng, 4, C, 3, 3)}
    check(conv_chain(rng, tail, inits), rng)


def test_conv_pad_channels(rng):
    """Constant padding on the channel axis."""
    tail = [node("Pad", ["c", "pads", "v"], ["y"], mode="constant")]
    check(conv_chain(rng, tail, {"pads": i64(0, 1, 0, 0, 0, 2, 1, 0), "v": np.array(0.5, np.float32)}), rng)


def test_conv_intermediate_and_final_outputs(rng):
    """An intermediate conv output is also a model output: it must come out NCHW."""
    tail = [node("Relu", ["c"], ["r"]), node("GlobalAveragePool", ["r"], ["y"])]
    check(conv_chain(rng, tail, outputs=("c", "y")), rng)


def test_conv_global_pool_reshape_gemm(rng):
    tail = [
        node("GlobalAveragePool", ["c"], ["g"]),
        node("Reshape", ["g", "s"], ["f"]),
        node("Gemm", ["f", "fw", "fb"], ["y"], transB=1),
    ]
    check(conv_chain(rng, tail, {"s": i64(N, -1), "fw": f32(rng, 3, C), "fb": f32(rng, 3)}), rng)
