"""Writer round trip: read the .mote back with the generated FlatBuffer code."""

from __future__ import annotations

import hashlib

import numpy as np
import onnx
import pytest
from onnx_builders import conv_bn_relu_pool_flatten_gemm

from mote.converter import convert
from mote.converter.fbs.Model import Model
from mote.converter.fbs.OpCode import OpCode
from mote.converter.reader import constant, read


@pytest.fixture(scope="module")
def model() -> onnx.ModelProto:
    return conv_bn_relu_pool_flatten_gemm(np.random.default_rng(1))


def test_identifier_version_and_alignment(model: onnx.ModelProto) -> None:
    data = convert(model)
    assert data[4:8] == b"MOTE"
    m = Model.GetRootAs(data, 0)
    assert m.Version() == 1
    assert m.BuffersLength() >= 2
    assert m.Buffers(0).DataLength() == 0
    for i in range(1, m.BuffersLength()):
        buf = m.Buffers(i)
        assert buf.DataLength() > 0
        start = buf._tab.Vector(buf._tab.Offset(4))
        assert start % 64 == 0, f"buffer {i} starts at {start}"
        assert bytes(data[start:start + buf.DataLength()]) == buf.DataAsNumpy().tobytes()
    sg = m.Subgraphs(0)
    assert sg.ArenaSize() > 0
    for i in range(sg.TensorsLength()):
        t = sg.Tensors(i)
        if t.Buffer() == 0:
            assert t.ArenaOffset() >= 0 and t.ArenaOffset() % 64 == 0
            assert t.ArenaOffset() + 4 * int(np.prod(t.ShapeAsNumpy())) <= sg.ArenaSize()
        else:
            assert t.Buffer() < m.BuffersLength()
    assert m.Signatures(0).Key() == b"serving_default"
    assert m.Signatures(0).InputsLength() == 1 and m.Signatures(0).Inputs(0).Name() == b"x"


def test_tensors_ops_and_metadata(tmp_path, model: onnx.ModelProto) -> None:
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    out = tmp_path / "m.mote"
    data = convert(path, out)
    assert out.read_bytes() == data
    s = read(data)
    assert s["metadata"]["source_format"] == "onnx"
    assert s["metadata"]["source_digest"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert s["metadata"]["opset"] == "17"
    assert s["metadata"]["converter_version"]
    ops = [op["opcode"] for op in s["ops"]]
    assert ops == ["TRANSPOSE", "CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED"]
    conv = s["ops"][1]
    assert conv["name"] == "conv"
    assert conv["options"]["activation"] == 1  # RELU fused
    assert (conv["options"]["pad_top"], conv["options"]["pad_right"]) == (1, 1)
    assert s["ops"][2]["options"]["filter_h"] == 2 and s["ops"][2]["options"]["stride_w"] == 2
    x, y = s["tensors"][s["inputs"][0]], s["tensors"][s["outputs"][0]]
    assert (x["name"], x["shape"]) == ("x", [1, 3, 16, 16])
    assert (y["name"], y["shape"]) == ("y", [1, 10])
    # conv weights are OHWI and carry the folded BN scale
    w = constant(data, s, conv["inputs"][1])
    assert w.shape == (8, 3, 3, 3)
    init = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
    scale = init["gamma"] / np.sqrt(init["var"] + 1e-5)
    np.testing.assert_allclose(w, (init["w"] * scale[:, None, None, None]).transpose(0, 2, 3, 1), rtol=1e-6)
    assert s["weights_size"] == sum(n for _, n in s["buffers"])
    assert s["arena_size"] % 64 == 0


def test_identical_constants_share_a_buffer() -> None:
    from onnx import helper
    from onnx_builders import make_model

    c = np.arange(4, dtype=np.float32)
    nodes = [helper.make_node("Add", ["x", "c1"], ["a"]), helper.make_node("Mul", ["a", "c2"], ["y"])]
    m = make_model(nodes, [("x", [2, 4])], [("y", [2, 4])], [("c1", c), ("c2", c.copy())])
    s = read(convert(m))
    bufs = [s["tensors"][op["inputs"][1]]["buffer"] for op in s["ops"]]
    assert bufs[0] == bufs[1] != 0
    assert [op["opcode"] for op in s["ops"]] == ["ADD", "MUL"]
    assert OpCode.ADD == 0
