"""Activation patterns exporters emit become one mote op (Swish, HardSwish, Gelu, Rsqrt), in
every association of the products; a pattern whose inner values are read elsewhere still
computes the right thing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from onnx import helper
from onnx_builders import check_ir_vs_ort, random_inputs, typed_model

from mote.converter import convert
from mote.converter.reader import read

R = np.random.default_rng(5)
N = helper.make_node
X = {"x": ([2, 3, 5], np.float32)}
C = {"half": np.float32(0.5), "one": np.float32(1.0), "sqrt2": np.float32(math.sqrt(2)),
     "inv_sqrt2": np.float32(1 / math.sqrt(2)), "sixth": np.float32(1 / 6)}


def _erf_part(scale_op: str = "Div") -> list:
    k = "sqrt2" if scale_op == "Div" else "inv_sqrt2"
    return [N(scale_op, ["x", k], ["s"]), N("Erf", ["s"], ["e"]), N("Add", ["e", "one"], ["a"])]


GELUS = {
    "x_a_half": _erf_part() + [N("Mul", ["x", "a"], ["m"]), N("Mul", ["m", "half"], ["y"])],
    "a_x_half": _erf_part() + [N("Mul", ["a", "x"], ["m"]), N("Mul", ["half", "m"], ["y"])],
    "a_half_x": _erf_part("Mul") + [N("Mul", ["a", "half"], ["m"]), N("Mul", ["m", "x"], ["y"])],
    "x_half_a": _erf_part() + [N("Mul", ["x", "half"], ["h"]), N("Mul", ["h", "a"], ["y"])],
}

CASES = [
    ("swish", [N("Sigmoid", ["x"], ["s"]), N("Mul", ["x", "s"], ["y"])], ["SWISH"]),
    ("swish_swapped", [N("Sigmoid", ["x"], ["s"]), N("Mul", ["s", "x"], ["y"])], ["SWISH"]),
    ("hardswish", [N("HardSigmoid", ["x"], ["s"], alpha=1 / 6, beta=0.5), N("Mul", ["x", "s"], ["y"])],
     ["HARD_SWISH"]),
    ("hardsigmoid_other_alpha_stays", [N("HardSigmoid", ["x"], ["s"], alpha=0.2, beta=0.5),
                                       N("Mul", ["x", "s"], ["y"])], ["HARD_SIGMOID", "MUL"]),
    *[(f"gelu_{k}", v, ["GELU"]) for k, v in GELUS.items()],
    ("rsqrt_reciprocal", [N("Abs", ["x"], ["p"]), N("Sqrt", ["p"], ["q"]), N("Reciprocal", ["q"], ["y"])],
     ["ABS", "RSQRT"]),
    ("rsqrt_one_over", [N("Abs", ["x"], ["p"]), N("Sqrt", ["p"], ["q"]), N("Div", ["one", "q"], ["y"])],
     ["ABS", "RSQRT"]),
    ("layernorm_style_div", [N("ReduceMean", ["x"], ["m"], axes=[-1]), N("Sub", ["x", "m"], ["d"]),
                             N("Mul", ["d", "d"], ["d2"]), N("ReduceMean", ["d2"], ["v"], axes=[-1]),
                             N("Add", ["v", "half"], ["ve"]), N("Sqrt", ["ve"], ["sd"]), N("Div", ["d", "sd"], ["y"])],
     ["LAYER_NORM"]),
    ("div_by_sqrt_is_mul_rsqrt", [N("ReduceMax", ["x"], ["m"], axes=[1]), N("Abs", ["m"], ["p"]),
                                  N("Sqrt", ["p"], ["q"]), N("Div", ["x", "q"], ["y"])],
     ["REDUCE_MAX", "ABS", "RSQRT", "MUL"]),
    ("norm_over_middle_axis_is_not_layer_norm", [N("ReduceMean", ["x"], ["m"], axes=[1]), N("Sub", ["x", "m"], ["d"]),
                                                 N("Mul", ["d", "d"], ["d2"]), N("ReduceMean", ["d2"], ["v"], axes=[1]),
                                                 N("Add", ["v", "half"], ["ve"]), N("Sqrt", ["ve"], ["sd"]),
                                                 N("Div", ["d", "sd"], ["y"])],
     ["MEAN", "SUB", "MUL", "MEAN", "ADD", "RSQRT", "MUL"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pattern_fuses(case) -> None:
    _, nodes, expected = case
    m = typed_model(nodes, X, ["y"], C, opset=13)
    check_ir_vs_ort(m, random_inputs(m, R))
    assert [op["opcode"] for op in read(convert(m))["ops"]] == expected


def test_gelu_with_inner_value_read_elsewhere_keeps_it() -> None:
    nodes = GELUS["x_a_half"] + [N("Identity", ["a"], ["y2"])]
    m = typed_model(nodes, X, ["y", "y2"], C, opset=13)
    check_ir_vs_ort(m, random_inputs(m, R))
    ops = [op["opcode"] for op in read(convert(m))["ops"]]
    assert "ERF" in ops  # the erf branch stays for y2


def test_swish_after_conv_stays_nhwc() -> None:
    w = R.standard_normal((4, 3, 3, 3)).astype(np.float32)
    nodes = [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]), N("Sigmoid", ["c"], ["s"]), N("Mul", ["c", "s"], ["m"]),
             N("Conv", ["m", "w2"], ["y"])]
    m = typed_model(nodes, {"x": ([1, 3, 6, 6], np.float32)}, ["y"],
                    {"w": w, "w2": R.standard_normal((2, 4, 1, 1)).astype(np.float32)}, opset=13)
    check_ir_vs_ort(m, random_inputs(m, R))
    assert [op["opcode"] for op in read(convert(m))["ops"]] == ["TRANSPOSE", "CONV_2D", "SWISH", "CONV_2D",
                                                                 "TRANSPOSE"]


def test_no_fusion_without_optimize() -> None:
    m = typed_model(CASES[0][1], X, ["y"], C, opset=13)
    assert [op["opcode"] for op in read(convert(m, optimize=False))["ops"]] == ["LOGISTIC", "MUL"]


def _layer_norm_nodes(affine: bool) -> list:
    nodes = [N("ReduceMean", ["x"], ["m"], axes=[-1]), N("Sub", ["x", "m"], ["d"]), N("Pow", ["d", "two"], ["d2"]),
             N("ReduceMean", ["d2"], ["v"], axes=[-1]), N("Add", ["v", "eps"], ["ve"]), N("Sqrt", ["ve"], ["sd"]),
             N("Div", ["d", "sd"], ["n" if affine else "y"])]
    if affine:
        nodes += [N("Mul", ["n", "g"], ["ng"]), N("Add", ["ng", "b"], ["y"])]
    return nodes


@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm_decomposition_fuses(affine: bool) -> None:
    inits = {"two": np.float32(2), "eps": np.float32(1e-5), "g": R.standard_normal(5).astype(np.float32),
             "b": R.standard_normal((1, 1, 5)).astype(np.float32)}
    m = typed_model(_layer_norm_nodes(affine), X, ["y"], inits, opset=13)
    check_ir_vs_ort(m, random_inputs(m, R))
    s = read(convert(m))
    assert [op["opcode"] for op in s["ops"]] == ["LAYER_NORM"]
    ln = s["ops"][0]
    assert ln["options"]["axis"] == 2 and abs(ln["options"]["epsilon"] - 1e-5) < 1e-12
    assert [s["tensors"][i]["shape"] for i in ln["inputs"][1:] if i >= 0] == [[5]] * (2 if affine else 1)


def test_optimizations_are_recorded_in_the_metadata() -> None:
    import json

    from onnx_builders import conv_bn_relu_pool_flatten_gemm

    m = conv_bn_relu_pool_flatten_gemm(R)
    opts = json.loads(read(convert(m))["metadata"]["optimizations"])
    assert opts["folded_batchnorm"] == ["bn into conv"]
    assert opts["fused_activations"] == ["relu into conv"]
    swish = typed_model(CASES[0][1], X, ["y"], C, opset=13)
    assert json.loads(read(convert(swish))["metadata"]["optimizations"]) == {"fused_patterns": ["Swish at Mul_1"]}
    plain = json.loads(read(convert(m, optimize=False))["metadata"]["optimizations"])
    assert "fused_activations" not in plain and plain["batchnorm_as_mul_add"] == ["bn"]
