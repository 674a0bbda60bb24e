"""The breadth ops (issue 3) through import and the pass pipeline: the IR run in numpy against
ONNX Runtime (shape, dtype, values), and the mote ops each case lowers to. No runtime needed."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx_builders import check_ir_vs_ort, random_inputs, typed_model

from mote.converter import convert
from mote.converter.reader import read

R = np.random.default_rng(11)
N = helper.make_node
F32, I64, I32, B = np.float32, np.int64, np.int32, np.bool_


def f32(*shape: int) -> np.ndarray:
    return R.standard_normal(shape).astype(np.float32)


def i64(*v: int) -> np.ndarray:
    return np.array(v, np.int64)


def pos(name: str, out: str) -> list:
    """out = |name| + 0.5 (for Log / Sqrt / Pow domains)."""
    return [N("Abs", [name], [out + "_abs"]), N("Add", [out + "_abs", "half"], [out])]


HALF = ("half", np.float32(0.5))
X23 = {"x": ([2, 3], F32)}
X234 = {"x": ([2, 3, 4], F32)}

# (id, nodes, inputs, initializers, opset, expected mote ops or None)
CASES = [
    # unary math
    ("exp_neg_abs", [N("Exp", ["x"], ["a"]), N("Neg", ["a"], ["b"]), N("Abs", ["b"], ["y"])], X23, [], 13,
     ["EXP", "NEG", "ABS"]),
    ("log_sqrt_recip", pos("x", "p") + [N("Log", ["p"], ["a"]), N("Sqrt", ["p"], ["b"]), N("Reciprocal", ["p"], ["c"]),
                                        N("Sum", ["a", "b", "c"], ["y"])], X23, [HALF], 13,
     ["ABS", "ADD", "LOG", "SQRT", "RECIPROCAL", "ADD", "ADD"]),
    ("floor_ceil_round", [N("Mul", ["x", "k"], ["s"]), N("Floor", ["s"], ["a"]), N("Ceil", ["s"], ["b"]),
                          N("Round", ["s"], ["c"]), N("Sum", ["a", "b", "c"], ["y"])],
     X23, [("k", np.float32(2.5))], 13, ["MUL", "FLOOR", "CEIL", "ROUND", "ADD", "ADD"]),
    ("erf_sin_cos", [N("Erf", ["x"], ["a"]), N("Sin", ["a"], ["b"]), N("Cos", ["b"], ["y"])], X23, [], 13,
     ["ERF", "SIN", "COS"]),
    ("softplus_mish_softsign", [N("Softplus", ["x"], ["a"]), N("Mish", ["a"], ["b"]), N("Softsign", ["b"], ["y"])],
     X23, [], 18, ["SOFTPLUS", "MISH", "ABS", "ADD", "DIV"]),
    ("elu_selu", [N("Elu", ["x"], ["a"], alpha=0.7), N("Selu", ["a"], ["y"])], X23, [], 13, None),
    ("logsoftmax13", [N("LogSoftmax", ["x"], ["y"], axis=1)], X234, [], 13,
     ["REDUCE_MAX", "SUB", "EXP", "REDUCE_SUM", "LOG", "SUB"]),
    ("logsoftmax11_coerce", [N("LogSoftmax", ["x"], ["y"], axis=1)], X234, [], 11, None),
    ("pad_negative_crops", [N("Pad", ["x", "p"], ["y"])], X234, [("p", i64(0, -1, 2, 0, 1, -1))], 13,
     ["SLICE", "PAD"]),
    ("pad_negative_only", [N("Pad", ["x", "p"], ["y"])], X234, [("p", i64(0, 0, -1, 0, -1, 0))], 13, ["SLICE"]),
    ("hardsigmoid_attrs", [N("HardSigmoid", ["x"], ["y"], alpha=0.3, beta=0.4)], X23, [], 13, ["HARD_SIGMOID"]),
    # binary
    ("pow_tensor", pos("x", "p") + [N("Pow", ["p", "e"], ["y"])], X23, [HALF, ("e", f32(3))], 13,
     ["ABS", "ADD", "POW"]),
    ("pow_2_is_mul", [N("Pow", ["x", "e"], ["y"])], X23, [("e", np.float32(2))], 13, ["MUL"]),
    ("pow_half_is_sqrt", pos("x", "p") + [N("Pow", ["p", "e"], ["y"])], X23, [HALF, ("e", np.float32(0.5))], 13,
     ["ABS", "ADD", "SQRT"]),
    ("pow_int_exponent", [N("Pow", ["x", "e"], ["y"])], X23, [("e", np.int64(3))], 13, ["POW"]),
    ("min_max_3", [N("Min", ["x", "a", "b"], ["m"]), N("Max", ["m", "x", "b"], ["y"])], X23,
     [("a", f32(3)), ("b", f32(2, 1))], 13, ["MINIMUM", "MINIMUM", "MAXIMUM", "MAXIMUM"]),
    ("mean_3", [N("Mean", ["x", "a", "b"], ["y"])], X23, [("a", f32(3)), ("b", f32(2, 3))], 13,
     ["ADD", "ADD", "MUL"]),
    ("prelu_vector", [N("PRelu", ["x", "s"], ["y"])], X23, [("s", f32(3))], 13, ["PRELU"]),
    ("prelu_scalar", [N("PRelu", ["x", "s"], ["y"])], X23, [("s", np.array([0.3], np.float32))], 13,
     ["LEAKY_RELU"]),
    # comparisons, logic, where, cast
    ("compare_where", [N("Greater", ["x", "z"], ["g"]), N("Less", ["x", "z"], ["l"]), N("Or", ["g", "l"], ["o"]),
                       N("Not", ["o"], ["n"]), N("Where", ["n", "x", "z"], ["y"])], X23, [("z", f32(3))], 13,
     ["GREATER", "LESS", "LOGICAL_OR", "LOGICAL_NOT", "WHERE"]),
    ("compare_eq_le_ge_xor", [N("Equal", ["i", "j"], ["e"]), N("LessOrEqual", ["i", "j"], ["le"]),
                              N("GreaterOrEqual", ["i", "j"], ["ge"]), N("And", ["le", "ge"], ["a"]),
                              N("Xor", ["a", "e"], ["y"])],
     {"i": ([2, 4], I64), "j": ([4], I64)}, [], 13, ["EQUAL", "LESS_EQUAL", "GREATER_EQUAL", "LOGICAL_AND",
                                                     "NOT_EQUAL"]),
    ("cast_chain", [N("Cast", ["x"], ["a"], to=TensorProto.INT32), N("Cast", ["a"], ["b"], to=TensorProto.INT64),
                    N("Cast", ["b"], ["c"], to=TensorProto.FLOAT), N("CastLike", ["c", "x"], ["y"])], X23, [], 15,
     ["CAST", "CAST", "CAST"]),
    ("isnan_isinf", [N("Div", ["x", "z"], ["d"]), N("IsNaN", ["d"], ["n"]), N("IsInf", ["d"], ["i"]),
                     N("Or", ["n", "i"], ["y"])], X23, [("z", np.array([0, 1, 0], np.float32))], 13, None),
    ("int_arith", [N("Add", ["i", "j"], ["a"]), N("Mul", ["a", "j"], ["m"]), N("Sub", ["m", "i"], ["s"]),
                   N("Max", ["s", "j"], ["y"])], {"i": ([2, 4], I64), "j": ([4], I64)}, [], 13,
     ["ADD", "MUL", "SUB", "MAXIMUM"]),
    ("int32_mask_to_float", [N("Cast", ["m"], ["f"], to=TensorProto.FLOAT), N("Sub", ["one", "f"], ["s"]),
                             N("Mul", ["s", "big"], ["y"])], {"m": ([2, 5], I32)},
     [("one", np.float32(1)), ("big", np.float32(-1e4))], 13, ["CAST", "SUB", "MUL"]),
    # reductions
    ("reduce13_attr", [N("ReduceMax", ["x"], ["a"], axes=[1]), N("ReduceMin", ["x"], ["b"], axes=[-1], keepdims=0),
                       N("ReduceProd", ["x"], ["c"], axes=[0, 2]), N("ReduceL2", ["x"], ["d"], keepdims=0),
                       N("Unsqueeze", ["d", "ax0"], ["dd"]), N("Unsqueeze", ["dd", "ax0"], ["ddd"]),
                       N("Mul", ["a", "c"], ["ac"]), N("Add", ["ac", "ddd"], ["y0"]), N("Identity", ["b"], ["y1"])],
     X234, [("ax0", i64(0))], 13,
     ["REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD", "REDUCE_L2", "RESHAPE", "MUL", "ADD"]),
    ("reducesum13_input_axes", [N("ReduceSum", ["x", "ax"], ["y"], keepdims=0)], X234, [("ax", i64(-1, 0))], 13,
     ["REDUCE_SUM"]),
    ("reducesum13_noop", [N("ReduceSum", ["x"], ["y"], noop_with_empty_axes=1)], X234, [], 13, ["RESHAPE"]),
    ("reducesum11_all", [N("ReduceSum", ["x"], ["y"], keepdims=0)], X234, [], 11, ["REDUCE_SUM"]),
    ("reduce18_inputs", [N("ReduceMax", ["x", "ax"], ["a"]), N("ReduceL2", ["x", "ax"], ["b"]),
                         N("Add", ["a", "b"], ["y"])], X234, [("ax", i64(1))], 18,
     ["REDUCE_MAX", "REDUCE_L2", "ADD"]),
    ("reduce_composed", [N("ReduceL1", ["x"], ["a"], axes=[1]), N("ReduceSumSquare", ["x"], ["b"], axes=[1]),
                         N("ReduceLogSumExp", ["x"], ["c"], axes=[1], keepdims=0),
                         N("ReduceLogSum", ["a"], ["d"], axes=[2]),
                         N("Add", ["a", "b"], ["y0"]), N("Identity", ["c"], ["y1"]), N("Identity", ["d"], ["y2"])],
     X234, [], 13, None),
    ("reduce_bool_any_all", [N("ReduceMax", ["m", "ax"], ["y0"]), N("ReduceMin", ["m", "ax"], ["y1"], keepdims=0)],
     {"m": ([3, 4], B)}, [("ax", i64(1))], 20, ["CAST", "REDUCE_SUM", "GREATER", "LOGICAL_NOT", "CAST",
                                               "REDUCE_SUM", "EQUAL"]),
    ("argmax_argmin", [N("ArgMax", ["x"], ["y0"], axis=1), N("ArgMin", ["x"], ["y1"], axis=-1, keepdims=0)], X234,
     [], 13, ["ARG_MAX", "ARG_MIN"]),
    ("argmax_last_index", [N("Round", ["x"], ["r"]), N("ArgMax", ["r"], ["y"], axis=2, select_last_index=1)],
     X234, [], 13, ["ROUND", "ARG_MAX"]),
    ("argmin_int", [N("ArgMin", ["i"], ["y"], axis=0, select_last_index=1)], {"i": ([6, 3], I64)}, [], 13,
     ["ARG_MIN"]),
    # data movement
    ("split13_sizes", [N("Split", ["x", "s"], ["y0", "y1"], axis=2)], X234, [("s", i64(1, 3))], 13, ["SPLIT"]),
    ("split11_attr", [N("Split", ["x"], ["y0", "y1", "y2"], axis=1, split=[1, 1, 1])], X234, [], 11, ["SPLIT"]),
    ("split13_equal", [N("Split", ["x"], ["y0", "y1"], axis=-1)], X234, [], 13, ["SPLIT"]),
    ("split18_num_outputs", [N("Split", ["x"], ["y0", "y1", "y2"], axis=0, num_outputs=3)], {"x": ([7, 2], F32)},
     [], 18, ["SPLIT"]),
    ("slice10_negative", [N("Slice", ["x", "st", "en", "ax"], ["y"])], X234,
     [("st", i64(-3, 1)), ("en", i64(-1, 1000)), ("ax", i64(2, -2))], 13, ["SLICE"]),
    ("slice10_reverse", [N("Slice", ["x", "st", "en", "ax", "sp"], ["y"])], {"x": ([3, 10], F32)},
     [("st", i64(-1, 8)), ("en", i64(-(2**63), 1)), ("ax", i64(0, 1)), ("sp", i64(-1, -3))], 13, ["SLICE"]),
    ("slice10_step2_clamp", [N("Slice", ["x", "st", "en", "ax", "sp"], ["y"])], {"x": ([3, 10], F32)},
     [("st", i64(-100)), ("en", i64(2**62)), ("ax", i64(1)), ("sp", i64(3))], 13, ["SLICE"]),
    ("slice1_attr", [N("Slice", ["x"], ["y"], starts=[1], ends=[3], axes=[1])], X234, [], 9, ["SLICE"]),
    ("slice_noop", [N("Slice", ["x", "st", "en"], ["y"])], X23, [("st", i64(0)), ("en", i64(99))], 13, ["RESHAPE"]),
    ("gather_const_idx", [N("Gather", ["x", "i"], ["y"], axis=1)], X234, [("i", i64(2, -1, 0))], 13, ["GATHER"]),
    ("gather_scalar_idx", [N("Gather", ["x", "i"], ["y"], axis=2)], X234, [("i", np.int64(-2))], 13, ["GATHER"]),
    ("gather_embedding", [N("Gather", ["emb", "ids"], ["y"])], {"ids": ([2, 5], I64)}, [("emb", f32(6, 4))], 13,
     ["GATHER"]),
    ("gather_dynamic_int32", [N("Gather", ["x", "ids"], ["y"], axis=0)], {"x": ([5, 3], F32), "ids": ([4], I32)},
     [], 13, ["GATHER"]),
    ("gather_const_folds", [N("Gather", ["c", "i"], ["g"]), N("Add", ["x", "g"], ["y"])], X23,
     [("c", f32(4, 3)), ("i", np.int64(2))], 13, ["ADD"]),
    ("expand", [N("Expand", ["x", "s"], ["y"])], {"x": ([3, 1], F32)}, [("s", i64(2, 1, 4))], 13, ["BROADCAST_TO"]),
    ("expand_noop", [N("Expand", ["x", "s"], ["y"])], X23, [("s", i64(1, 1))], 13, ["RESHAPE"]),
    ("tile", [N("Tile", ["x", "r"], ["y"])], X23, [("r", i64(2, 3))], 13, ["TILE"]),
    ("depth_to_space_dcr", [N("DepthToSpace", ["x"], ["y"], blocksize=2)], {"x": ([1, 8, 3, 2], F32)}, [], 13,
     ["TRANSPOSE", "DEPTH_TO_SPACE", "TRANSPOSE"]),
    ("depth_to_space_crd", [N("DepthToSpace", ["x"], ["y"], blocksize=2, mode="CRD")], {"x": ([1, 8, 3, 2], F32)},
     [], 13, ["TRANSPOSE", "DEPTH_TO_SPACE", "TRANSPOSE"]),
    ("space_to_depth", [N("SpaceToDepth", ["x"], ["y"], blocksize=2)], {"x": ([1, 3, 4, 6], F32)}, [], 13,
     ["TRANSPOSE", "SPACE_TO_DEPTH", "TRANSPOSE"]),
    ("topk10", [N("TopK", ["x", "k"], ["y0", "y1"], axis=1)], {"x": ([3, 7], F32)}, [("k", i64(3))], 10, ["TOPK"]),
    ("topk11_smallest", [N("TopK", ["x", "k"], ["y0", "y1"], largest=0)], {"x": ([3, 7], F32)}, [("k", i64(2))], 11,
     ["TOPK"]),
    ("topk1_attr", [N("TopK", ["x"], ["y0", "y1"], k=2, axis=0)], {"x": ([3, 7], F32)}, [], 9, ["TOPK"]),
    ("shape_constantofshape_range", [N("Shape", ["x"], ["s"]), N("ConstantOfShape", ["s"], ["c"],
                                                                   value=helper.make_tensor("v", 1, [1], [2.0])),
                                     N("Range", ["r0", "r1", "r2"], ["r"]), N("Cast", ["r"], ["rf"], to=1),
                                     N("Mul", ["x", "c"], ["m"]), N("Add", ["m", "rf"], ["y"])], X23,
     [("r0", np.int64(0)), ("r1", np.int64(3)), ("r2", np.int64(1))], 13, ["MUL", "ADD"]),
]


def _outputs(nodes) -> list[str]:
    produced = [o for n in nodes for o in n.output]
    return [o for o in produced if o.startswith("y")]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_breadth_op_against_onnxruntime(case) -> None:
    _, nodes, inputs, inits, opset, expected = case
    m = typed_model(nodes, inputs, _outputs(nodes), inits, opset=opset)
    check_ir_vs_ort(m, random_inputs(m, R))
    if expected is not None:
        assert [op["opcode"] for op in read(convert(m))["ops"]] == expected
