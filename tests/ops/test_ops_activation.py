"""Element-wise activations and Softmax against ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, random_feeds, single_op

SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 4, 5, 6), (1, 1, 1, 1)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", ["Relu", "Sigmoid", "Tanh"])
def test_unary(rng, op, shape):
    model = single_op(op, {"x": shape})
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_hard_swish(rng, shape):
    model = single_op("HardSwish", {"x": shape}, opset=14)
    assert_close_to_ort(model, random_feeds(model, rng, scale=4.0))


def test_saturating_inputs():
    """Large magnitudes: sigmoid/tanh must saturate, not overflow into NaN."""
    x = np.array([-1000, -100, -30, -10, -1e-3, 0, 1e-3, 10, 30, 100, 1000], dtype=np.float32)
    for op in ("Sigmoid", "Tanh", "Relu"):
        assert_close_to_ort(single_op(op, {"x": x.shape}), {"x": x})
    assert_close_to_ort(single_op("HardSwish", {"x": x.shape}, opset=14), {"x": x})


@pytest.mark.parametrize("shape", [(2, 3, 4), (1, 3, 5, 5)], ids=str)
@pytest.mark.parametrize("alpha", [None, 0.2, 1.5])
def test_leaky_relu(rng, shape, alpha):
    attrs = {} if alpha is None else {"alpha": alpha}
    model = single_op("LeakyRelu", {"x": shape}, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("shape", [(2, 3, 4), (1, 3, 5, 5)], ids=str)
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu(rng, shape, approximate):
    model = single_op("Gelu", {"x": shape}, opset=20, approximate=approximate)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


def test_gelu_default_attribute(rng):
    model = single_op("Gelu", {"x": (4, 6)}, opset=20)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


CLIP_BOUNDS = [(-0.5, 0.7), (0.0, 6.0), (-1.0, None), (None, 0.25), (None, None)]


@pytest.mark.parametrize("lo,hi", CLIP_BOUNDS, ids=str)
@pytest.mark.parametrize("opset", [11, 13, 17])
def test_clip_inputs(rng, lo, hi, opset):
    """Opset 11+: min and max are optional inputs ('' when absent)."""
    inits, names = {}, ["x"]
    for key, val in (("lo", lo), ("hi", hi)):
        if val is not None:
            inits[key] = np.array(val, dtype=np.float32)
            names.append(key)
        else:
            names.append("")
    while names[-1] == "":
        names.pop()
    model = single_op("Clip", {"x": (2, 3, 4, 5)}, inits, input_names=names, opset=opset)
    assert_close_to_ort(model, random_feeds(model, rng, scale=2.0))


@pytest.mark.parametrize("lo,hi", [(-0.5, 0.7), (0.0, 6.0), (-1.0, None), (None, 0.25)], ids=str)
def test_clip_attributes_opset6(rng, lo, hi):
    attrs = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
    model = single_op("Clip", {"x": (3, 4, 5)}, opset=6, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng, scale=2.0))


@pytest.mark.parametrize(
    "shape,axis",
    [((4, 10), -1), ((4, 10), 0), ((2, 3, 4), -1), ((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), 2),
     ((2, 3, 4, 5), 1), ((2, 3, 4, 5), -1), ((1, 1000), 1)],
    ids=str,
)
def test_softmax_opset13(rng, shape, axis):
    """Opset 13: softmax along one axis."""
    model = single_op("Softmax", {"x": shape}, opset=13, axis=axis)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


@pytest.mark.parametrize(
    "shape,axis",
    [((4, 10), None), ((2, 3, 4), None), ((2, 3, 4), 0), ((2, 3, 4), 2), ((2, 3, 4), -1), ((2, 3, 4, 5), 1),
     ((2, 3, 4, 5), 2)],
    ids=str,
)
def test_softmax_opset11(rng, shape, axis):
    """Opset < 13: the input is flattened to 2-D at `axis` (default 1), softmax over all the trailing dims."""
    attrs = {} if axis is None else {"axis": axis}
    model = single_op("Softmax", {"x": shape}, opset=11, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng, scale=3.0))


def test_softmax_large_logits():
    x = np.array([[1000.0, 999.0, -1000.0, 0.0], [-50.0, -50.0, -50.0, -50.0]], dtype=np.float32)
    assert_close_to_ort(single_op("Softmax", {"x": x.shape}, axis=-1), {"x": x})
