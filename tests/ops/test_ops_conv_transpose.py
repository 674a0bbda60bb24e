"""ConvTranspose vs ONNX Runtime: strides, pads, output_padding, output_shape, auto_pad,
dilations, groups, with and without bias."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model
from onnx import helper


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


CASES = [
    # (x shape, out channels per group, kernel, attributes)
    ((1, 3, 5, 5), 4, (3, 3), {}),
    ((1, 3, 5, 5), 4, (3, 3), {"strides": [2, 2]}),
    ((2, 3, 4, 6), 2, (3, 3), {"strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ((1, 3, 4, 4), 5, (3, 3), {"strides": [2, 2], "pads": [1, 1, 1, 1], "output_padding": [1, 1]}),
    ((1, 4, 3, 5), 2, (4, 4), {"strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ((1, 2, 5, 4), 3, (2, 3), {"strides": [3, 2], "pads": [0, 1, 1, 0]}),
    ((1, 3, 5, 5), 2, (3, 3), {"dilations": [2, 2]}),
    ((1, 3, 5, 5), 2, (3, 2), {"dilations": [2, 3], "strides": [2, 1], "pads": [1, 0, 2, 1]}),
    ((1, 2, 3, 3), 3, (1, 1), {"strides": [2, 2]}),
    ((1, 3, 4, 4), 2, (2, 2), {"strides": [2, 2]}),
    ((1, 3, 3, 4), 3, (3, 3), {"strides": [2, 3], "output_padding": [1, 2]}),
]


def conv_transpose(x_shape, out_per_group, kernel, attrs, rng, group=1, bias=True, opset=17):
    c = x_shape[1]
    w = f32(rng, c, out_per_group, *kernel)
    inits = {"w": w}
    names = ["x", "w"]
    if bias:
        inits["b"] = f32(rng, out_per_group * group)
        names.append("b")
    node = helper.make_node("ConvTranspose", names, ["y"], kernel_shape=list(kernel), group=group, **attrs)
    return make_model([node], {"x": x_shape}, ["y"], inits, opset)


@pytest.mark.parametrize("x_shape,oc,kernel,attrs", CASES, ids=str)
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
def test_conv_transpose(rng, x_shape, oc, kernel, attrs, bias):
    model = conv_transpose(x_shape, oc, kernel, attrs, rng, bias=bias)
    assert_close_to_ort(model, {"x": f32(rng, *x_shape)})


@pytest.mark.parametrize("auto_pad", ["SAME_UPPER", "SAME_LOWER", "VALID"])
@pytest.mark.parametrize("strides,kernel", [([1, 1], (3, 3)), ([2, 2], (3, 3)), ([2, 2], (4, 4)), ([3, 2], (4, 3)),
                                            ([3, 2], (2, 3))], ids=str)
def test_conv_transpose_auto_pad(rng, auto_pad, strides, kernel):
    """SAME: out = in * stride, the odd pad at the tail for SAME_UPPER. A kernel smaller than
    the stride keeps the natural size (in - 1) * stride + k as ORT and onnx's shape inference
    do (onnx's reference evaluator gives in * stride there)."""
    model = conv_transpose((1, 3, 4, 5), 2, kernel, {"auto_pad": auto_pad, "strides": strides}, rng)
    assert_close_to_ort(model, {"x": f32(rng, 1, 3, 4, 5)})


@pytest.mark.parametrize(
    "strides,kernel,output_shape",
    [([2, 2], (3, 3), [9, 11]), ([2, 2], (3, 3), [10, 12]), ([2, 2], (4, 4), [8, 10]), ([3, 3], (3, 3), [12, 14]),
     ([1, 1], (3, 3), [6, 7])],
    ids=str,
)
def test_conv_transpose_output_shape(rng, strides, kernel, output_shape):
    """output_shape fixes the size; ONNX derives the pads from it."""
    model = conv_transpose((1, 3, 4, 5), 2, kernel, {"strides": strides, "output_shape": output_shape}, rng)
    assert_close_to_ort(model, {"x": f32(rng, 1, 3, 4, 5)})


@pytest.mark.parametrize("group,c,out_per_group", [(2, 4, 3), (3, 6, 1), (4, 4, 1), (2, 4, 2)], ids=str)
@pytest.mark.parametrize("strides", [[1, 1], [2, 2]], ids=str)
def test_conv_transpose_groups(rng, group, c, out_per_group, strides):
    """Grouped and depthwise (group = C) transposed convolution."""
    model = conv_transpose((1, c, 4, 5), out_per_group, (3, 3), {"strides": strides, "pads": [1, 1, 1, 1]}, rng,
                           group=group)
    assert_close_to_ort(model, {"x": f32(rng, 1, c, 4, 5)})


def test_conv_transpose_1d(rng):
    """A 1-D ConvTranspose (vocoders, audio decoders) on [N, C, L]."""
    w = f32(rng, 4, 3, 5)
    node = helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], kernel_shape=[5], strides=[2], pads=[2, 2],
                            output_padding=[1])
    model = make_model([node], {"x": (2, 4, 7)}, ["y"], {"w": w, "b": f32(rng, 3)})
    assert_close_to_ort(model, {"x": f32(rng, 2, 4, 7)})


def test_conv_transpose_without_kernel_shape(rng):
    """kernel_shape is optional: it comes from the weights."""
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2])
    model = make_model([node], {"x": (1, 3, 4, 4)}, ["y"], {"w": f32(rng, 3, 2, 3, 3)})
    assert_close_to_ort(model, {"x": f32(rng, 1, 3, 4, 4)})


def test_conv_transpose_relu_chain(rng):
    """A decoder stage: ConvTranspose -> Relu -> Conv, the transposed conv's output in NHWC."""
    nodes = [
        helper.make_node("ConvTranspose", ["x", "wt", "bt"], ["u"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Relu", ["u"], ["r"]),
        helper.make_node("Conv", ["r", "w", "b"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    inits = {"wt": f32(rng, 8, 4, 2, 2), "bt": f32(rng, 4), "w": f32(rng, 3, 4, 3, 3), "b": f32(rng, 3)}
    model = make_model(nodes, {"x": (1, 8, 5, 6)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 1, 8, 5, 6)})
