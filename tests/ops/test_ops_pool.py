"""MaxPool / AveragePool / GlobalAveragePool / ReduceMean against ONNX Runtime."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from helpers import assert_close_to_ort, random_feeds, single_op

# (name, NCHW input shape, attributes)
MAX_CASES: list[tuple[str, tuple[int, ...], dict[str, Any]]] = [
    ("k2_s2", (1, 3, 8, 8), {"kernel_shape": [2, 2], "strides": [2, 2]}),
    ("k2_s2_odd", (2, 4, 7, 9), {"kernel_shape": [2, 2], "strides": [2, 2]}),
    ("k3_s2_pad1", (1, 8, 9, 9), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ("k3_s1_pad1", (1, 3, 6, 6), {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}),
    ("k3_s2_ceil", (1, 3, 8, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1}),
    ("k3_s2_ceil_pad1", (1, 3, 7, 7), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1}),
    ("k2_s2_ceil_pad1_drop", (1, 2, 6, 6), {"kernel_shape": [2, 2], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1}),
    ("k3_dil2", (1, 3, 9, 9), {"kernel_shape": [3, 3], "dilations": [2, 2]}),
    ("k2_dil2_s2_pad", (1, 4, 10, 10), {"kernel_shape": [2, 2], "dilations": [2, 2], "strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ("k3_asym", (1, 3, 7, 8), {"kernel_shape": [3, 3], "pads": [0, 1, 2, 0]}),
    ("k2x3_s21", (1, 3, 8, 9), {"kernel_shape": [2, 3], "strides": [2, 1]}),
    ("same_upper_s2", (1, 3, 9, 9), {"kernel_shape": [3, 3], "strides": [2, 2], "auto_pad": "SAME_UPPER"}),
    ("same_lower_k2", (1, 3, 7, 7), {"kernel_shape": [2, 2], "auto_pad": "SAME_LOWER"}),
    ("valid_s2", (1, 3, 9, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "auto_pad": "VALID"}),
]

AVG_CASES: list[tuple[str, tuple[int, ...], dict[str, Any]]] = [
    ("k2_s2", (1, 3, 8, 8), {"kernel_shape": [2, 2], "strides": [2, 2]}),
    ("k3_s1_pad1_excl", (1, 4, 6, 6), {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}),
    ("k3_s1_pad1_incl", (1, 4, 6, 6), {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1], "count_include_pad": 1}),
    ("k3_s2_asym_excl", (2, 3, 9, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [0, 1, 2, 1]}),
    ("k3_s2_asym_incl", (2, 3, 9, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [0, 1, 2, 1], "count_include_pad": 1}),
    ("k3_s2_ceil", (1, 3, 8, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1}),
    ("k3_s2_ceil_pad1_excl", (1, 3, 8, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1}),
    ("k3_s2_ceil_pad1_incl", (1, 3, 8, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1, "count_include_pad": 1}),
    ("k7_global_like", (1, 8, 7, 7), {"kernel_shape": [7, 7]}),
    ("k2x3_s12", (1, 3, 8, 9), {"kernel_shape": [2, 3], "strides": [1, 2]}),
    ("same_upper_s2", (1, 3, 9, 9), {"kernel_shape": [3, 3], "strides": [2, 2], "auto_pad": "SAME_UPPER"}),
    ("same_lower_k2", (1, 3, 7, 7), {"kernel_shape": [2, 2], "auto_pad": "SAME_LOWER"}),
    ("valid_s2", (1, 3, 9, 8), {"kernel_shape": [3, 3], "strides": [2, 2], "auto_pad": "VALID"}),
]


@pytest.mark.parametrize("name,shape,attrs", MAX_CASES, ids=[c[0] for c in MAX_CASES])
@pytest.mark.parametrize("threads", [1, 2])
def test_maxpool(rng, name, shape, attrs, threads):
    model = single_op("MaxPool", {"x": shape}, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=threads)


def test_maxpool_all_negative(rng):
    """Padding must never win a max: all inputs below zero."""
    model = single_op("MaxPool", {"x": (1, 2, 5, 5)}, kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    x = -np.abs(rng.standard_normal((1, 2, 5, 5))).astype(np.float32) - 1.0
    assert_close_to_ort(model, {"x": x})


@pytest.mark.parametrize("name,shape,attrs", AVG_CASES, ids=[c[0] for c in AVG_CASES])
@pytest.mark.parametrize("threads", [1, 2])
def test_averagepool(rng, name, shape, attrs, threads):
    model = single_op("AveragePool", {"x": shape}, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=threads)


@pytest.mark.parametrize("shape", [(1, 8, 7, 7), (2, 3, 1, 1), (1, 16, 5, 3), (2, 32, 4, 4)], ids=str)
def test_global_average_pool(rng, shape):
    model = single_op("GlobalAveragePool", {"x": shape})
    assert_close_to_ort(model, random_feeds(model, rng))


REDUCE_CASES = [
    ((2, 3, 4, 5), [2, 3]),
    ((2, 3, 4, 5), [1]),
    ((2, 3, 4, 5), [-1]),
    ((2, 3, 4, 5), [0, 2]),
    ((2, 3, 4, 5), [1, 2, 3]),
    ((2, 3, 4, 5), None),
    ((3, 4, 5), [1]),
    ((3, 4, 5), [-2, -1]),
    ((6, 7), [0]),
]


@pytest.mark.parametrize("keepdims", [1, 0])
@pytest.mark.parametrize("shape,axes", REDUCE_CASES, ids=str)
def test_reduce_mean_opset13(rng, shape, axes, keepdims):
    """Opset 13: axes is an attribute (absent: all axes)."""
    attrs = {"keepdims": keepdims} | ({} if axes is None else {"axes": axes})
    model = single_op("ReduceMean", {"x": shape}, opset=13, **attrs)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("keepdims", [1, 0])
@pytest.mark.parametrize("shape,axes", REDUCE_CASES, ids=str)
def test_reduce_mean_opset18(rng, shape, axes, keepdims):
    """Opset 18: axes is an optional (here constant) input."""
    inits = {} if axes is None else {"axes": np.array(axes, dtype=np.int64)}
    model = single_op("ReduceMean", {"x": shape}, inits, opset=18, keepdims=keepdims)
    assert_close_to_ort(model, random_feeds(model, rng))
