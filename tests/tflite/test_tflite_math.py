"""TFLite elementwise, activation, softmax, matmul and reduction ops, built directly, against LiteRT."""

from __future__ import annotations

import numpy as np
import pytest
from builder import ModelBuilder, options
from tflite_check import check


def _unary(op: str, opts=None, shape=(2, 3, 4, 5)) -> bytes:
    b = ModelBuilder()
    b.input("x", shape)
    b.op(op, ["x"], [("y", shape)], opts)
    b.output("y")
    return b.build()


@pytest.mark.parametrize("op", ["RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LOGISTIC", "TANH", "HARD_SWISH",
                                "SQUARE"])
def test_activation(rng, op):
    check(_unary(op), rng, feeds={"x": (4 * rng.standard_normal((2, 3, 4, 5))).astype(np.float32)})


@pytest.mark.parametrize("alpha", [0.2, 0.01])
def test_leaky_relu(rng, alpha):
    check(_unary("LEAKY_RELU", options("LeakyReluOptions", alpha=alpha)), rng)


@pytest.mark.parametrize("approximate", [False, True])
def test_gelu(rng, approximate):
    check(_unary("GELU", options("GeluOptions", approximate=approximate)), rng)


@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
@pytest.mark.parametrize("shape", [(3, 10), (1, 4, 4, 6)])
def test_softmax(rng, beta, shape):
    check(_unary("SOFTMAX", options("SoftmaxOptions", beta=beta), shape), rng)


@pytest.mark.parametrize("shape", [(3, 10), (1, 4, 4, 6)])
def test_log_softmax(rng, shape):
    check(_unary("LOG_SOFTMAX", None, shape), rng, feeds={"x": (5 * rng.standard_normal(shape)).astype(np.float32)})


@pytest.mark.parametrize("op,opts", [("ADD", "AddOptions"), ("SUB", "SubOptions"), ("MUL", "MulOptions"),
                                     ("DIV", "DivOptions")])
@pytest.mark.parametrize("b_shape", [(1, 4, 4, 3), (3,), (1, 1, 1, 3), (4, 1, 3)])
@pytest.mark.parametrize("act", [0, 1, 2, 3])
def test_binary(rng, op, opts, b_shape, act):
    b = ModelBuilder()
    b.input("a", (1, 4, 4, 3))
    if len(b_shape) == 4:
        b.input("b", b_shape)
    else:
        b.const("b", (rng.uniform(0.5, 2.0, b_shape) * rng.choice([-1, 1], b_shape)).astype(np.float32))
    b.op(op, ["a", "b"], [("y", (1, 4, 4, 3))], options(opts, fusedActivationFunction=act))
    b.output("y")
    feeds = {"a": rng.standard_normal((1, 4, 4, 3)).astype(np.float32)}
    if len(b_shape) == 4:
        feeds["b"] = (rng.uniform(0.5, 2.0, b_shape) * rng.choice([-1, 1], b_shape)).astype(np.float32)
    check(b.build(), rng, feeds=feeds)


def test_squared_difference(rng):
    b = ModelBuilder()
    b.input("a", (2, 5))
    b.input("b", (1, 5))
    b.op("SQUARED_DIFFERENCE", ["a", "b"], [("y", (2, 5))])
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("adj_x,adj_y", [(False, False), (True, False), (False, True)])
def test_batch_matmul(rng, adj_x, adj_y):
    b = ModelBuilder()
    b.input("a", (2, 5, 3) if adj_x else (2, 3, 5))
    b.input("b", (1, 4, 5) if adj_y else (1, 5, 4))
    b.op("BATCH_MATMUL", ["a", "b"], [("y", (2, 3, 4))], options("BatchMatMulOptions", adjX=adj_x, adjY=adj_y))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("axes,keep", [([1, 2], True), ([1, 2], False), ([-1], False), ([0, 3], True), ([2], False)])
def test_mean(rng, axes, keep):
    shape = (2, 5, 4, 3)
    out = tuple(1 if i in [a % 4 for a in axes] else d for i, d in enumerate(shape)) if keep else \
        tuple(d for i, d in enumerate(shape) if i not in [a % 4 for a in axes])
    b = ModelBuilder()
    b.input("x", shape)
    b.const("axes", np.array(axes, np.int32))
    b.op("MEAN", ["x", "axes"], [("y", out)], options("ReducerOptions", keepDims=keep))
    b.output("y")
    check(b.build(), rng)
