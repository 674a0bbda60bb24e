"""ReduceSum / Max / Min / Prod / L2 in their opset-13 and opset-18 forms, ArgMax / ArgMin,
vs ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for
from onnx import helper

REDUCE = ["ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2"]
SHAPE = (2, 3, 4, 5)
AXES = [[0], [1], [-1], [2, 3], [0, 2], [1, 2, 3], [-3, -1], [0, 1, 2, 3]]


def data(rng, op, shape):
    if op == "ReduceProd":  # near 1 so the product stays in range
        return rng.uniform(0.7, 1.3, shape).astype(np.float32) * rng.choice([-1, 1], shape).astype(np.float32)
    return rng.standard_normal(shape).astype(np.float32)


def reduce_model(op, shape, axes, keepdims, opset, noop=None):
    """axes as an attribute (ReduceSum before 13, the others before 18) or as an input."""
    attrs = {"keepdims": keepdims}
    if noop is not None:
        attrs["noop_with_empty_axes"] = noop
    axes_as_input = opset >= 18 or (op == "ReduceSum" and opset >= 13)
    inits = {}
    inputs = ["x"]
    if axes is not None:
        if axes_as_input:
            inits["axes"] = np.array(axes, np.int64)
            inputs.append("axes")
        else:
            attrs["axes"] = axes
    return make_model([helper.make_node(op, inputs, ["y"], **attrs)], {"x": shape}, ["y"], inits, opset)


@pytest.mark.parametrize("op", REDUCE)
@pytest.mark.parametrize("axes", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [0, 1])
@pytest.mark.parametrize("opset", [13, 18])
def test_reduce(rng, op, axes, keepdims, opset):
    model = reduce_model(op, SHAPE, axes, keepdims, opset)
    assert_close_to_ort(model, {"x": data(rng, op, SHAPE)})


@pytest.mark.parametrize("op", REDUCE)
@pytest.mark.parametrize("keepdims", [0, 1])
@pytest.mark.parametrize("opset", [11, 13, 18])
def test_reduce_all_axes_by_default(rng, op, keepdims, opset):
    """No axes: reduce everything (noop_with_empty_axes absent or 0)."""
    model = reduce_model(op, (3, 4, 5), None, keepdims, opset, noop=0 if opset >= 18 else None)
    assert_close_to_ort(model, {"x": data(rng, op, (3, 4, 5))})


@pytest.mark.parametrize("op", REDUCE)
def test_reduce_noop_with_empty_axes(rng, op):
    """noop_with_empty_axes=1 and no axes: the input passes through."""
    model = reduce_model(op, (3, 4), None, 1, 18, noop=1)
    assert_close_to_ort(model, {"x": data(rng, op, (3, 4))})


@pytest.mark.parametrize("op", REDUCE)
def test_reduce_empty_axes_tensor(rng, op):
    """An empty axes input (opset 18) with noop_with_empty_axes=0 reduces everything."""
    node = helper.make_node(op, ["x", "axes"], ["y"], keepdims=0, noop_with_empty_axes=0)
    model = make_model([node], {"x": (3, 4)}, ["y"], {"axes": np.zeros((0,), np.int64)}, 18)
    assert_close_to_ort(model, {"x": data(rng, op, (3, 4))})


@pytest.mark.parametrize("op", REDUCE)
@pytest.mark.parametrize("shape,axes", [((7,), [0]), ((3, 130), [1]), ((130, 3), [0]), ((2, 1, 5), [1])], ids=str)
def test_reduce_shapes(rng, op, shape, axes):
    model = reduce_model(op, shape, axes, 0, 18)
    assert_close_to_ort(model, {"x": data(rng, op, shape)})


def test_reduce_sum_int64(rng):
    x = rng.integers(-1000, 1000, (3, 4)).astype(np.int64)
    node = helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=0)
    model = make_model_for([node], {"x": x}, ["y"], {"axes": np.array([1], np.int64)}, 13)
    assert_close_to_ort(model, {"x": x})


def test_reduce_l2_of_zeros_is_zero(rng):
    x = np.zeros((2, 3), np.float32)
    x[1] = rng.standard_normal(3)
    assert_close_to_ort(reduce_model("ReduceL2", (2, 3), [1], 0, 18), {"x": x})


# ---- ArgMax / ArgMin -------------------------------------------------------------------


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("keepdims", [0, 1])
@pytest.mark.parametrize("select_last_index", [0, 1])
def test_arg(rng, op, axis, keepdims, select_last_index):
    """Small integer values: ties are common, so the first / last index choice shows."""
    x = rng.integers(-2, 3, (3, 4, 5)).astype(np.float32)
    node = helper.make_node(op, ["x"], ["y"], axis=axis, keepdims=keepdims, select_last_index=select_last_index)
    model = make_model_for([node], {"x": x}, ["y"], opset=13)
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("shape,axis", [((10,), 0), ((2, 1000), 1), ((1, 7), 0), ((2, 3, 4, 5), 3)], ids=str)
def test_arg_shapes(rng, op, shape, axis):
    x = rng.standard_normal(shape).astype(np.float32)
    model = make_model_for([helper.make_node(op, ["x"], ["y"], axis=axis, keepdims=0)], {"x": x}, ["y"], opset=13)
    assert_close_to_ort(model, {"x": x})


def test_argmax_default_axis(rng):
    x = rng.standard_normal((4, 3)).astype(np.float32)
    model = make_model_for([helper.make_node("ArgMax", ["x"], ["y"])], {"x": x}, ["y"], opset=11)
    assert_close_to_ort(model, {"x": x})


def test_argmax_then_gather(rng):
    """Greedy decoding: argmax over the vocabulary, the token id then indexes an embedding."""
    logits = rng.standard_normal((1, 50)).astype(np.float32)
    table = rng.standard_normal((50, 8)).astype(np.float32)
    nodes = [
        helper.make_node("ArgMax", ["logits"], ["ids"], axis=1, keepdims=0),
        helper.make_node("Gather", ["table", "ids"], ["y"], axis=0),
    ]
    model = make_model_for(nodes, {"logits": logits}, ["y", "ids"], {"table": table}, 13)
    assert_close_to_ort(model, {"logits": logits})
