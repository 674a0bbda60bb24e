"""Unary math ops (Exp .. Cos, Softplus, Mish, HardSigmoid), integer Abs/Neg, and the activation
patterns exporters spell out (Gelu through Erf, x * Sigmoid(x)) vs ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for, single_op
from onnx import helper

SHAPES = [(7,), (2, 3, 4), (1, 3, 5, 5), (2, 17, 33), ()]


def _halves(rng, shape):
    """Values around exact halves, where rounding modes differ."""
    base = rng.integers(-6, 7, shape) + 0.5
    jitter = rng.choice([0.0, 0.0, 1e-3, -1e-3, 0.3], shape)
    return base + jitter


# op -> input data for it (the op's domain, with the hard corners of it)
DOMAINS = {
    "Exp": lambda rng, s: rng.uniform(-10, 10, s),
    "Log": lambda rng, s: rng.uniform(1e-3, 50, s),
    "Sqrt": lambda rng, s: rng.uniform(0, 50, s),
    "Abs": lambda rng, s: rng.standard_normal(s),
    "Neg": lambda rng, s: rng.standard_normal(s),
    "Reciprocal": lambda rng, s: rng.uniform(0.05, 20, s) * rng.choice([-1, 1], s),
    "Floor": lambda rng, s: 4 * rng.standard_normal(s),
    "Ceil": lambda rng, s: 4 * rng.standard_normal(s),
    "Round": _halves,
    "Erf": lambda rng, s: 2 * rng.standard_normal(s),
    "Softplus": lambda rng, s: rng.uniform(-30, 30, s),
    "Sin": lambda rng, s: rng.uniform(-10, 10, s),
    "Cos": lambda rng, s: rng.uniform(-10, 10, s),
}


def f32(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


@pytest.mark.parametrize("op", list(DOMAINS))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_unary(rng, op, shape):
    x = f32(DOMAINS[op](rng, shape))
    assert_close_to_ort(single_op(op, {"x": x.shape}), {"x": x})


def test_round_half_to_even(rng):
    x = f32([-3.5, -2.5, -1.5, -0.5, -0.0, 0.5, 1.5, 2.5, 3.5, 0.49999997, -0.49999997, 1.4999999, 2.5000002])
    got = assert_close_to_ort(single_op("Round", {"x": x.shape}), {"x": x})
    assert got["y"].tolist() == [-4, -2, -2, -0, 0, 0, 2, 2, 4, 0, -0, 1, 3]


@pytest.mark.parametrize("op", ["Exp", "Softplus", "Erf", "Sin", "Floor"])
def test_unary_wide_range(rng, op):
    """Large magnitudes: overflow-prone forms (log(1 + e^x) at x = 80) must not give inf or NaN."""
    x = f32(np.concatenate([rng.uniform(-85, 85, 40), [-80.0, -20.0, 0.0, 20.0, 80.0]]))
    assert_close_to_ort(single_op(op, {"x": x.shape}), {"x": x})


@pytest.mark.parametrize("op", ["Sqrt", "Log"])
def test_unary_at_zero_and_one(op):
    x = f32([0.0, 1.0, 4.0, 1e-30, 1e30]) if op == "Sqrt" else f32([1.0, 1e-30, 1e30, np.e, 0.5])
    assert_close_to_ort(single_op(op, {"x": x.shape}), {"x": x})


@pytest.mark.parametrize("attrs", [{}, {"alpha": 0.5, "beta": 0.3}, {"alpha": 1 / 6, "beta": 0.5}, {"alpha": -0.2}], ids=str)
@pytest.mark.parametrize("shape", [(2, 3, 4), (37,)], ids=str)
def test_hard_sigmoid(rng, attrs, shape):
    x = f32(4 * rng.standard_normal(shape))
    assert_close_to_ort(single_op("HardSigmoid", {"x": x.shape}, **attrs), {"x": x})


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_mish(rng, shape):
    x = f32(rng.uniform(-25, 25, shape))
    assert_close_to_ort(single_op("Mish", {"x": x.shape}, opset=18), {"x": x})


@pytest.mark.parametrize("op", ["Abs", "Neg"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
@pytest.mark.parametrize("shape", [(5,), (2, 3, 4)], ids=str)
def test_unary_int(rng, op, dtype, shape):
    x = rng.integers(-1000, 1000, shape).astype(dtype)
    model = make_model_for([helper.make_node(op, ["x"], ["y"])], {"x": x}, ["y"])
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("const_first", [False, True])
@pytest.mark.parametrize("shape", [(2, 8), (1, 16, 5, 5), (3, 7, 64)], ids=str)
def test_gelu_erf_pattern(rng, shape, const_first):
    """PyTorch's exact GELU export: x * 0.5 * (1 + erf(x / sqrt(2)))."""
    last = ["half", "m1"] if const_first else ["m1", "half"]
    nodes = [
        helper.make_node("Div", ["x", "sqrt2"], ["d"]),
        helper.make_node("Erf", ["d"], ["e"]),
        helper.make_node("Add", ["e", "one"], ["p"]),
        helper.make_node("Mul", ["x", "p"], ["m1"]),
        helper.make_node("Mul", last, ["y"]),
    ]
    inits = {"sqrt2": f32(np.sqrt(2.0)), "one": f32(1.0), "half": f32(0.5)}
    model = make_model(nodes, {"x": shape}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(3 * rng.standard_normal(shape))})


def test_gelu_erf_pattern_bert_form(rng):
    """The transformers form: 0.5 * x * (1 + erf(x * 0.70710677))."""
    nodes = [
        helper.make_node("Mul", ["x", "rsqrt2"], ["d"]),
        helper.make_node("Erf", ["d"], ["e"]),
        helper.make_node("Add", ["one", "e"], ["p"]),
        helper.make_node("Mul", ["half", "x"], ["hx"]),
        helper.make_node("Mul", ["hx", "p"], ["y"]),
    ]
    inits = {"rsqrt2": f32(0.70710677), "one": f32(1.0), "half": f32(0.5)}
    model = make_model(nodes, {"x": (2, 5, 32)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(3 * rng.standard_normal((2, 5, 32)))})


@pytest.mark.parametrize("order", ["x_s", "s_x"])
@pytest.mark.parametrize("shape", [(2, 8), (1, 16, 5, 5), (3, 7, 64)], ids=str)
def test_swish_pattern(rng, shape, order):
    """SiLU as exported: Mul(x, Sigmoid(x)), either operand order."""
    mul_in = ["x", "s"] if order == "x_s" else ["s", "x"]
    nodes = [helper.make_node("Sigmoid", ["x"], ["s"]), helper.make_node("Mul", mul_in, ["y"])]
    model = make_model(nodes, {"x": shape}, ["y"])
    assert_close_to_ort(model, {"x": f32(rng.uniform(-30, 30, shape))})


def test_swish_sigmoid_also_used(rng):
    """The sigmoid has a second consumer: a fusion must keep it."""
    nodes = [
        helper.make_node("Sigmoid", ["x"], ["s"]),
        helper.make_node("Mul", ["x", "s"], ["y"]),
        helper.make_node("Add", ["s", "y"], ["z"]),
    ]
    model = make_model(nodes, {"x": (3, 9)}, ["y", "z"])
    assert_close_to_ort(model, {"x": f32(4 * rng.standard_normal((3, 9)))})


def test_unary_chain(rng):
    """exp(log(sqrt(|x|) + 1)) and friends, back to back (in-place reuse of buffers)."""
    nodes = [
        helper.make_node("Abs", ["x"], ["a"]),
        helper.make_node("Sqrt", ["a"], ["s"]),
        helper.make_node("Softplus", ["s"], ["p"]),
        helper.make_node("Log", ["p"], ["l"]),
        helper.make_node("Exp", ["l"], ["e"]),
        helper.make_node("Neg", ["e"], ["n"]),
        helper.make_node("Reciprocal", ["n"], ["r"]),
        helper.make_node("Cos", ["r"], ["y"]),
    ]
    model = make_model(nodes, {"x": (4, 6)}, ["y"])
    assert_close_to_ort(model, {"x": f32(rng.standard_normal((4, 6)))})


@pytest.mark.parametrize("form", ["reciprocal", "div"])
def test_rsqrt_patterns(rng, form):
    """1 / sqrt(v) and a / sqrt(v), as normalisation code writes them."""
    v = f32(rng.uniform(0.01, 10, (3, 8)))
    a = f32(rng.standard_normal((3, 8)))
    if form == "reciprocal":
        nodes = [helper.make_node("Sqrt", ["v"], ["s"]), helper.make_node("Reciprocal", ["s"], ["y"])]
    else:
        nodes = [helper.make_node("Sqrt", ["v"], ["s"]), helper.make_node("Div", ["a", "s"], ["y"])]
    model = make_model(nodes, {"v": (3, 8), "a": (3, 8)}, ["y"])
    assert_close_to_ort(model, {"v": v, "a": a})


def test_rsqrt_pattern_sqrt_also_used(rng):
    v = f32(rng.uniform(0.01, 10, (4, 5)))
    nodes = [helper.make_node("Sqrt", ["v"], ["s"]), helper.make_node("Div", ["one", "s"], ["r"]),
             helper.make_node("Add", ["r", "s"], ["y"])]
    model = make_model(nodes, {"v": (4, 5)}, ["y", "s"], {"one": f32(1.0)})
    assert_close_to_ort(model, {"v": v})


@pytest.mark.parametrize("order", ["x_h", "h_x"])
def test_hard_swish_pattern(rng, order):
    """x * HardSigmoid(x) with the hard-swish constants (alpha 1/6)."""
    mul_in = ["x", "h"] if order == "x_h" else ["h", "x"]
    nodes = [helper.make_node("HardSigmoid", ["x"], ["h"], alpha=1 / 6, beta=0.5), helper.make_node("Mul", mul_in, ["y"])]
    model = make_model(nodes, {"x": (2, 9, 4)}, ["y"])
    assert_close_to_ort(model, {"x": f32(4 * rng.standard_normal((2, 9, 4)))})


def test_hard_sigmoid_times_x_other_constants(rng):
    """x * HardSigmoid(x) with the default alpha 0.2 is not hard-swish; it must stay exact."""
    nodes = [helper.make_node("HardSigmoid", ["x"], ["h"]), helper.make_node("Mul", ["x", "h"], ["y"])]
    model = make_model(nodes, {"x": (2, 9)}, ["y"])
    assert_close_to_ort(model, {"x": f32(4 * rng.standard_normal((2, 9)))})
