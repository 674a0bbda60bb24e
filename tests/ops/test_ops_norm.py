"""InstanceNormalization and LayerNormalization vs ONNX Runtime, alone and after a Conv
(where the tensor is NHWC inside mote)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model
from onnx import helper


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def conv_node(out="c"):
    return helper.make_node("Conv", ["x", "w", "b"], [out], kernel_shape=[3, 3], pads=[1, 1, 1, 1])


def conv_inits(rng, c_in, c_out):
    return {"w": f32(rng, c_out, c_in, 3, 3), "b": f32(rng, c_out)}


# ---- InstanceNormalization -------------------------------------------------------------


@pytest.mark.parametrize("shape", [(1, 3, 4, 5), (2, 4, 6, 6), (2, 3, 7), (1, 2, 1, 9), (3, 5, 2, 3, 2)], ids=str)
@pytest.mark.parametrize("epsilon", [1e-5, 1e-2])
def test_instance_norm(rng, shape, epsilon):
    c = shape[1]
    node = helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"], epsilon=epsilon)
    inits = {"s": f32(rng, c), "b": f32(rng, c)}
    model = make_model([node], {"x": shape}, ["y"], inits)
    assert_close_to_ort(model, {"x": 3 * f32(rng, *shape) + 1})


def test_instance_norm_after_conv(rng):
    nodes = [conv_node(), helper.make_node("InstanceNormalization", ["c", "s", "t"], ["n"]),
             helper.make_node("Relu", ["n"], ["y"])]
    inits = {**conv_inits(rng, 3, 6), "s": f32(rng, 6), "t": f32(rng, 6)}
    model = make_model(nodes, {"x": (2, 3, 5, 6)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 2, 3, 5, 6)})


def test_instance_norm_constant_channel(rng):
    """A channel with zero variance: the result is the bias, not NaN."""
    x = f32(rng, 1, 2, 3, 3)
    x[0, 1] = 4.0
    node = helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"])
    model = make_model([node], {"x": x.shape}, ["y"], {"s": f32(rng, 2), "b": f32(rng, 2)})
    assert_close_to_ort(model, {"x": x})


# ---- LayerNormalization ----------------------------------------------------------------


@pytest.mark.parametrize(
    "shape,axis",
    [((2, 5), -1), ((4, 16), 1), ((2, 3, 8), -1), ((2, 3, 8), -2), ((2, 3, 8), 1), ((1, 7, 384), -1),
     ((2, 3, 4, 5), -1), ((2, 3, 4, 5), 2), ((2, 3, 4, 5), 0)],
    ids=str,
)
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
def test_layer_norm(rng, shape, axis, bias):
    norm_shape = shape[axis % len(shape):]
    inits = {"s": f32(rng, *norm_shape)}
    names = ["x", "s"]
    if bias:
        inits["b"] = f32(rng, *norm_shape)
        names.append("b")
    node = helper.make_node("LayerNormalization", names, ["y"], axis=axis, epsilon=1e-5)
    model = make_model([node], {"x": shape}, ["y"], inits)
    assert_close_to_ort(model, {"x": 2 * f32(rng, *shape) + 0.5})


@pytest.mark.parametrize("epsilon", [1e-12, 1e-6, 0.1])
def test_layer_norm_epsilon(rng, epsilon):
    node = helper.make_node("LayerNormalization", ["x", "s", "b"], ["y"], epsilon=epsilon)
    model = make_model([node], {"x": (3, 10)}, ["y"], {"s": f32(rng, 10), "b": f32(rng, 10)})
    assert_close_to_ort(model, {"x": 0.1 * f32(rng, 3, 10)})


def test_layer_norm_transformer_block(rng):
    """x + LN(MatMul(x)) in a [batch, seq, hidden] tensor."""
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["h"]),
        helper.make_node("Add", ["h", "x"], ["r"]),
        helper.make_node("LayerNormalization", ["r", "s", "b"], ["y"], axis=-1),
    ]
    inits = {"w": f32(rng, 32, 32) * 0.2, "s": f32(rng, 32), "b": f32(rng, 32)}
    model = make_model(nodes, {"x": (2, 6, 32)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 2, 6, 32)})


@pytest.mark.parametrize("axis", [-1, -2, 1, 2, 3])
def test_layer_norm_after_conv(rng, axis):
    """LayerNorm over the NCHW axes [axis, 4) of a conv output (ConvNeXt-style blocks do this
    over channels after a permute; some exporters keep it in NCHW)."""
    c, h, w = 6, 4, 5
    norm_shape = (c, h, w)[axis % 4 - 1:]
    nodes = [conv_node(), helper.make_node("LayerNormalization", ["c", "s", "t"], ["y"], axis=axis)]
    inits = {**conv_inits(rng, 3, c), "s": f32(rng, *norm_shape), "t": f32(rng, *norm_shape)}
    model = make_model(nodes, {"x": (2, 3, h, w)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 2, 3, h, w)})


def test_layer_norm_channels_last_after_conv(rng):
    """ConvNeXt: Conv -> Transpose(0,2,3,1) -> LayerNorm(-1) over channels -> Transpose back."""
    nodes = [
        conv_node(),
        helper.make_node("Transpose", ["c"], ["t"], perm=[0, 2, 3, 1]),
        helper.make_node("LayerNormalization", ["t", "s", "b2"], ["n"], axis=-1, epsilon=1e-6),
        helper.make_node("Transpose", ["n"], ["y"], perm=[0, 3, 1, 2]),
    ]
    inits = {**conv_inits(rng, 3, 8), "s": f32(rng, 8), "b2": f32(rng, 8)}
    model = make_model(nodes, {"x": (1, 3, 5, 5)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 1, 3, 5, 5)})


def decomposed_layer_norm(x="x", out="y", eps_name="eps", pow_name="two"):
    """LayerNorm as exporters before opset 17 write it: (x - mean) / sqrt(var + eps) * g + b."""
    return [
        helper.make_node("ReduceMean", [x], ["mu"], axes=[-1]),
        helper.make_node("Sub", [x, "mu"], ["d"]),
        helper.make_node("Pow", ["d", pow_name], ["d2"]),
        helper.make_node("ReduceMean", ["d2"], ["var"], axes=[-1]),
        helper.make_node("Add", ["var", eps_name], ["ve"]),
        helper.make_node("Sqrt", ["ve"], ["sd"]),
        helper.make_node("Div", ["d", "sd"], ["n"]),
        helper.make_node("Mul", ["n", "g"], ["ng"]),
        helper.make_node("Add", ["ng", "b"], [out]),
    ]


@pytest.mark.parametrize("shape", [(2, 7, 32), (3, 16), (1, 4, 5, 24)], ids=str)
@pytest.mark.parametrize("eps", [1e-12, 1e-5])
def test_layer_norm_decomposed_opset13(rng, shape, eps):
    """The BERT export (opset 11-16): the chain mote may fuse into one LAYER_NORM."""
    h = shape[-1]
    inits = {"eps": np.array(eps, np.float32), "two": np.array(2.0, np.float32), "g": f32(rng, h), "b": f32(rng, h)}
    model = make_model(decomposed_layer_norm(), {"x": shape}, ["y"], inits, 13)
    assert_close_to_ort(model, {"x": 3 * f32(rng, *shape) + 1})


def test_layer_norm_decomposed_with_shared_intermediate(rng):
    """The centred tensor also leaves the graph: a fusion must keep it."""
    inits = {"eps": np.array(1e-5, np.float32), "two": np.array(2.0, np.float32), "g": f32(rng, 16), "b": f32(rng, 16)}
    model = make_model(decomposed_layer_norm(), {"x": (2, 3, 16)}, ["y", "d"], inits, 13)
    assert_close_to_ort(model, {"x": f32(rng, 2, 3, 16)})


def test_layer_norm_decomposed_not_over_last_axis(rng):
    """Means over axis 1 (not the last): not a LayerNorm over [axis, rank), must stay right."""
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["mu"], axes=[1]),
        helper.make_node("Sub", ["x", "mu"], ["d"]),
        helper.make_node("Mul", ["d", "d"], ["d2"]),
        helper.make_node("ReduceMean", ["d2"], ["var"], axes=[1]),
        helper.make_node("Add", ["var", "eps"], ["ve"]),
        helper.make_node("Sqrt", ["ve"], ["sd"]),
        helper.make_node("Div", ["d", "sd"], ["y"]),
    ]
    model = make_model(nodes, {"x": (2, 5, 3)}, ["y"], {"eps": np.array(1e-5, np.float32)}, 13)
    assert_close_to_ort(model, {"x": f32(rng, 2, 5, 3)})
