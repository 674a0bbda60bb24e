"""Comparisons, logical ops, Where and Cast vs ONNX Runtime (bool and integer outputs exact)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model_for
from onnx import TensorProto, helper

COMPARE = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"]
SHAPES = [((2, 3, 4), (2, 3, 4)), ((2, 3, 4), ()), ((3, 4), (4,)), ((4, 1), (3, 1, 5)), ((1,), (6,))]


def small_ints(rng, shape, dtype):
    """Values from a small range so that equal pairs are common."""
    return np.asarray(rng.integers(-3, 4, shape)).astype(dtype)


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def check(nodes, feeds, outputs=("y",), inits=None, opset=17):
    model = make_model_for(nodes, feeds, list(outputs), inits, opset)
    return assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", COMPARE)
@pytest.mark.parametrize("a_shape,b_shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32], ids=lambda d: np.dtype(d).name)
def test_compare_bool_output(rng, op, a_shape, b_shape, dtype):
    feeds = {"a": small_ints(rng, a_shape, dtype), "b": small_ints(rng, b_shape, dtype)}
    check([node(op, ["a", "b"], ["y"])], feeds)


@pytest.mark.parametrize("op", COMPARE)
@pytest.mark.parametrize("a_shape,b_shape", SHAPES[:4], ids=str)
def test_compare_feeding_where(rng, op, a_shape, b_shape):
    """where(a op b, a, b): the mask pattern of attention and clamping code."""
    feeds = {"a": small_ints(rng, a_shape, np.float32), "b": np.asarray(small_ints(rng, b_shape, np.float32) + 0.5, np.float32)}
    check([node(op, ["a", "b"], ["m"]), node("Where", ["m", "a", "b"], ["y"])], feeds)


@pytest.mark.parametrize("op", COMPARE)
def test_compare_with_constant(rng, op):
    x = small_ints(rng, (3, 5), np.float32)
    check([node(op, ["x", "k"], ["y"])], {"x": x}, inits={"k": np.array(0.0, np.float32)})


def test_equal_bool_inputs(rng):
    feeds = {"a": rng.integers(0, 2, (3, 4)).astype(bool), "b": rng.integers(0, 2, (4,)).astype(bool)}
    check([node("Equal", ["a", "b"], ["y"])], feeds)


@pytest.mark.parametrize("op", ["And", "Or"])
@pytest.mark.parametrize("a_shape,b_shape", SHAPES, ids=str)
def test_and_or(rng, op, a_shape, b_shape):
    feeds = {"a": np.asarray(rng.integers(0, 2, a_shape)).astype(bool),
             "b": np.asarray(rng.integers(0, 2, b_shape)).astype(bool)}
    check([node(op, ["a", "b"], ["y"])], feeds)


@pytest.mark.parametrize("shape", [(7,), (2, 3, 4), ()], ids=str)
def test_not(rng, shape):
    check([node("Not", ["a"], ["y"])], {"a": np.asarray(rng.integers(0, 2, shape)).astype(bool)})


def test_logic_chain_feeding_where(rng):
    """where(not(a < b) and (a > 0) or (b == 1), x, -x): every logical op on the way."""
    shape = (4, 6)
    feeds = {"a": small_ints(rng, shape, np.float32), "b": small_ints(rng, (6,), np.float32),
             "x": rng.standard_normal(shape).astype(np.float32)}
    nodes = [
        node("Less", ["a", "b"], ["lt"]),
        node("Not", ["lt"], ["ge"]),
        node("Greater", ["a", "zero"], ["pos"]),
        node("And", ["ge", "pos"], ["c1"]),
        node("Equal", ["b", "one"], ["c2"]),
        node("Or", ["c1", "c2"], ["c"]),
        node("Neg", ["x"], ["nx"]),
        node("Where", ["c", "x", "nx"], ["y"]),
    ]
    inits = {"zero": np.array(0.0, np.float32), "one": np.array(1.0, np.float32)}
    check(nodes, feeds, inits=inits)


# ---- Where -----------------------------------------------------------------------------

WHERE_SHAPES = [
    ((2, 3, 4), (2, 3, 4), (2, 3, 4)),
    ((2, 3, 4), (), ()),
    ((3, 4), (4,), (3, 1)),
    ((1, 4), (3, 1), (4,)),
    ((4, 1, 1), (1, 3, 1), (1, 1, 5)),
    ((), (2, 3), (2, 3)),
    ((1, 1, 5, 5), (2, 4, 5, 5), ()),
]


@pytest.mark.parametrize("c_shape,a_shape,b_shape", WHERE_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32], ids=lambda d: np.dtype(d).name)
def test_where(rng, c_shape, a_shape, b_shape, dtype):
    feeds = {
        "c": np.asarray(rng.integers(0, 2, c_shape)).astype(bool),
        "a": np.asarray(rng.standard_normal(a_shape) * 100).astype(dtype),
        "b": np.asarray(rng.standard_normal(b_shape) * 100).astype(dtype),
    }
    check([node("Where", ["c", "a", "b"], ["y"])], feeds)


def test_where_attention_mask(rng):
    """Masked fill with a constant -inf-like value, as in causal attention."""
    scores = rng.standard_normal((2, 4, 6, 6)).astype(np.float32)
    mask = np.tril(np.ones((6, 6), bool))
    nodes = [node("Where", ["mask", "s", "neg"], ["y"])]
    check(nodes, {"s": scores}, inits={"mask": mask, "neg": np.array(-3.4e38, np.float32)})


def test_where_constant_branches(rng):
    feeds = {"c": rng.integers(0, 2, (3, 5)).astype(bool)}
    inits = {"a": rng.standard_normal((5,)).astype(np.float32), "b": np.array(0.0, np.float32)}
    check([node("Where", ["c", "a", "b"], ["y"])], feeds, inits=inits)


# ---- Cast ------------------------------------------------------------------------------

FLOAT_TO = [TensorProto.INT32, TensorProto.INT64, TensorProto.BOOL, TensorProto.FLOAT]


@pytest.mark.parametrize("to", FLOAT_TO, ids=lambda t: TensorProto.DataType.Name(t))
@pytest.mark.parametrize("shape", [(7,), (2, 3, 4), ()], ids=str)
def test_cast_from_float(rng, to, shape):
    """Finite values well inside the target range, fractions of both signs (truncation
    toward zero), and exact zeros for bool."""
    x = np.asarray(rng.uniform(-1000, 1000, shape)).astype(np.float32)
    if x.ndim:
        x.flat[::3] = 0.0
        x.flat[1::4] = np.round(x.flat[1::4])
    check([node("Cast", ["x"], ["y"], to=to)], {"x": x})


@pytest.mark.parametrize("src", [np.int32, np.int64, np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("to", [TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64, TensorProto.BOOL],
                         ids=lambda t: TensorProto.DataType.Name(t))
def test_cast_from_int_and_bool(rng, src, to):
    if src is np.bool_:
        x = rng.integers(0, 2, (3, 5)).astype(bool)
    else:
        x = rng.integers(-100000, 100000, (3, 5)).astype(src)
        x[0, :2] = 0
    check([node("Cast", ["x"], ["y"], to=to)], {"x": x})


def test_cast_int64_to_int32_keeps_values_in_range(rng):
    x = np.array([0, 1, -1, 2**31 - 1, -(2**31), 123456789], np.int64)
    check([node("Cast", ["x"], ["y"], to=TensorProto.INT32)], {"x": x})


def test_cast_mask_pattern(rng):
    """BERT's extended attention mask: (1 - cast(mask, float)) * -10000, added to scores."""
    mask = rng.integers(0, 2, (2, 1, 1, 7)).astype(np.int64)
    scores = rng.standard_normal((2, 4, 7, 7)).astype(np.float32)
    nodes = [
        node("Cast", ["mask"], ["mf"], to=TensorProto.FLOAT),
        node("Sub", ["one", "mf"], ["inv"]),
        node("Mul", ["inv", "big"], ["bias"]),
        node("Add", ["s", "bias"], ["y"]),
    ]
    inits = {"one": np.array(1.0, np.float32), "big": np.array(-10000.0, np.float32)}
    check(nodes, {"mask": mask, "s": scores}, inits=inits)


def test_cast_compare_roundtrip(rng):
    """cast(x > 0) to float, times x: a float mask made from a bool one."""
    x = rng.standard_normal((4, 5)).astype(np.float32)
    nodes = [
        node("Greater", ["x", "zero"], ["m"]),
        node("Cast", ["m"], ["mf"], to=TensorProto.FLOAT),
        node("Mul", ["x", "mf"], ["y"]),
        node("Cast", ["m"], ["mi"], to=TensorProto.INT64),
    ]
    check(nodes, {"x": x}, outputs=("y", "mi"), inits={"zero": np.array(0.0, np.float32)})
