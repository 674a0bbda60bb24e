"""Add / Sub / Mul / Div with numpy broadcasting, constant and dynamic operands."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, single_op
from onnx import helper

OPS = ["Add", "Sub", "Mul", "Div"]

SHAPES = [
    ((2, 3, 4), (2, 3, 4)),
    ((3, 4, 5), ()),
    ((), (3, 4, 5)),
    ((3, 4, 5), (1,)),
    ((3, 4, 5), (5,)),
    ((5,), (3, 4, 5)),
    ((4, 1), (3, 1, 5)),
    ((2, 3, 4, 5), (3, 1, 1)),
    ((2, 3, 4, 5), (1, 3, 1, 1)),
    ((2, 1, 4, 1), (1, 3, 1, 5)),
    ((1, 8, 6, 6), (8, 6, 1)),
    ((2, 3), (2, 3)),
    ((7,), (7,)),
]


def operand(rng: np.random.Generator, shape, divisor: bool) -> np.ndarray:
    """Standard normal data; a divisor stays at |x| in [0.5, 2] to avoid division by ~0."""
    if divisor:
        x = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    else:
        x = rng.standard_normal(shape)
    return np.asarray(x, dtype=np.float32)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("a_shape,b_shape", SHAPES, ids=str)
@pytest.mark.parametrize("const", ["none", "a", "b"])
def test_binary(rng, op, a_shape, b_shape, const):
    a = operand(rng, a_shape, False)
    b = operand(rng, b_shape, op == "Div")
    inputs, inits, feeds = {}, {}, {}
    for name, val in (("a", a), ("b", b)):
        if const == name:
            inits[name] = val
        else:
            inputs[name] = val.shape
            feeds[name] = val
    model = single_op(op, inputs, inits, input_names=["a", "b"])
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", OPS)
def test_binary_same_input_twice(rng, op):
    x = operand(rng, (3, 5), op == "Div")
    model = single_op(op, {"x": x.shape}, input_names=["x", "x"])
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("op", OPS)
def test_binary_chain_with_scalars(rng, op):
    """(x op 2.5) op y: scalar constants as produced by exporters for `x * 0.5` and friends."""
    nodes = [helper.make_node(op, ["x", "k"], ["t"]), helper.make_node(op, ["t", "y"], ["out"])]
    model = make_model(nodes, {"x": (2, 3, 4), "y": (4,)}, ["out"], {"k": np.array(2.5, dtype=np.float32)})
    feeds = {"x": operand(rng, (2, 3, 4), False), "y": operand(rng, (4,), op == "Div")}
    assert_close_to_ort(model, feeds)
