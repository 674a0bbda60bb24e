"""Rewrites the optimizer may do (BN folding, bias and activation fusion), and the cases where it
must not: a tensor with a second consumer, or that is itself a model output, keeps its value."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, random_feeds
from onnx import helper

C = 6


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def conv_inits(rng):
    return {"w": f32(rng, C, 3, 3, 3), "b": f32(rng, C)}


CONV = node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
X = {"x": (1, 3, 7, 7)}


def clip(lo, hi, src="c", dst="y"):
    inputs, inits = [src], {}
    for key, v in (("lo", lo), ("hi", hi)):
        if v is None:
            inputs.append("")
        else:
            inputs.append(key)
            inits[key] = np.array(v, dtype=np.float32)
    return node("Clip", inputs, [dst]), inits


@pytest.mark.parametrize("lo,hi", [(0.0, 6.0), (0.0, None), (-1.0, 1.0), (0.0, 5.0), (0.5, 6.0), (None, 6.0)], ids=str)
def test_conv_clip(rng, lo, hi):
    """Only Clip(0, 6) is RELU6 and Clip(0, inf) RELU; other bounds must stay exact."""
    c, inits = clip(lo, hi)
    model = make_model([CONV, c], X, ["y"], conv_inits(rng) | inits)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


def test_conv_relu_with_second_consumer(rng):
    """The conv output also feeds an Add: fusing Relu into the conv would change it."""
    nodes = [CONV, node("Relu", ["c"], ["r"]), node("Add", ["c", "r"], ["y"])]
    model = make_model(nodes, X, ["y"], conv_inits(rng))
    assert_close_to_ort(model, random_feeds(model, rng))


def test_conv_output_is_also_model_output(rng):
    nodes = [CONV, node("Relu", ["c"], ["y"])]
    model = make_model(nodes, X, ["c", "y"], conv_inits(rng))
    assert_close_to_ort(model, random_feeds(model, rng))


def test_conv_bn_with_second_consumer(rng):
    """BN may not be folded into a conv whose raw output is used elsewhere."""
    inits = conv_inits(rng) | {
        "s": rng.uniform(0.5, 1.5, C).astype(np.float32), "t": f32(rng, C),
        "m": f32(rng, C), "v": rng.uniform(0.5, 1.5, C).astype(np.float32),
    }
    nodes = [CONV, node("BatchNormalization", ["c", "s", "t", "m", "v"], ["bn"]), node("Relu", ["c"], ["r"]),
             node("Add", ["bn", "r"], ["y"])]
    model = make_model(nodes, X, ["y"], inits)
    assert_close_to_ort(model, random_feeds(model, rng))


def test_conv_mul_add_per_channel(rng):
    """Conv -> Mul(scale [C,1,1]) -> Add(shift [C,1,1]): foldable as an affine, exact either way."""
    inits = conv_inits(rng) | {"k": f32(rng, C, 1, 1), "d": f32(rng, C, 1, 1)}
    nodes = [CONV, node("Mul", ["c", "k"], ["m"]), node("Add", ["m", "d"], ["y"])]
    model = make_model(nodes, X, ["y"], inits)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("x_shape", [(4, 10), (2, 3, 10)], ids=str)
@pytest.mark.parametrize("act", ["Relu", None])
def test_matmul_add_bias(rng, x_shape, act):
    """MatMul + Add(bias [N]) (+ Relu): the exporters' form of a linear layer."""
    nodes = [node("MatMul", ["x", "w"], ["m"]), node("Add", ["m", "b"], ["a" if act else "y"])]
    if act:
        nodes.append(node(act, ["a"], ["y"]))
    model = make_model(nodes, {"x": x_shape}, ["y"], {"w": f32(rng, 10, 7), "b": f32(rng, 7)})
    assert_close_to_ort(model, random_feeds(model, rng))


def test_matmul_add_non_bias(rng):
    """Add of a [M, N] constant after MatMul is not a bias: it must not become one."""
    nodes = [node("MatMul", ["x", "w"], ["m"]), node("Add", ["m", "b"], ["y"])]
    model = make_model(nodes, {"x": (4, 10)}, ["y"], {"w": f32(rng, 10, 7), "b": f32(rng, 4, 7)})
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("op", ["Add", "Sub", "Mul", "Div"])
def test_binary_relu(rng, op):
    nodes = [node(op, ["a", "b"], ["t"]), node("Relu", ["t"], ["y"])]
    model = make_model(nodes, {"a": (2, 3, 4), "b": (3, 4)}, ["y"])
    feeds = random_feeds(model, rng)
    if op == "Div":
        feeds["b"] = np.where(np.abs(feeds["b"]) < 0.5, 1.0, feeds["b"]).astype(np.float32)
    assert_close_to_ort(model, feeds)


def test_gemm_relu_clip_chain(rng):
    c, inits = clip(0.0, 6.0, src="r", dst="y")
    nodes = [node("Gemm", ["x", "w", "b"], ["g"], transB=1), node("Relu", ["g"], ["r"]), c]
    model = make_model(nodes, {"x": (3, 8)}, ["y"], {"w": f32(rng, 5, 8), "b": f32(rng, 5)} | inits)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


def test_pool_then_relu(rng):
    nodes = [CONV, node("MaxPool", ["c"], ["p"], kernel_shape=[2, 2], strides=[2, 2]), node("Relu", ["p"], ["y"])]
    model = make_model(nodes, X, ["y"], conv_inits(rng))
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("optimize", [True, False])
def test_optimize_flag_same_results(rng, optimize):
    c, inits = clip(0.0, 6.0, src="bn")
    inits |= conv_inits(rng) | {
        "s": rng.uniform(0.5, 1.5, C).astype(np.float32), "t": f32(rng, C),
        "m": f32(rng, C), "v": rng.uniform(0.5, 1.5, C).astype(np.float32),
    }
    nodes = [CONV, node("BatchNormalization", ["c", "s", "t", "m", "v"], ["bn"]), c]
    model = make_model(nodes, X, ["y"], inits)
    assert_close_to_ort(model, random_feeds(model, rng), optimize=optimize)
