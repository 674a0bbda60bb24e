"""NCHW → NHWC: numerics of the rewritten IR against ONNX Runtime, and no transposes inside."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from onnx_builders import conv_bn_relu_pool_flatten_gemm, ir_vs_ort, make_model

from mote.converter import convert
from mote.converter.reader import read

RNG = np.random.default_rng(7)


def _rand(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def transposes_inside(data: bytes) -> list[str]:
    """TRANSPOSE ops that neither read a model input nor write a model output."""
    s = read(data)
    return [op["name"] for op in s["ops"] if op["opcode"] == "TRANSPOSE"
            and op["inputs"][0] not in s["inputs"] and op["outputs"][0] not in s["outputs"]]


@pytest.mark.parametrize("global_pool", [False, True])
def test_conv_bn_relu_pool_flatten_gemm(global_pool: bool) -> None:
    m = conv_bn_relu_pool_flatten_gemm(RNG, global_pool)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 16, 16)})
    assert err < 1e-4
    data = convert(m)
    s = read(data)
    assert transposes_inside(data) == []
    assert sum(op["opcode"] == "TRANSPOSE" for op in s["ops"]) == 1  # one, at the input
    assert s["ops"][0]["opcode"] == "TRANSPOSE" and s["ops"][0]["inputs"] == s["inputs"]


def _conv(name: str, x: str, y: str, cin: int, cout: int, inits: list, **kw) -> helper.NodeProto:
    inits.append((f"{name}_w", _rand(cout, cin // kw.get("group", 1), 3, 3) * 0.3))
    return helper.make_node("Conv", [x, f"{name}_w"], [y], pads=[1, 1, 1, 1], name=name, **kw)


def test_concat_softmax_pad_reduce_and_output_in_nchw() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        _conv("c2", "x", "b", 3, 4, inits),
        helper.make_node("Concat", ["a", "b"], ["cat"], axis=1),
        helper.make_node("Softmax", ["cat"], ["sm"], axis=1),
        helper.make_node("Pad", ["sm", "pads"], ["pd"], mode="reflect"),
        helper.make_node("ReduceMean", ["pd"], ["rm"], axes=[1], keepdims=1),
        helper.make_node("Add", ["rm", "bias"], ["y"]),
    ]
    inits += [("pads", np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)), ("bias", _rand(1, 1, 1, 11))]
    m = make_model(nodes, [("x", [1, 3, 8, 8])], [("y", [1, 1, 11, 11])], inits, opset=13)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 8, 8)})
    assert err < 1e-5
    data = convert(m)
    assert transposes_inside(data) == []
    s = read(data)
    # the output keeps NCHW; [1,1,H,W] <-> [1,H,W,1] only moves a unit dim: a RESHAPE, not a TRANSPOSE
    assert s["ops"][-1]["opcode"] == "RESHAPE"
    assert s["tensors"][s["outputs"][0]]["shape"] == [1, 1, 11, 11]


def test_squeeze_excitation_block_and_residual() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 4, 8, inits),
        helper.make_node("Relu", ["a"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fc_w"], ["s"], transB=1),
        helper.make_node("Sigmoid", ["s"], ["sg"]),
        helper.make_node("Unsqueeze", ["sg", "ax"], ["u"]),
        helper.make_node("Mul", ["r", "u"], ["se"]),
        _conv("c2", "se", "b", 8, 4, inits, group=2),
        helper.make_node("Add", ["b", "x"], ["y"]),
    ]
    inits += [("fc_w", _rand(8, 8)), ("ax", np.array([2, 3], np.int64))]
    m = make_model(nodes, [("x", [1, 4, 6, 6])], [("y", [1, 4, 6, 6])], inits, opset=13)
    _, err = ir_vs_ort(m, {"x": _rand(1, 4, 6, 6)})
    assert err < 1e-4
    data = convert(m)
    assert transposes_inside(data) == []
    s = read(data)
    # x is read by a conv and by the residual add: still one transpose in, one out
    assert sum(op["opcode"] == "TRANSPOSE" for op in s["ops"]) == 2


def test_reshape_that_reorders_gets_a_transpose_back() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        helper.make_node("Reshape", ["a", "shape"], ["y"]),  # merges C with H: not a channels-last reshape
    ]
    inits.append(("shape", np.array([1, 24, 6], np.int64)))
    m = make_model(nodes, [("x", [1, 3, 6, 6])], [("y", [1, 24, 6])], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 6, 6)})
    assert err < 1e-5
    s = read(convert(m))
    assert [op["opcode"] for op in s["ops"]] == ["TRANSPOSE", "CONV_2D", "TRANSPOSE", "RESHAPE"]


@pytest.mark.parametrize("shape", [(1, 4, 36), (1, 4, 6, 6, 1), (1, 2, 2, 36)], ids=str)
def test_reshape_keeping_channels_apart_stays_channels_last(shape) -> None:
    """Flatten to [N, C, H·W] (ViT patches), a unit dim, a channel split: the channels-last
    storage reshapes the same way; the model's own transpose back to tokens is then free."""
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        helper.make_node("Reshape", ["a", "shape"], ["r"]),
        helper.make_node("Relu", ["r"], ["y"]),
    ]
    inits.append(("shape", np.array(shape, np.int64)))
    m = make_model(nodes, [("x", [1, 3, 6, 6])], [("y", list(shape))], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 6, 6)})
    assert err < 1e-5
    assert transposes_inside(convert(m)) == []


def test_patch_tokens_need_no_transpose() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        helper.make_node("Reshape", ["a", "s"], ["f"]),  # [N, C, H·W]
        helper.make_node("Transpose", ["f"], ["t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["t", "w"], ["y"]),
    ]
    inits += [("s", np.array([1, 4, 36], np.int64)), ("w", _rand(4, 5))]
    m = make_model(nodes, [("x", [1, 3, 6, 6])], [("y", [1, 36, 5])], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 6, 6)})
    assert err < 1e-4
    assert [op["opcode"] for op in read(convert(m))["ops"]] == ["TRANSPOSE", "CONV_2D", "RESHAPE",
                                                                 "FULLY_CONNECTED"]


def test_model_transposes_cancel_out() -> None:
    # an NHWC-input model (as exported from TF): its own transpose meets ours and both vanish
    inits: list = []
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"], perm=[0, 3, 1, 2]),
        _conv("c1", "t", "a", 3, 4, inits),
        helper.make_node("Transpose", ["a"], ["y"], perm=[0, 2, 3, 1]),
    ]
    m = make_model(nodes, [("x", [1, 6, 6, 3])], [("y", [1, 6, 6, 4])], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 6, 6, 3)})
    assert err < 1e-5
    s = read(convert(m))
    assert [op["opcode"] for op in s["ops"]] == ["CONV_2D"]


def test_transpose_inside_composes() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        helper.make_node("Transpose", ["a"], ["t"], perm=[0, 1, 3, 2]),  # swap H and W
        _conv("c2", "t", "y", 4, 2, inits),
    ]
    m = make_model(nodes, [("x", [1, 3, 5, 7])], [("y", [1, 2, 7, 5])], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 5, 7)})
    assert err < 1e-5
    s = read(convert(m))
    # the model's own transpose stays (it is real work), composed in NHWC: no extra ones
    assert [op["opcode"] for op in s["ops"]] == ["TRANSPOSE", "CONV_2D", "TRANSPOSE", "CONV_2D", "TRANSPOSE"]
    assert s["ops"][2]["options"]["perm"] == [0, 2, 1, 3]


def test_binary_broadcast_constants_are_permuted() -> None:
    inits: list = []
    nodes = [
        _conv("c1", "x", "a", 3, 4, inits),
        helper.make_node("Mul", ["a", "scale"], ["m"]),  # [4,1,1]: per channel
        helper.make_node("Add", ["m", "row"], ["r"]),  # [7]: along W
        helper.make_node("Sub", ["r", "full"], ["y"]),  # [1,4,5,7]
    ]
    inits += [("scale", _rand(4, 1, 1)), ("row", _rand(7)), ("full", _rand(1, 4, 5, 7))]
    m = make_model(nodes, [("x", [1, 3, 5, 7])], [("y", [1, 4, 5, 7])], inits)
    _, err = ir_vs_ort(m, {"x": _rand(1, 3, 5, 7)})
    assert err < 1e-5
    assert transposes_inside(convert(m)) == []
