"""ONNX import across op families and opset variants: the IR after all passes, run in numpy,
against ONNX Runtime; plus which mote ops each case lowers to."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from onnx_builders import ir_vs_ort, make_model

from mote.converter import convert
from mote.converter.reader import read

R = np.random.default_rng(3)


def f32(*shape: int) -> np.ndarray:
    return R.standard_normal(shape).astype(np.float32)


def i64(*v: int) -> np.ndarray:
    return np.array(v, np.int64)


N = helper.make_node
# (id, nodes, input shape, output shape, initializers, opset, expected mote ops or None)
CASES = [
    ("clip6_relu6", [N("Clip", ["x"], ["y"], min=0.0, max=6.0)], [2, 5], [2, 5], [], 6, ["RELU6"]),
    ("clip13_inputs", [N("Clip", ["x", "lo", "hi"], ["y"])], [2, 5], [2, 5],
     [("lo", np.float32(-0.5)), ("hi", np.float32(0.7))], 13, ["CLIP"]),
    ("clip13_min_only", [N("Clip", ["x", "lo"], ["y"])], [2, 5], [2, 5], [("lo", np.float32(0))], 13, ["RELU"]),
    ("softmax11_coerce", [N("Softmax", ["x"], ["y"], axis=1)], [2, 3, 4], [2, 3, 4], [], 11,
     ["RESHAPE", "SOFTMAX", "RESHAPE"]),
    ("softmax13_axis1", [N("Softmax", ["x"], ["y"], axis=1)], [2, 3, 4], [2, 3, 4], [], 13, ["SOFTMAX"]),
    ("reducemean13", [N("ReduceMean", ["x"], ["y"], axes=[-1], keepdims=0)], [2, 3, 4], [2, 3], [], 13, ["MEAN"]),
    ("reducemean18", [N("ReduceMean", ["x", "ax"], ["y"])], [2, 3, 4], [1, 3, 1], [("ax", i64(0, 2))], 18, ["MEAN"]),
    ("reducemean18_all", [N("ReduceMean", ["x"], ["y"], keepdims=0)], [2, 3], [], [], 18, ["MEAN"]),
    ("pad2_attr", [N("Pad", ["x"], ["y"], pads=[0, 1, 2, 0], value=1.5)], [2, 3], [4, 4], [], 2, ["PAD"]),
    ("pad11_edge", [N("Pad", ["x", "p"], ["y"], mode="edge")], [2, 3], [3, 6], [("p", i64(1, 2, 0, 1))], 11,
     ["PAD"]),
    ("pad18_axes", [N("Pad", ["x", "p", "v", "ax"], ["y"])], [2, 3], [2, 6],
     [("p", i64(1, 2)), ("v", np.float32(2)), ("ax", i64(1))], 18, ["PAD"]),
    ("squeeze11", [N("Squeeze", ["x"], ["y"], axes=[1])], [2, 1, 3], [2, 3], [], 11, ["RESHAPE"]),
    ("squeeze13", [N("Squeeze", ["x", "ax"], ["y"])], [2, 1, 3], [2, 3], [("ax", i64(1))], 13, ["RESHAPE"]),
    ("unsqueeze11", [N("Unsqueeze", ["x"], ["y"], axes=[0, 3])], [2, 3], [1, 2, 3, 1], [], 11, ["RESHAPE"]),
    ("unsqueeze13", [N("Unsqueeze", ["x", "ax"], ["y"])], [2, 3], [2, 1, 3], [("ax", i64(-2))], 13, ["RESHAPE"]),
    ("flatten2", [N("Flatten", ["x"], ["y"], axis=2)], [2, 3, 4, 5], [6, 20], [], 13, ["RESHAPE"]),
    ("transpose_default", [N("Transpose", ["x"], ["y"])], [2, 3, 4], [4, 3, 2], [], 13, ["TRANSPOSE"]),
    ("gemm_bias", [N("Gemm", ["x", "w", "b"], ["y"], alpha=0.5, beta=2.0)], [3, 4], [3, 5],
     [("w", f32(4, 5)), ("b", f32(5))], 13, ["FULLY_CONNECTED"]),
    ("gemm_matrix_c", [N("Gemm", ["x", "w", "c"], ["y"], transB=1)], [3, 4], [3, 5],
     [("w", f32(5, 4)), ("c", f32(3, 5))], 13, ["FULLY_CONNECTED", "ADD"]),
    ("gemm_transA", [N("Gemm", ["x", "w", "b"], ["y"], transA=1)], [4, 3], [3, 5],
     [("w", f32(4, 5)), ("b", f32(1, 5))], 13, ["BATCH_MATMUL", "ADD"]),
    ("matmul_fc_3d", [N("MatMul", ["x", "w"], ["y"])], [2, 3, 4], [2, 3, 5], [("w", f32(4, 5))], 13,
     ["FULLY_CONNECTED"]),
    ("matmul_bias_fused", [N("MatMul", ["x", "w"], ["m"]), N("Add", ["m", "b"], ["y"])], [2, 3, 4], [2, 3, 5],
     [("w", f32(4, 5)), ("b", f32(5))], 13, ["FULLY_CONNECTED"]),
    ("matmul_vec", [N("MatMul", ["x", "w"], ["y"])], [4], [5], [("w", f32(4, 5))], 13,
     ["RESHAPE", "FULLY_CONNECTED", "RESHAPE"]),
    ("matmul_batched", [N("MatMul", ["x", "w"], ["y"])], [2, 3, 4], [2, 3, 5], [("w", f32(2, 4, 5))], 13,
     ["BATCH_MATMUL"]),
    ("activations", [N("LeakyRelu", ["x"], ["a"], alpha=0.2), N("HardSigmoid", ["a"], ["b"]),
                     N("HardSwish", ["b"], ["c"]), N("Tanh", ["c"], ["d"]), N("Sigmoid", ["d"], ["e"]),
                     N("Dropout", ["e"], ["f"]), N("Identity", ["f"], ["y"])], [2, 7], [2, 7], [], 14,
     ["LEAKY_RELU", "HARD_SIGMOID", "HARD_SWISH", "TANH", "LOGISTIC"]),
    ("gelu20", [N("Gelu", ["x"], ["a"]), N("Gelu", ["a"], ["y"], approximate="tanh")], [2, 7], [2, 7], [], 20,
     ["GELU", "GELU"]),
    ("div_sub", [N("Div", ["x", "c"], ["a"]), N("Sub", ["c", "a"], ["y"])], [2, 3], [2, 3],
     [("c", R.uniform(1, 2, (3,)).astype(np.float32))], 13, ["DIV", "SUB"]),
    ("shape_chain", [N("Shape", ["x"], ["s"]), N("Gather", ["s", "zero"], ["n"]),
                     N("Unsqueeze", ["n", "zero1"], ["nn"]), N("Concat", ["nn", "minus1"], ["shape"], axis=0),
                     N("Reshape", ["x", "shape"], ["y"])], [2, 3, 4], [2, 12],
     [("zero", i64(0).reshape(())), ("zero1", i64(0)), ("minus1", i64(-1))], 13, ["RESHAPE"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_op_against_onnxruntime(case) -> None:
    _, nodes, in_shape, out_shape, inits, opset, expected = case
    m = make_model(nodes, [("x", in_shape)], [("y", out_shape)], inits, opset=opset)
    x = f32(*in_shape)
    _, err = ir_vs_ort(m, {"x": x})
    assert err < 1e-5
    ops = [op["opcode"] for op in read(convert(m))["ops"]]
    assert ops == expected


def _conv_model(x_shape, w_shape, opset=13, **attrs):
    m = make_model([N("Conv", ["x", "w", "b"], ["y"], name="conv", **attrs)], [("x", x_shape)], [("y", None)],
                   [("w", f32(*w_shape)), ("b", f32(w_shape[0]))], opset=opset)
    return m


CONV_CASES = [
    ("plain", [1, 3, 9, 9], [4, 3, 3, 3], {"pads": [1, 0, 2, 1]}, "CONV_2D"),
    ("same_upper_dilated", [1, 3, 9, 10], [4, 3, 3, 3], {"auto_pad": "SAME_UPPER", "strides": [2, 1]}, "CONV_2D"),
    ("same_lower_strided", [1, 3, 9, 10], [4, 3, 2, 4], {"auto_pad": "SAME_LOWER", "strides": [2, 3]}, "CONV_2D"),
    ("dilated", [1, 3, 9, 10], [4, 3, 3, 3], {"dilations": [2, 3], "pads": [2, 1, 0, 3]}, "CONV_2D"),
    ("valid", [1, 3, 9, 10], [4, 3, 3, 3], {"auto_pad": "VALID", "strides": [2, 2]}, "CONV_2D"),
    ("depthwise", [1, 4, 7, 7], [4, 1, 3, 3], {"group": 4, "pads": [1, 1, 1, 1]}, "DEPTHWISE_CONV_2D"),
    ("depthwise_mult2", [1, 3, 7, 7], [6, 1, 3, 3], {"group": 3, "strides": [2, 2]}, "DEPTHWISE_CONV_2D"),
    ("grouped", [1, 4, 7, 7], [6, 2, 3, 3], {"group": 2}, "CONV_2D"),
    ("conv1d", [2, 3, 11], [5, 3, 3], {"pads": [2, 1], "strides": [2]}, "CONV_2D"),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=[c[0] for c in CONV_CASES])
def test_conv_variants(case) -> None:
    _, x_shape, w_shape, attrs, opcode = case
    m = _conv_model(x_shape, w_shape, **attrs)
    _, err = ir_vs_ort(m, {"x": f32(*x_shape)})
    assert err < 1e-4
    s = read(convert(m))
    conv = next(op for op in s["ops"] if op["opcode"].endswith("CONV_2D"))
    assert conv["opcode"] == opcode and conv["name"] == "conv"
    w = s["tensors"][conv["inputs"][1]]["shape"]
    if opcode == "DEPTHWISE_CONV_2D":
        assert w == [1, w_shape[2], w_shape[3], w_shape[0]]
        assert conv["options"]["depth_multiplier"] == w_shape[0] // x_shape[1]
    elif len(w_shape) == 4:
        assert w == [w_shape[0], w_shape[2], w_shape[3], w_shape[1]]
    pad = {"NOTSET": 0, "SAME_UPPER": 1, "SAME_LOWER": 2, "VALID": 3}[attrs.get("auto_pad", "NOTSET")]
    assert conv["options"]["padding"] == pad


POOL_CASES = [
    ("max_pads_ceil", "MaxPool", [1, 2, 9, 9], {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1],
                                                "ceil_mode": 1}),
    ("max_dilated", "MaxPool", [1, 2, 9, 9], {"kernel_shape": [2, 2], "dilations": [2, 2]}),
    ("avg_exclude_pad", "AveragePool", [1, 2, 8, 7], {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}),
    ("avg_include_pad_ceil", "AveragePool", [1, 2, 8, 7], {"kernel_shape": [3, 2], "strides": [2, 2],
                                                           "pads": [1, 0, 1, 1], "count_include_pad": 1,
                                                           "ceil_mode": 1}),
    ("avg_same_upper", "AveragePool", [1, 2, 8, 7], {"kernel_shape": [3, 3], "strides": [2, 2],
                                                     "auto_pad": "SAME_UPPER"}),
    ("global_max", "GlobalMaxPool", [1, 3, 5, 4], {}),
    ("global_avg", "GlobalAveragePool", [1, 3, 5, 4], {}),
]


@pytest.mark.parametrize("case", POOL_CASES, ids=[c[0] for c in POOL_CASES])
def test_pool_variants(case) -> None:
    _, op, x_shape, attrs = case
    m = make_model([N(op, ["x"], ["y"], **attrs)], [("x", x_shape)], [("y", None)], opset=19)
    _, err = ir_vs_ort(m, {"x": f32(*x_shape)})
    assert err < 1e-5
    s = read(convert(m))
    opcodes = [o["opcode"] for o in s["ops"]]
    # a mean over H, W of a model input runs in NCHW directly; the pools need NHWC
    assert (opcodes[0] == "TRANSPOSE") == (op != "GlobalAveragePool")
    assert {"MaxPool": "MAX_POOL_2D", "AveragePool": "AVERAGE_POOL_2D", "GlobalMaxPool": "MAX_POOL_2D",
            "GlobalAveragePool": "MEAN"}[op] in opcodes


def test_batchnorm_folds_into_conv_and_gemm_and_stands_alone() -> None:
    c = 6
    bn = [("g", R.uniform(0.5, 2, c).astype(np.float32)), ("be", f32(c)), ("mu", f32(c)),
          ("var", R.uniform(0.2, 3, c).astype(np.float32))]
    bn2 = [(k + "2", v) for k, v in bn]
    nodes = [
        N("BatchNormalization", ["x", "g", "be", "mu", "var"], ["n0"], epsilon=1e-3),  # standalone: Mul + Add
        N("Conv", ["n0", "w"], ["c"]),
        N("BatchNormalization", ["c", "g", "be", "mu", "var"], ["n1"]),  # folds into the conv
        N("GlobalAveragePool", ["n1"], ["p"]),
        N("Flatten", ["p"], ["f"]),
        N("Gemm", ["f", "fw"], ["h"]),
        N("BatchNormalization", ["h", "g2", "be2", "mu2", "var2"], ["y"]),  # folds into the FC
    ]
    inits = [("w", f32(c, c, 1, 1)), ("fw", f32(c, c))] + bn + bn2
    m = make_model(nodes, [("x", [2, c, 4, 4])], [("y", [2, c])], inits, opset=15)
    _, err = ir_vs_ort(m, {"x": f32(2, c, 4, 4)})
    assert err < 1e-4
    _, err_plain = ir_vs_ort(m, {"x": f32(2, c, 4, 4)}, optimize=False)
    assert err_plain < 1e-4
    ops = [o["opcode"] for o in read(convert(m))["ops"]]
    assert ops == ["MUL", "ADD", "TRANSPOSE", "CONV_2D", "MEAN", "RESHAPE", "FULLY_CONNECTED"]
    plain = [o["opcode"] for o in read(convert(m, optimize=False))["ops"]]
    assert plain.count("MUL") == 3 and plain.count("ADD") == 3


def test_fold_numerics_exactly() -> None:
    """BN folding by hand in numpy: w' = w·γ/√(σ²+ε), b' = (b−μ)·γ/√(σ²+ε) + β."""
    from mote.converter.importers.onnx import import_onnx
    from mote.converter.passes import fold_batchnorm

    c = 3
    w, b = f32(c, 2, 3, 3), f32(c)
    g, be, mu = f32(c), f32(c), f32(c)
    var = R.uniform(0.1, 1, c).astype(np.float32)
    m = make_model([N("Conv", ["x", "w", "b"], ["c"]), N("BatchNormalization", ["c", "g", "be", "mu", "var"], ["y"],
                                                       epsilon=0.01)],
                   [("x", [1, 2, 5, 5])], [("y", [1, c, 3, 3])],
                   [("w", w), ("b", b), ("g", g), ("be", be), ("mu", mu), ("var", var)])
    graph = import_onnx(m)
    fold_batchnorm(graph)
    (conv,) = graph.nodes
    k = g.astype(np.float64) / np.sqrt(var.astype(np.float64) + 0.01)
    np.testing.assert_allclose(graph.const(conv.inputs[1]), w * k[:, None, None, None], rtol=1e-6)
    np.testing.assert_allclose(graph.const(conv.inputs[2]), (b - mu) * k + be, rtol=1e-5, atol=1e-6)
    assert conv.outputs == ["y"]


def test_affine_constants_fold_into_conv_and_fc() -> None:
    nodes = [
        N("Conv", ["x", "w"], ["c"]),
        N("Mul", ["c", "s"], ["m"]),  # per channel
        N("Sub", ["m", "t"], ["a"]),  # scalar
        N("HardSigmoid", ["a"], ["h"], alpha=1 / 6, beta=0.5),  # alpha, beta fold too: a Clip(0, 1) is left
        N("Sub", ["one", "h"], ["r"]),  # constant first: not a bias, stays
        N("Flatten", ["r"], ["f"]),
        N("MatMul", ["f", "fw"], ["mm"]),
        N("Mul", ["mm", "fs"], ["y"]),
    ]
    inits = [("w", f32(4, 3, 1, 1)), ("s", f32(4, 1, 1)), ("t", np.float32(0.3)), ("one", np.float32(1)),
             ("fw", f32(4 * 5 * 5, 6)), ("fs", f32(6))]
    m = make_model(nodes, [("x", [1, 3, 5, 5])], [("y", [1, 6])], inits, opset=13)
    _, err = ir_vs_ort(m, {"x": f32(1, 3, 5, 5)})
    assert err < 1e-4
    ops = [o["opcode"] for o in read(convert(m))["ops"]]
    assert ops == ["TRANSPOSE", "CONV_2D", "CLIP", "SUB", "RESHAPE", "FULLY_CONNECTED"]
