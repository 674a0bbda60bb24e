"""Split, Slice and Gather vs ONNX Runtime: every way exporters give sizes, bounds and indices."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for
from onnx import helper

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


def i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


# ---- Split -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape,axis,split",
    [((6, 4), 0, [2, 4]), ((2, 6, 3), 1, [1, 2, 3]), ((2, 6, 3), -1, [1, 2]), ((2, 3, 8), 2, [4, 4]),
     ((5,), 0, [1, 1, 3]), ((2, 6, 3), 1, [6])],
    ids=str,
)
@pytest.mark.parametrize("opset", [11, 13])
def test_split_sizes(rng, shape, axis, split, opset):
    """Sizes as the opset-11 attribute or the opset-13 input."""
    outs = [f"y{i}" for i in range(len(split))]
    if opset >= 13:
        node = helper.make_node("Split", ["x", "split"], outs, axis=axis)
        inits = {"split": i64(*split)}
    else:
        node = helper.make_node("Split", ["x"], outs, axis=axis, split=split)
        inits = {}
    model = make_model([node], {"x": shape}, outs, inits, opset)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


@pytest.mark.parametrize("shape,axis,n", [((6, 4), 0, 2), ((2, 6, 3), 1, 3), ((2, 3, 8), -1, 4), ((9,), 0, 3)], ids=str)
@pytest.mark.parametrize("opset", [11, 13])
def test_split_equal_by_output_count(rng, shape, axis, n, opset):
    outs = [f"y{i}" for i in range(n)]
    model = make_model([helper.make_node("Split", ["x"], outs, axis=axis)], {"x": shape}, outs, None, opset)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


@pytest.mark.parametrize("shape,axis,n", [((6, 4), 0, 2), ((2, 7, 3), 1, 3), ((2, 3, 10), -1, 4), ((5,), 0, 2)], ids=str)
def test_split_num_outputs_opset18(rng, shape, axis, n):
    """num_outputs at opset 18; an uneven axis leaves the last chunk smaller."""
    outs = [f"y{i}" for i in range(n)]
    node = helper.make_node("Split", ["x"], outs, axis=axis, num_outputs=n)
    model = make_model([node], {"x": shape}, outs, None, 18)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


def test_split_outputs_feed_other_ops(rng):
    """q, k, v = split(x); q * k + v: each output used by a later op."""
    nodes = [
        helper.make_node("Split", ["x", "s"], ["q", "k", "v"], axis=-1),
        helper.make_node("Mul", ["q", "k"], ["qk"]),
        helper.make_node("Add", ["qk", "v"], ["y"]),
    ]
    model = make_model(nodes, {"x": (2, 5, 12)}, ["y"], {"s": i64(4, 4, 4)}, 13)
    assert_close_to_ort(model, {"x": f32(rng, 2, 5, 12)})


# ---- Slice -----------------------------------------------------------------------------

SLICES = [
    # shape, starts, ends, axes (None: all), steps (None: ones)
    ((5, 6), [1, 2], [4, 5], None, None),
    ((5, 6), [-3], [-1], [1], None),
    ((5, 6), [0], [INT64_MAX], [0], None),
    ((5, 6), [-1], [INT64_MIN], [1], [-1]),
    ((5, 6), [4, 5], [0, 0], [0, 1], [-1, -2]),
    ((5, 6), [-100], [100], [1], None),
    ((5, 6), [10], [20], [0], None),
    ((2, 3, 4, 5), [1], [3], [2], None),
    ((2, 3, 4, 5), [0, 1], [5, 100], [-1, -3], [2, 1]),
    ((2, 3, 4, 5), [3, -1], [0, -4], [3, 1], [-2, -1]),
    ((2, 3, 4, 5), [0, 0, 0, 0], [1, 3, 4, 5], None, [1, 2, 3, 4]),
    ((10,), [8], [-20], [0], [-3]),
    ((10,), [1], [9], [-1], [3]),
    ((4, 8), [2], [2], [1], None),
]


@pytest.mark.parametrize("shape,starts,ends,axes,steps", SLICES, ids=str)
def test_slice(rng, shape, starts, ends, axes, steps):
    """Negative and out-of-range starts / ends are clamped, INT64 extremes mean 'to the end',
    negative steps walk backwards, axes may be a subset, negative or permuted."""
    inits = {"starts": i64(*starts), "ends": i64(*ends)}
    names = ["x", "starts", "ends"]
    if axes is not None or steps is not None:
        inits["axes"] = i64(*(axes if axes is not None else range(len(starts))))
        names.append("axes")
    if steps is not None:
        inits["steps"] = i64(*steps)
        names.append("steps")
    model = make_model([helper.make_node("Slice", names, ["y"])], {"x": shape}, ["y"], inits, 13)
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


@pytest.mark.parametrize("starts,ends,axes", [([1], [3], [0]), ([0, 2], [2, 100], None), ([-2], [INT64_MAX], [-1])], ids=str)
def test_slice_opset1_attributes(rng, starts, ends, axes):
    attrs = {"starts": starts, "ends": ends}
    if axes is not None:
        attrs["axes"] = axes
    model = make_model([helper.make_node("Slice", ["x"], ["y"], **attrs)], {"x": (4, 5)}, ["y"], None, 9)
    assert_close_to_ort(model, {"x": f32(rng, 4, 5)})


def test_slice_int32_bounds(rng):
    inits = {"s": np.array([1], np.int32), "e": np.array([-1], np.int32), "a": np.array([1], np.int32)}
    model = make_model([helper.make_node("Slice", ["x", "s", "e", "a"], ["y"])], {"x": (3, 7)}, ["y"], inits, 13)
    assert_close_to_ort(model, {"x": f32(rng, 3, 7)})


def test_slice_int64_data(rng):
    x = rng.integers(-50, 50, (4, 6)).astype(np.int64)
    inits = {"s": i64(1, 0), "e": i64(3, 6), "a": i64(0, 1), "st": i64(1, 2)}
    model = make_model_for([helper.make_node("Slice", ["x", "s", "e", "a", "st"], ["y"])], {"x": x}, ["y"], inits, 13)
    assert_close_to_ort(model, {"x": x})


# ---- Gather ----------------------------------------------------------------------------

GATHERS = [
    # data shape, axis, indices
    ((5, 4), 0, np.array([0, 4, 2, 2], np.int64)),
    ((5, 4), 1, np.array([3, 0], np.int64)),
    ((5, 4), -1, np.array([[1, 2], [3, 0], [0, 0]], np.int64)),
    ((5, 4), 0, np.array(3, np.int64)),
    ((5, 4), 1, np.array(-1, np.int64)),
    ((2, 3, 4), 1, np.array([-3, -1, 0], np.int64)),
    ((2, 3, 4), 2, np.array([[3], [-4]], np.int64)),
    ((2, 3, 4), 0, np.array([[1, 0], [0, 1]], np.int64)),
    ((2, 3, 4, 5), 1, np.array([2, 0], np.int32)),
    ((7,), 0, np.array([6, -7, 0], np.int32)),
]


@pytest.mark.parametrize("shape,axis,indices", GATHERS, ids=lambda v: str(v.tolist()) if isinstance(v, np.ndarray) else str(v))
@pytest.mark.parametrize("dynamic", [False, True], ids=["const_idx", "dyn_idx"])
def test_gather(rng, shape, axis, indices, dynamic):
    """Constant or run-time indices (negative ones count from the end); scalar indices drop
    the axis."""
    x = f32(rng, *shape)
    node = helper.make_node("Gather", ["x", "i"], ["y"], axis=axis)
    if dynamic:
        feeds = {"x": x, "i": indices}
        model = make_model_for([node], feeds, ["y"])
    else:
        feeds = {"x": x}
        model = make_model_for([node], feeds, ["y"], {"i": indices})
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("ids_shape", [(1, 12), (3, 7), (5,)], ids=str)
def test_embedding_lookup(rng, dtype, ids_shape):
    """Token ids (a model input) index a constant embedding table, as in every transformer."""
    table = f32(rng, 100, 16)
    ids = rng.integers(0, 100, ids_shape).astype(dtype)
    ids.flat[0], ids.flat[-1] = 0, 99
    model = make_model_for([helper.make_node("Gather", ["table", "ids"], ["y"], axis=0)], {"ids": ids}, ["y"],
                           {"table": table})
    assert_close_to_ort(model, {"ids": ids})


def test_embedding_plus_positions(rng):
    """word + position embeddings, position ids a constant: the BERT embedding block."""
    ids = rng.integers(0, 30, (2, 6)).astype(np.int64)
    nodes = [
        helper.make_node("Gather", ["words", "ids"], ["we"], axis=0),
        helper.make_node("Gather", ["positions", "pos"], ["pe"], axis=0),
        helper.make_node("Add", ["we", "pe"], ["y"]),
    ]
    inits = {"words": f32(rng, 30, 8), "positions": f32(rng, 16, 8), "pos": i64(0, 1, 2, 3, 4, 5).reshape(1, 6)}
    model = make_model_for(nodes, {"ids": ids}, ["y"], inits)
    assert_close_to_ort(model, {"ids": ids})


def test_gather_int64_data(rng):
    x = rng.integers(-9, 9, (4, 3)).astype(np.int64)
    model = make_model_for([helper.make_node("Gather", ["x", "i"], ["y"], axis=1)], {"x": x}, ["y"], {"i": i64(2, 0)})
    assert_close_to_ort(model, {"x": x})


def test_gather_out_of_range_index_fails_at_run_time(rng):
    """An index outside the table is a run-time error, not a read outside the buffer."""
    from helpers import convert

    import mote

    table = f32(rng, 10, 4)
    ids = np.array([[1, 2]], np.int64)
    model = make_model_for([helper.make_node("Gather", ["table", "ids"], ["y"], axis=0)], {"ids": ids}, ["y"],
                           {"table": table})
    m = mote.load(convert(model))
    assert np.array_equal(m.run({"ids": ids})["y"], table[[[1, 2]]])
    with pytest.raises(mote.MoteError):
        m.run({"ids": np.array([[1, 10]], np.int64)})
    with pytest.raises(mote.MoteError):
        m.run({"ids": np.array([[-11, 0]], np.int64)})
