"""Pow, variadic Min / Max / Sum / Mean, PRelu and integer arithmetic vs ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for, single_op
from onnx import helper


def f32(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


# ---- Pow -------------------------------------------------------------------------------

POW_SHAPES = [((2, 3, 4), (2, 3, 4)), ((2, 3, 4), ()), ((3, 4), (4,)), ((4, 1), (3, 1, 5)), ((5,), (2, 5))]


@pytest.mark.parametrize("a_shape,b_shape", POW_SHAPES, ids=str)
@pytest.mark.parametrize("const_exp", [False, True])
def test_pow_positive_base(rng, a_shape, b_shape, const_exp):
    a = f32(rng.uniform(0.1, 4.0, a_shape))
    b = f32(rng.uniform(-3.0, 3.0, b_shape))
    if const_exp:
        model = single_op("Pow", {"a": a.shape}, {"b": b})
        assert_close_to_ort(model, {"a": a})
    else:
        model = single_op("Pow", {"a": a.shape, "b": b.shape})
        assert_close_to_ort(model, {"a": a, "b": b})


@pytest.mark.parametrize("exponent", [2.0, 3.0, 0.5, 1.0, 0.0, -1.0, -2.0])
def test_pow_scalar_exponent(rng, exponent):
    """x ** k as exporters write it; integral exponents take negative bases."""
    x = f32(rng.standard_normal((3, 17)) * 2)
    if exponent in (0.5,):
        x = np.abs(x)
    if exponent < 0:
        x = np.where(np.abs(x) < 0.1, 0.5, x).astype(np.float32)
    model = single_op("Pow", {"x": x.shape}, {"k": f32(exponent)})
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_pow_integer_exponent_tensor(rng, dtype):
    """ONNX Pow allows an integer exponent (T2) with a float base."""
    x = f32(rng.standard_normal((2, 6)) * 2)
    model = make_model_for([helper.make_node("Pow", ["x", "k"], ["y"])], {"x": x}, ["y"], {"k": np.array(3, dtype)})
    assert_close_to_ort(model, {"x": x})


# ---- Min / Max / Sum / Mean ------------------------------------------------------------

VARIADIC_SHAPES = [
    [(3, 4)],
    [(3, 4), (3, 4)],
    [(3, 4), (4,)],
    [(2, 3, 4), (3, 1), ()],
    [(2, 1, 4), (3, 1), (4,), (2, 3, 4)],
    [(1, 5), (4, 1), (4, 5), (1,)],
    [(2, 3, 4, 5), (3, 1, 1), (1, 1, 4, 5)],
]


@pytest.mark.parametrize("op", ["Min", "Max", "Sum", "Mean"])
@pytest.mark.parametrize("shapes", VARIADIC_SHAPES, ids=str)
def test_variadic(rng, op, shapes):
    names = [f"x{i}" for i in range(len(shapes))]
    feeds = {n: f32(rng.standard_normal(s)) for n, s in zip(names, shapes)}
    model = single_op(op, {n: s for n, s in zip(names, shapes)}, input_names=names)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", ["Min", "Max", "Sum", "Mean"])
def test_variadic_with_constants(rng, op):
    """Some operands constant, one repeated."""
    x = f32(rng.standard_normal((2, 3, 4)))
    inits = {"c1": f32(rng.standard_normal((4,))), "c2": f32(rng.standard_normal((3, 1)))}
    model = single_op(op, {"x": x.shape}, inits, input_names=["x", "c1", "x", "c2"])
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("op", ["Min", "Max"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_min_max_int(rng, op, dtype):
    a = rng.integers(-50, 50, (3, 4)).astype(dtype)
    b = rng.integers(-50, 50, (4,)).astype(dtype)
    model = make_model_for([helper.make_node(op, ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"], opset=13)
    assert_close_to_ort(model, {"a": a, "b": b})


@pytest.mark.parametrize("op", ["Min", "Max"])
def test_min_max_clamp_pattern(rng, op):
    """clamp(x, lo, hi) exported as Max(Min(x, hi), lo) with scalar constants."""
    other = "Max" if op == "Min" else "Min"
    nodes = [helper.make_node(op, ["x", "k1"], ["t"]), helper.make_node(other, ["t", "k2"], ["y"])]
    k1, k2 = (f32(1.0), f32(-0.5)) if op == "Min" else (f32(-0.5), f32(1.0))
    model = make_model(nodes, {"x": (2, 10)}, ["y"], {"k1": k1, "k2": k2}, opset=13)
    assert_close_to_ort(model, {"x": f32(rng.standard_normal((2, 10)))})


# ---- PRelu -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x_shape,slope_shape",
    [((2, 5), (1,)), ((2, 5), ()), ((2, 5), (5,)), ((3, 4, 6), (6,)), ((3, 4, 6), (4, 1)), ((2, 3, 4, 5), (3, 1, 1)),
     ((2, 3, 4, 5), (2, 3, 4, 5)), ((1, 8), (1, 8))],
    ids=str,
)
def test_prelu(rng, x_shape, slope_shape):
    x = f32(rng.standard_normal(x_shape))
    slope = f32(rng.uniform(-0.5, 0.5, slope_shape))
    assert_close_to_ort(single_op("PRelu", {"x": x_shape}, {"slope": slope}), {"x": x})


def test_prelu_dynamic_slope(rng):
    x = f32(rng.standard_normal((3, 4)))
    slope = f32(rng.uniform(0, 0.5, (4,)))
    assert_close_to_ort(single_op("PRelu", {"x": (3, 4), "slope": (4,)}), {"x": x, "slope": slope})


@pytest.mark.parametrize("slope_shape", [(8, 1, 1), (1,), ()], ids=str)
def test_prelu_after_conv(rng, slope_shape):
    """PyTorch's nn.PReLU(C) on a conv output exports slope [C, 1, 1]; it must follow the
    channel into NHWC."""
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("PRelu", ["c", "slope"], ["y"]),
    ]
    inits = {"w": f32(rng.standard_normal((8, 3, 3, 3))), "b": f32(rng.standard_normal(8)),
             "slope": f32(rng.uniform(-0.5, 0.5, slope_shape))}
    model = make_model(nodes, {"x": (1, 3, 6, 7)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng.standard_normal((1, 3, 6, 7)))})


# ---- integer arithmetic ----------------------------------------------------------------

INT_SHAPES = [((4,), (4,)), ((2, 3, 4), (4,)), ((3, 1), (1, 5)), ((2, 3), ()), ((), (6,))]


@pytest.mark.parametrize("op", ["Add", "Sub", "Mul", "Div"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("a_shape,b_shape", INT_SHAPES, ids=str)
def test_int_arithmetic(rng, op, dtype, a_shape, b_shape):
    """Integer Div truncates toward zero, as ONNX Runtime does (negative operands included)."""
    a = np.asarray(rng.integers(-1000, 1000, a_shape), dtype)
    b = np.asarray(rng.integers(-40, 40, b_shape), dtype)
    if op == "Div":
        b = np.asarray(np.where(b == 0, 7, b), dtype)
    model = make_model_for([helper.make_node(op, ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    assert_close_to_ort(model, {"a": a, "b": b})


@pytest.mark.parametrize("op", ["Add", "Sub", "Mul", "Div"])
def test_int64_with_constant(rng, op):
    """Index arithmetic as in position-id computations: ids op constant."""
    ids = rng.integers(0, 500, (1, 12)).astype(np.int64)
    k = np.array([3], np.int64)
    model = make_model_for([helper.make_node(op, ["ids", "k"], ["y"])], {"ids": ids}, ["y"], {"k": k})
    assert_close_to_ort(model, {"ids": ids})


def test_int64_large_values(rng):
    """Values beyond 2^31 keep their 64 bits."""
    a = rng.integers(-(2**40), 2**40, (6,)).astype(np.int64)
    b = rng.integers(-(2**20), 2**20, (6,)).astype(np.int64)
    nodes = [helper.make_node("Mul", ["a", "b"], ["m"]), helper.make_node("Sub", ["m", "a"], ["y"])]
    model = make_model_for(nodes, {"a": a, "b": b}, ["y"])
    assert_close_to_ort(model, {"a": a, "b": b})
