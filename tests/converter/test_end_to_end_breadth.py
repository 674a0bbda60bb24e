"""End to end (convert, run in libmote, compare with ONNX Runtime) for the conversions where the
converter does the most: fused exporter patterns, LayerNorm under NHWC, token pipelines with
int64 ids and symbolic sequence lengths, Einsum forms, Slice index resolution, ConvTranspose
pads, Resize coordinate modes, LSTM/GRU with every output."""

from __future__ import annotations

import math

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx_builders import random_inputs, runtime_available, typed_model

pytestmark = pytest.mark.skipif(not runtime_available(), reason="libmote is not built in this environment")

R = np.random.default_rng(41)
N = helper.make_node
F = np.float32


def f32(*shape: int) -> np.ndarray:
    return R.standard_normal(shape).astype(F)


def i64(*v: int) -> np.ndarray:
    return np.array(v, np.int64)


def _check(model, feeds=None, **kw):
    from helpers import assert_close_to_ort

    return assert_close_to_ort(model, feeds if feeds is not None else random_inputs(model, R), **kw)


def test_encoder_block_from_opset13_pieces() -> None:
    """Embedding Gather on int64 ids, additive mask from an int64 mask (Cast, Sub, Mul), LayerNorm
    and erf-GELU spelled out, attention with Einsum: fused to LAYER_NORM, GELU, BATCH_MATMUL."""
    from helpers import convert

    from mote.converter.reader import read

    d, heads = 8, 2
    nodes = [
        N("Gather", ["emb", "ids"], ["e"]),
        # layer norm, opset < 17 style
        N("ReduceMean", ["e"], ["m"], axes=[-1]), N("Sub", ["e", "m"], ["dm"]), N("Pow", ["dm", "two"], ["d2"]),
        N("ReduceMean", ["d2"], ["v"], axes=[-1]), N("Add", ["v", "eps"], ["ve"]), N("Sqrt", ["ve"], ["sd"]),
        N("Div", ["dm", "sd"], ["n"]), N("Mul", ["n", "g"], ["ng"]), N("Add", ["ng", "b"], ["h"]),
        # q, k per head via Einsum
        N("Einsum", ["h", "wq"], ["q"], equation="bsd,dhk->bhsk"),
        N("Einsum", ["h", "wk"], ["k"], equation="bsd,dhk->bhsk"),
        N("Einsum", ["q", "k"], ["att"], equation="bhqd,bhkd->bhqk"),
        # mask: (1 - mask) * -1e4 on the key axis
        N("Cast", ["mask"], ["mf"], to=TensorProto.FLOAT), N("Sub", ["one", "mf"], ["inv"]),
        N("Mul", ["inv", "big"], ["madd"]), N("Unsqueeze", ["madd", "ax12"], ["m4"]),
        N("Add", ["att", "m4"], ["am"]), N("Softmax", ["am"], ["p"], axis=-1),
        N("Einsum", ["p", "k"], ["ctx"], equation="bhqk,bhkd->bqhd"),
        N("Reshape", ["ctx", "shp"], ["c2"]),
        # erf GELU
        N("Div", ["c2", "sqrt2"], ["s"]), N("Erf", ["s"], ["er"]), N("Add", ["er", "one"], ["a"]),
        N("Mul", ["c2", "a"], ["ga"]), N("Mul", ["ga", "half"], ["y"]),
    ]
    inits = {"emb": f32(20, d), "two": F(2), "eps": F(1e-5), "g": f32(d), "b": f32(d), "wq": f32(d, heads, 4),
             "wk": f32(d, heads, 4), "one": F(1), "big": F(-1e4), "ax12": i64(1, 2), "shp": i64(2, 6, 8),
             "sqrt2": F(math.sqrt(2)), "half": F(0.5)}
    m = typed_model(nodes, {"ids": ([2, 6], np.int64), "mask": ([2, 6], np.int64)}, ["y"], inits, opset=13)
    feeds = {"ids": R.integers(0, 20, (2, 6)).astype(np.int64), "mask": (R.random((2, 6)) < 0.8).astype(np.int64)}
    _check(m, feeds)
    ops = [op["opcode"] for op in read(convert(m))["ops"]]
    assert "LAYER_NORM" in ops and "GELU" in ops and "ERF" not in ops and "SQRT" not in ops
    # q, k to heads-first and the context back: what the equations ask for, nothing for the mask
    assert ops.count("TRANSPOSE") == 3


def test_symbolic_sequence_converts_with_input_shapes() -> None:
    from helpers import convert, mote_run, ort_run

    nodes = [N("Gather", ["emb", "ids"], ["e"]), N("Shape", ["ids"], ["s"]), N("Gather", ["s", "one"], ["n"]),
             N("Unsqueeze", ["n", "zero"], ["n1"]), N("Concat", ["n1", "minus1"], ["shape"], axis=0),
             N("Reshape", ["e", "shape"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("ids", TensorProto.INT64, ["b", "seq"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [helper.make_tensor("emb", TensorProto.FLOAT, [9, 3], f32(9, 3).reshape(-1).tolist()),
                               helper.make_tensor("one", TensorProto.INT64, [], [1]),
                               helper.make_tensor("zero", TensorProto.INT64, [1], [0]),
                               helper.make_tensor("minus1", TensorProto.INT64, [1], [-1])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    for shape in [(1, 7), (3, 4)]:
        feeds = {"ids": R.integers(0, 9, shape).astype(np.int64)}
        got = mote_run(convert(m, input_shapes={"ids": shape}), feeds)
        np.testing.assert_array_equal(got["y"], ort_run(m, feeds)["y"])


def test_layer_norm_and_instance_norm_after_conv() -> None:
    nodes = [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             N("LayerNormalization", ["c", "g", "b"], ["l"], axis=1),
             N("InstanceNormalization", ["l", "ig", "ib"], ["i"]),
             N("LayerNormalization", ["i", "g2"], ["y"], axis=-1)]
    inits = {"w": f32(4, 3, 3, 3), "g": f32(4, 5, 6), "b": f32(4, 5, 6), "ig": f32(4), "ib": f32(4), "g2": f32(6)}
    _check(typed_model(nodes, {"x": ([2, 3, 5, 6], F)}, ["y"], inits, opset=17))


@pytest.mark.parametrize("starts,ends,axes,steps", [
    ([-1, 0], [-(2**63), 2**63 - 1], [1, 2], [-2, 3]),
    ([2, -100], [-1, 100], [-1, 0], [1, 1]),
    ([5], [1], [1], [-1]),
], ids=str)
def test_slice_resolution_after_conv(starts, ends, axes, steps) -> None:
    nodes = [N("Conv", ["x", "w"], ["c"]), N("Slice", ["c", "st", "en", "ax", "sp"], ["y"])]
    inits = {"w": f32(7, 3, 1, 1), "st": i64(*starts), "en": i64(*ends), "ax": i64(*axes), "sp": i64(*steps)}
    _check(typed_model(nodes, {"x": ([1, 3, 6, 9], F)}, ["y"], inits, opset=13))


@pytest.mark.parametrize("attrs", [
    {"strides": [2, 2], "auto_pad": "SAME_UPPER"}, {"strides": [2, 2], "auto_pad": "SAME_LOWER"},
    {"strides": [3, 2], "output_shape": [13, 10]}, {"strides": [2, 2], "output_padding": [1, 0], "pads": [1, 0, 0, 2]},
    {"strides": [2, 1], "dilations": [2, 1], "group": 2},
], ids=str)
def test_conv_transpose_pads(attrs) -> None:
    g = attrs.get("group", 1)
    nodes = [N("ConvTranspose", ["x", "w", "b"], ["y"], **attrs)]
    _check(typed_model(nodes, {"x": ([1, 4, 4, 5], F)}, ["y"], {"w": f32(4, 6 // g, 3, 3), "b": f32(6)}, opset=13))


def test_conv_transpose_1d() -> None:
    nodes = [N("ConvTranspose", ["x", "w"], ["y"], strides=[2], pads=[1, 0])]
    _check(typed_model(nodes, {"x": ([2, 3, 7], F)}, ["y"], {"w": f32(3, 5, 4)}, opset=13))


@pytest.mark.parametrize("op,scales", [("Upsample", [1, 1, 2, 3]), ("Resize", [1, 1, 0.5, 2]), ("Resize", [1, 1, 3, 1])],
                         ids=str)
@pytest.mark.parametrize("mode", ["nearest", "linear"])
def test_legacy_resize_opset9_10(op, scales, mode) -> None:
    opset = 9 if op == "Upsample" else 10
    if mode == "nearest" and 0.5 in scales:
        scales = [1, 1, 0.5, 0.5]
    nodes = [N(op, ["x", "s"], ["y"], mode=mode)]
    _check(typed_model(nodes, {"x": ([1, 2, 6, 4], F)}, ["y"], {"s": np.array(scales, F)}, opset=opset))


@pytest.mark.parametrize("op", ["LSTM", "GRU"])
@pytest.mark.parametrize("direction", ["forward", "reverse", "bidirectional"])
def test_rnn_all_outputs_and_seq_lens(op, direction) -> None:
    gates, hs, dirs = (4 if op == "LSTM" else 3), 5, (2 if direction == "bidirectional" else 1)
    outs = ["y", "y_h", "y_c"] if op == "LSTM" else ["y", "y_h"]
    ins = ["x", "w", "r", "b", "lens", "h0"] + (["c0"] if op == "LSTM" else [])
    inits = {"w": f32(dirs, gates * hs, 3) * 0.5, "r": f32(dirs, gates * hs, hs) * 0.5, "b": f32(dirs, 2 * gates * hs),
             "lens": np.array([4, 2, 3], np.int32), "h0": f32(dirs, 3, hs), "c0": f32(dirs, 3, hs)}
    extra = {"linear_before_reset": 1} if op == "GRU" else {"input_forget": 0}
    node = N(op, ins, outs, hidden_size=hs, direction=direction, **extra)
    _check(typed_model([node], {"x": ([4, 3, 3], F)}, outs, {k: inits[k] for k in ins[1:]}, opset=14))


def test_lstm_only_y_used_still_writes_every_output() -> None:
    from helpers import convert

    from mote.converter.reader import read

    node = N("LSTM", ["x", "w", "r"], ["y"], hidden_size=4)
    m = typed_model([node], {"x": ([3, 2, 5], F)}, ["y"], {"w": f32(1, 16, 5), "r": f32(1, 16, 4)}, opset=14)
    _check(m)
    (op,) = read(convert(m))["ops"]
    assert op["opcode"] == "LSTM" and len(op["outputs"]) == 3 and len(op["inputs"]) == 8
