"""Expand, Tile, DepthToSpace / SpaceToDepth and TopK vs ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for
from onnx import helper


def i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


# ---- Expand / Tile ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape,target",
    [((3, 1), (2, 3, 4)), ((1,), (2, 3)), ((4,), (3, 4)), ((2, 1, 4), (2, 3, 4)), ((3, 4), (1, 1)),
     ((1, 1, 5), (2, 3, 1)), ((), (2, 2)), ((1, 3, 1, 1), (2, 3, 4, 5))],
    ids=str,
)
def test_expand(rng, shape, target):
    """numpy broadcasting of the input against the target shape (a 1 in the target keeps the
    input's dim)."""
    model = make_model([helper.make_node("Expand", ["x", "s"], ["y"])], {"x": shape}, ["y"], {"s": i64(*target)})
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


def test_expand_int64(rng):
    x = rng.integers(0, 9, (1, 4)).astype(np.int64)
    model = make_model_for([helper.make_node("Expand", ["x", "s"], ["y"])], {"x": x}, ["y"], {"s": i64(3, 4)})
    assert_close_to_ort(model, {"x": x})


def test_expand_bool_mask(rng):
    """A causal mask expanded over batch and heads, then used by Where."""
    mask = np.tril(np.ones((5, 5), bool)).reshape(1, 1, 5, 5)
    nodes = [
        helper.make_node("Expand", ["m", "s"], ["me"]),
        helper.make_node("Where", ["me", "x", "neg"], ["y"]),
    ]
    inits = {"m": mask, "s": i64(2, 3, 5, 5), "neg": np.array(-1e9, np.float32)}
    model = make_model_for(nodes, {"x": f32(rng, 2, 3, 5, 5)}, ["y"], inits)
    assert_close_to_ort(model, {"x": f32(rng, 2, 3, 5, 5)})


@pytest.mark.parametrize(
    "shape,repeats",
    [((3,), (2,)), ((2, 3), (1, 1)), ((2, 3), (2, 3)), ((1, 3, 1), (4, 1, 5)), ((2, 1, 3, 2), (1, 3, 1, 2)),
     ((4, 5), (3, 1))],
    ids=str,
)
def test_tile(rng, shape, repeats):
    model = make_model([helper.make_node("Tile", ["x", "r"], ["y"])], {"x": shape}, ["y"], {"r": i64(*repeats)})
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


def test_tile_int64(rng):
    x = rng.integers(0, 9, (2, 3)).astype(np.int64)
    model = make_model_for([helper.make_node("Tile", ["x", "r"], ["y"])], {"x": x}, ["y"], {"r": i64(2, 2)})
    assert_close_to_ort(model, {"x": x})


# ---- DepthToSpace / SpaceToDepth -------------------------------------------------------


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
@pytest.mark.parametrize("shape,block", [((1, 8, 2, 3), 2), ((2, 18, 3, 2), 3), ((1, 4, 1, 1), 2), ((1, 12, 4, 5), 2)],
                         ids=str)
def test_depth_to_space(rng, mode, shape, block):
    node = helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=block, mode=mode)
    model = make_model([node], {"x": shape}, ["y"], None, 13)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


def test_depth_to_space_default_mode(rng):
    model = make_model([helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=2)], {"x": (1, 8, 3, 3)}, ["y"], None, 11)
    assert_close_to_ort(model, {"x": f32(rng, 1, 8, 3, 3)})


@pytest.mark.parametrize("shape,block", [((1, 2, 4, 6), 2), ((2, 3, 6, 3), 3), ((1, 1, 2, 2), 2), ((1, 5, 8, 4), 4)],
                         ids=str)
def test_space_to_depth(rng, shape, block):
    model = make_model([helper.make_node("SpaceToDepth", ["x"], ["y"], blocksize=block)], {"x": shape}, ["y"], None, 13)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
def test_space_to_depth_then_depth_to_space(rng, mode):
    """The pair is the identity in DCR mode; in CRD mode it permutes channels."""
    nodes = [
        helper.make_node("SpaceToDepth", ["x"], ["s"], blocksize=2),
        helper.make_node("DepthToSpace", ["s"], ["y"], blocksize=2, mode=mode),
    ]
    model = make_model(nodes, {"x": (1, 3, 4, 6)}, ["y", "s"], None, 13)
    assert_close_to_ort(model, {"x": f32(rng, 1, 3, 4, 6)})


# ---- TopK ------------------------------------------------------------------------------


@pytest.mark.parametrize("largest", [1, 0])
@pytest.mark.parametrize(
    "shape,axis,k",
    [((10,), 0, 3), ((3, 10), -1, 1), ((3, 10), 1, 10), ((6, 4), 0, 2), ((2, 5, 7), 1, 4), ((2, 3, 200), -1, 5)],
    ids=str,
)
def test_topk(rng, largest, shape, axis, k):
    """Distinct values (a permutation), so the order of the indices is defined."""
    x = (rng.permutation(int(np.prod(shape))).reshape(shape) * 0.25 - 7).astype(np.float32)
    node = helper.make_node("TopK", ["x", "k"], ["values", "indices"], axis=axis, largest=largest, sorted=1)
    model = make_model_for([node], {"x": x}, ["values", "indices"], {"k": i64(k)}, 11)
    assert_close_to_ort(model, {"x": x})


def test_topk_opset10_default_largest(rng):
    x = f32(rng, 3, 8)
    model = make_model_for([helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=1)], {"x": x}, ["v", "i"],
                           {"k": i64(3)}, 10)
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("largest", [1, 0])
def test_topk_ties_keep_lower_index_first(rng, largest):
    x = np.array([[1, 3, 3, 2, 3, 1, 0, 1]], np.float32)
    node = helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=1, largest=largest)
    model = make_model_for([node], {"x": x}, ["v", "i"], {"k": i64(4)}, 11)
    assert_close_to_ort(model, {"x": x})


def test_topk_values_feed_softmax(rng):
    """Only the values used (indices output unused by the graph but present in the node)."""
    x = f32(rng, 2, 12)
    nodes = [helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=-1), helper.make_node("Softmax", ["v"], ["y"], axis=-1)]
    model = make_model_for(nodes, {"x": x}, ["y"], {"k": i64(4)}, 13)
    assert_close_to_ort(model, {"x": x})
