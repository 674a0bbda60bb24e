"""Data-movement ops: Reshape, Flatten, Concat, Pad, Transpose against ONNX Runtime."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import assert_close_to_ort, random_feeds, single_op


@pytest.mark.parametrize(
    "shape,target",
    [
        ((2, 3, 4), (6, 4)),
        ((2, 3, 4), (-1,)),
        ((2, 3, 4), (0, -1)),
        ((2, 3, 4), (4, 0, 2)),
        ((2, 3, 4, 5), (0, 0, -1)),
        ((2, 3, 4, 5), (2, -1, 5)),
        ((1, 12), (1, 3, 2, 2)),
        ((24,), (2, 3, 4)),
        ((1, 8, 2, 2), (1, 32)),
        ((1, 8, 2, 2), (1, 2, 4, 4)),
    ],
    ids=str,
)
def test_reshape(rng, shape, target):
    model = single_op("Reshape", {"x": shape}, {"shape": np.array(target, dtype=np.int64)})
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize(
    "shape,axis",
    [((2, 3, 4, 5), a) for a in (0, 1, 2, 3, 4, -1, -3)] + [((3, 4), 1), ((3, 4), 0), ((2, 3, 4), 2)],
    ids=str,
)
def test_flatten(rng, shape, axis):
    model = single_op("Flatten", {"x": shape}, axis=axis)
    assert_close_to_ort(model, random_feeds(model, rng))


def test_flatten_default_axis(rng):
    model = single_op("Flatten", {"x": (2, 3, 4, 5)})
    assert_close_to_ort(model, random_feeds(model, rng))


def concat_shapes(base: tuple[int, ...], axis: int, sizes: tuple[int, ...]) -> list[tuple[int, ...]]:
    ax = axis % len(base)
    return [tuple(s if i == ax else d for i, d in enumerate(base)) for s in sizes]


@pytest.mark.parametrize(
    "base,axis",
    [((2, 3, 4, 5), a) for a in (0, 1, 2, 3, -1, -3)] + [((3, 4, 5), 1), ((3, 4, 5), -1), ((4, 6), 0), ((4, 6), 1)],
    ids=str,
)
@pytest.mark.parametrize("constant_middle", [False, True])
def test_concat(rng, base, axis, constant_middle):
    shapes = concat_shapes(base, axis, (2, 1, 3))
    inputs = {"a": shapes[0], "c": shapes[2]}
    inits = {}
    if constant_middle:
        inits["b"] = rng.standard_normal(shapes[1]).astype(np.float32)
    else:
        inputs["b"] = shapes[1]
    model = single_op("Concat", inputs, inits, input_names=["a", "b", "c"], axis=axis)
    assert_close_to_ort(model, random_feeds(model, rng))


def test_concat_single_input(rng):
    model = single_op("Concat", {"a": (2, 3)}, axis=0)
    assert_close_to_ort(model, random_feeds(model, rng))


PAD_CASES = [
    ((1, 3, 5, 6), [0, 0, 1, 2, 0, 0, 2, 1]),
    ((2, 3, 4, 4), [0, 0, 0, 1, 0, 0, 3, 0]),
    ((1, 3, 5, 6), [0, 0, 2, 2, 0, 0, 2, 2]),
    ((3, 5), [1, 2, 2, 1]),
    ((2, 4, 5), [0, 1, 2, 0, 2, 3]),
]


@pytest.mark.parametrize("opset", [13, 17])
@pytest.mark.parametrize("mode", ["constant", "reflect", "edge"])
@pytest.mark.parametrize("shape,pads", PAD_CASES, ids=str)
def test_pad(rng, opset, mode, shape, pads):
    """Opset 11+: pads (and the constant value) are inputs."""
    inits = {"pads": np.array(pads, dtype=np.int64)}
    if mode == "constant":
        inits["value"] = np.array(1.5, dtype=np.float32)
    model = single_op("Pad", {"x": shape}, inits, opset=opset, mode=mode)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("pads", [[0, 0, 1, 1, 0, 0, 1, 1], [0, 2, 0, 0, 1, 1, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0]], ids=str)
def test_pad_constant_default_value(rng, pads):
    """No value input: pad with zeros, on any axis (channels and batch included)."""
    model = single_op("Pad", {"x": (1, 3, 4, 4)}, {"pads": np.array(pads, dtype=np.int64)})
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize(
    "shape,perm",
    [((2, 3, 4), p) for p in itertools.permutations(range(3))]
    + [((2, 3, 4, 5), p) for p in [(0, 2, 3, 1), (0, 3, 1, 2), (3, 2, 1, 0), (1, 0, 2, 3), (0, 1, 3, 2), (2, 0, 3, 1)]]
    + [((1, 8, 1, 5), (0, 2, 3, 1)), ((2, 3, 1, 4, 2), (0, 4, 2, 1, 3))],
    ids=str,
)
def test_transpose(rng, shape, perm):
    model = single_op("Transpose", {"x": shape}, perm=list(perm))
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (2, 3, 4, 5)], ids=str)
def test_transpose_default_perm(rng, shape):
    """No perm: reverse the dims."""
    model = single_op("Transpose", {"x": shape})
    assert_close_to_ort(model, random_feeds(model, rng))
