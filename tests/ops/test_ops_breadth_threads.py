"""The breadth ops at sizes large enough for libmote to split them over threads, run with 1, 2
and 3 threads vs ONNX Runtime (the split must not change the answer)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model, make_model_for
from onnx import TensorProto, helper


def i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def f32(rng, *shape: int, scale: float = 1.0) -> np.ndarray:
    return (scale * rng.standard_normal(shape)).astype(np.float32)


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def case_unary(rng):
    x = f32(rng, 1, 64, 40, 40)
    return make_model_for([node("Mish", ["x"], ["m"]), node("Erf", ["m"], ["y"])], {"x": x}, ["y"], None, 18), {"x": x}


def case_where_cast(rng):
    x = f32(rng, 4, 64, 512)
    nodes = [node("Greater", ["x", "z"], ["m"]), node("Cast", ["m"], ["mi"], to=TensorProto.INT32),
             node("Where", ["m", "x", "k"], ["y"])]
    inits = {"z": np.array(0.0, np.float32), "k": f32(rng, 512)}
    return make_model_for(nodes, {"x": x}, ["y", "mi"], inits), {"x": x}


def case_pow_max(rng):
    a, b = np.abs(f32(rng, 8, 128, 128)) + 0.1, f32(rng, 128, 1)
    nodes = [node("Pow", ["a", "b"], ["p"]), node("Max", ["p", "a", "b"], ["y"])]
    return make_model_for(nodes, {"a": a, "b": b}, ["y"], None, 13), {"a": a, "b": b}


def case_reduce(rng):
    x = f32(rng, 8, 256, 64)
    nodes = [node("ReduceSum", ["x", "a1"], ["s"], keepdims=0), node("ReduceMax", ["x", "a2"], ["m"], keepdims=1),
             node("ReduceL2", ["x", "a1"], ["l"], keepdims=0), node("ArgMax", ["x"], ["i"], axis=1)]
    inits = {"a1": i64(1), "a2": i64(-1)}
    return make_model_for(nodes, {"x": x}, ["s", "m", "l", "i"], inits, 18), {"x": x}


def case_gather_slice_tile(rng):
    ids = rng.integers(0, 1000, (2, 128)).astype(np.int64)
    nodes = [node("Gather", ["table", "ids"], ["e"]), node("Slice", ["e", "s", "en", "ax", "st"], ["sl"]),
             node("Tile", ["sl", "r"], ["y"])]
    inits = {"table": f32(rng, 1000, 96), "s": i64(1, 0), "en": i64(127, 96), "ax": i64(1, 2), "st": i64(2, 3),
             "r": i64(1, 2, 2)}
    return make_model_for(nodes, {"ids": ids}, ["y"], inits, 13), {"ids": ids}


def case_topk(rng):
    x = rng.permutation(64 * 1000).reshape(64, 1000).astype(np.float32)
    return make_model_for([node("TopK", ["x", "k"], ["v", "i"], axis=1)], {"x": x}, ["v", "i"], {"k": i64(7)}, 11), {"x": x}


def case_resize(rng):
    x = f32(rng, 1, 32, 28, 28)
    nodes = [node("Resize", ["x", "", "s"], ["u"], mode="linear"), node("Resize", ["u", "", "s2"], ["y"], mode="cubic")]
    inits = {"s": np.array([1, 1, 2, 2], np.float32), "s2": np.array([1, 1, 0.5, 0.75], np.float32)}
    return make_model(nodes, {"x": x.shape}, ["y"], inits, 13), {"x": x}


def case_conv_transpose(rng):
    x = f32(rng, 1, 32, 14, 14)
    n = node("ConvTranspose", ["x", "w", "b"], ["y"], kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1])
    return make_model([n], {"x": x.shape}, ["y"], {"w": f32(rng, 32, 24, 4, 4, scale=0.2), "b": f32(rng, 24)}), {"x": x}


def case_depth_space(rng):
    x = f32(rng, 2, 64, 24, 24)
    nodes = [node("DepthToSpace", ["x"], ["d"], blocksize=2, mode="CRD"), node("SpaceToDepth", ["d"], ["y"], blocksize=4)]
    return make_model(nodes, {"x": x.shape}, ["y"], None, 13), {"x": x}


def case_norms(rng):
    x = f32(rng, 2, 32, 28, 28)
    nodes = [node("InstanceNormalization", ["x", "s", "b"], ["n"]),
             node("LayerNormalization", ["n", "ls", "lb"], ["y"], axis=-1)]
    inits = {"s": f32(rng, 32), "b": f32(rng, 32), "ls": f32(rng, 28), "lb": f32(rng, 28)}
    return make_model(nodes, {"x": x.shape}, ["y"], inits), {"x": x}


def case_einsum(rng):
    q, k = f32(rng, 2, 4, 64, 32), f32(rng, 2, 4, 64, 32)
    nodes = [node("Einsum", ["q", "k"], ["s"], equation="bhid,bhjd->bhij"), node("Softmax", ["s"], ["p"], axis=-1),
             node("Einsum", ["p", "k"], ["y"], equation="bhij,bhjd->bhid")]
    return make_model(nodes, {"q": q.shape, "k": k.shape}, ["y"], None, 13), {"q": q, "k": k}


def case_lstm(rng):
    seq, batch, inp, hid = 8, 4, 32, 64
    x = f32(rng, seq, batch, inp)
    n = node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh", "Yc"], hidden_size=hid, direction="bidirectional")
    inits = {"W": f32(rng, 2, 4 * hid, inp, scale=0.2), "R": f32(rng, 2, 4 * hid, hid, scale=0.2),
             "B": f32(rng, 2, 8 * hid, scale=0.2)}
    return make_model([n], {"x": x.shape}, ["Y", "Yh", "Yc"], inits, 14), {"x": x}


def case_gru(rng):
    seq, batch, inp, hid = 8, 4, 32, 64
    x = f32(rng, seq, batch, inp)
    n = node("GRU", ["x", "W", "R", "B"], ["Y", "Yh"], hidden_size=hid, direction="bidirectional", linear_before_reset=1)
    inits = {"W": f32(rng, 2, 3 * hid, inp, scale=0.2), "R": f32(rng, 2, 3 * hid, hid, scale=0.2),
             "B": f32(rng, 2, 6 * hid, scale=0.2)}
    return make_model([n], {"x": x.shape}, ["Y", "Yh"], inits, 14), {"x": x}


CASES = {f.__name__[5:]: f for f in (case_unary, case_where_cast, case_pow_max, case_reduce, case_gather_slice_tile,
                                      case_topk, case_resize, case_conv_transpose, case_depth_space, case_norms,
                                      case_einsum, case_lstm, case_gru)}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_breadth_threads(rng, case, threads):
    model, feeds = CASES[case](rng)
    assert_close_to_ort(model, feeds, num_threads=threads)
