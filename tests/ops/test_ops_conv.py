"""Conv (NCHW sources; mote runs NHWC) and BatchNormalization against ONNX Runtime."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, random_feeds, single_op
from onnx import helper

# (name, input NCHW shape, out channels, kernel (kh, kw), attributes)
CONV_CASES: list[tuple[str, tuple[int, ...], int, tuple[int, int], dict[str, Any]]] = [
    ("c1_k3_pad1", (1, 1, 8, 8), 4, (3, 3), {"pads": [1, 1, 1, 1]}),
    ("c3_k3_s2_pad1", (1, 3, 9, 9), 8, (3, 3), {"strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ("c8_k1", (1, 8, 6, 6), 16, (1, 1), {}),
    ("c8_k1_s2", (1, 8, 7, 7), 5, (1, 1), {"strides": [2, 2]}),
    ("c3_k5_pad2", (1, 3, 10, 10), 4, (5, 5), {"pads": [2, 2, 2, 2]}),
    ("c1_k5_s2_nopad", (1, 1, 13, 11), 3, (5, 5), {"strides": [2, 2]}),
    ("c3_k5_s2_asym", (1, 3, 11, 12), 6, (5, 5), {"strides": [2, 2], "pads": [1, 2, 2, 0]}),
    ("c3_k3_asym", (1, 3, 7, 9), 4, (3, 3), {"pads": [0, 1, 2, 0]}),
    ("c8_k3_dil2", (1, 8, 12, 12), 8, (3, 3), {"dilations": [2, 2], "pads": [2, 2, 2, 2]}),
    ("c3_k3_dil2_s2", (1, 3, 13, 13), 4, (3, 3), {"dilations": [2, 2], "strides": [2, 2]}),
    ("c3_k3x5_s21", (1, 3, 9, 10), 4, (3, 5), {"strides": [2, 1], "pads": [1, 2, 1, 2]}),
    ("c3_same_upper_s2", (1, 3, 9, 9), 4, (3, 3), {"auto_pad": "SAME_UPPER", "strides": [2, 2]}),
    ("c3_same_upper_k4", (1, 3, 8, 8), 4, (4, 4), {"auto_pad": "SAME_UPPER"}),
    ("c3_same_lower_s2", (1, 3, 9, 10), 4, (3, 3), {"auto_pad": "SAME_LOWER", "strides": [2, 2]}),
    ("c3_same_lower_k4", (1, 3, 8, 8), 4, (4, 4), {"auto_pad": "SAME_LOWER"}),
    ("c8_valid_s2", (1, 8, 10, 9), 4, (3, 3), {"auto_pad": "VALID", "strides": [2, 2]}),
    ("c3_batch2", (2, 3, 8, 8), 6, (3, 3), {"pads": [1, 1, 1, 1]}),
    ("c16_k3_wide", (1, 16, 5, 5), 33, (3, 3), {"pads": [1, 1, 1, 1]}),
    ("dw_c8_k3", (1, 8, 8, 8), 8, (3, 3), {"group": 8, "pads": [1, 1, 1, 1]}),
    ("dw_c8_k3_s2", (1, 8, 9, 9), 8, (3, 3), {"group": 8, "strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ("dw_c3_k5_asym", (1, 3, 9, 8), 3, (5, 5), {"group": 3, "pads": [2, 1, 2, 3]}),
    ("dw_c8_dil2", (1, 8, 10, 10), 8, (3, 3), {"group": 8, "dilations": [2, 2], "pads": [2, 1, 2, 3]}),
    ("dw_mult2_c4", (1, 4, 8, 8), 8, (3, 3), {"group": 4, "pads": [1, 1, 1, 1]}),
    ("dw_mult2_c3_s2", (2, 3, 9, 9), 6, (3, 3), {"group": 3, "strides": [2, 2], "pads": [1, 1, 1, 1]}),
    ("dw_c1", (1, 1, 6, 6), 1, (3, 3), {"group": 1, "pads": [1, 1, 1, 1]}),
    ("groups2_c8", (1, 8, 7, 7), 6, (3, 3), {"group": 2, "pads": [1, 1, 1, 1]}),
    ("groups2_c4_s2", (1, 4, 9, 9), 8, (3, 3), {"group": 2, "strides": [2, 2]}),
    ("groups4_c8_k1", (1, 8, 5, 5), 12, (1, 1), {"group": 4}),
]


def conv_model(rng, x_shape, c_out, kernel, attrs, bias: bool):
    group = attrs.get("group", 1)
    w = rng.standard_normal((c_out, x_shape[1] // group, *kernel)).astype(np.float32)
    inits = {"w": w}
    if bias:
        inits["b"] = rng.standard_normal(c_out).astype(np.float32)
    return single_op("Conv", {"x": x_shape}, inits, kernel_shape=list(kernel), **attrs)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("name,x_shape,c_out,kernel,attrs", CONV_CASES, ids=[c[0] for c in CONV_CASES])
def test_conv(rng, name, x_shape, c_out, kernel, attrs, bias):
    model = conv_model(rng, x_shape, c_out, kernel, attrs, bias)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("name,x_shape,c_out,kernel,attrs", CONV_CASES, ids=[c[0] for c in CONV_CASES])
def test_conv_two_threads(rng, name, x_shape, c_out, kernel, attrs):
    model = conv_model(rng, x_shape, c_out, kernel, attrs, True)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=2)


@pytest.mark.parametrize(
    "x_shape,c_out,kernel,group",
    [((1, 17, 12, 12), 35, 3, 1), ((2, 32, 9, 9), 64, 1, 1), ((1, 24, 15, 15), 24, 3, 24), ((1, 64, 7, 7), 128, 3, 1),
     ((1, 3, 33, 31), 16, 3, 1), ((1, 48, 10, 10), 96, 5, 48)],
    ids=str,
)
@pytest.mark.parametrize("threads", [1, 2])
def test_conv_larger(rng, x_shape, c_out, kernel, group, threads):
    """Channel counts and sizes around and beyond SIMD tile widths."""
    attrs = {"group": group, "pads": [kernel // 2] * 4}
    model = conv_model(rng, x_shape, c_out, (kernel, kernel), attrs, True)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=threads)


def test_conv_without_kernel_shape_attribute(rng):
    """kernel_shape is optional in ONNX: it comes from the weights."""
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    model = single_op("Conv", {"x": (1, 3, 6, 6)}, {"w": w}, pads=[1, 1, 1, 1])
    assert_close_to_ort(model, random_feeds(model, rng))


def bn_params(rng, c: int) -> dict[str, np.ndarray]:
    return {
        "scale": rng.uniform(0.5, 1.5, c).astype(np.float32),
        "shift": rng.standard_normal(c).astype(np.float32),
        "mean": rng.standard_normal(c).astype(np.float32),
        "var": rng.uniform(0.2, 2.0, c).astype(np.float32),
    }


@pytest.mark.parametrize("shape", [(2, 3, 5, 5), (1, 8, 4, 6), (3, 4), (2, 5, 7)], ids=str)
@pytest.mark.parametrize("epsilon", [1e-5, 1e-3])
def test_batchnorm_standalone(rng, shape, epsilon):
    model = single_op("BatchNormalization", {"x": shape}, bn_params(rng, shape[1]), epsilon=epsilon)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("conv_bias", [True, False])
@pytest.mark.parametrize("group", [1, 4])
@pytest.mark.parametrize("relu", [False, True])
def test_conv_batchnorm(rng, conv_bias, group, relu):
    """Conv -> BN (-> Relu): BN is folded into the conv weights at convert time."""
    c_in, c_out = 4, 8
    inits = {"w": rng.standard_normal((c_out, c_in // group, 3, 3)).astype(np.float32)}
    conv_inputs = ["x", "w"]
    if conv_bias:
        inits["b"] = rng.standard_normal(c_out).astype(np.float32)
        conv_inputs.append("b")
    inits.update(bn_params(rng, c_out))
    nodes = [
        helper.make_node("Conv", conv_inputs, ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=group),
        helper.make_node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["bn"], epsilon=1e-5),
    ]
    out = "bn"
    if relu:
        nodes.append(helper.make_node("Relu", ["bn"], ["r"]))
        out = "r"
    model = make_model(nodes, {"x": (1, c_in, 7, 7)}, [out], inits)
    assert_close_to_ort(model, random_feeds(model, rng))
