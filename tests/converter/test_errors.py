"""Errors name what failed and where: op, node, opset; symbolic dims ask for input_shapes."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from onnx_builders import make_model

from mote.converter import ConversionError, convert


def test_unsupported_op_names_op_node_and_opset() -> None:
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node("Det", ["r"], ["y"], name="det_1")]
    m = make_model(nodes, [("x", [3, 3])], [("y", [])], opset=17)
    with pytest.raises(ConversionError) as e:
        convert(m)
    assert str(e.value) == "unsupported ONNX op 'Det' (node 'det_1', opset 17)"


def test_all_unsupported_ops_in_one_error() -> None:
    nodes = [helper.make_node("Det", ["x"], ["d"], name="d1"),
             helper.make_node("Hardmax", ["x"], ["e"], name="e1"),
             helper.make_node("Add", ["x", "x"], ["y"], name="add")]
    m = make_model(nodes, [("x", [3, 3])], [("y", [3, 3])], opset=15)
    with pytest.raises(ConversionError) as e:
        convert(m)
    msg = str(e.value)
    assert msg.startswith("2 unsupported ONNX ops")
    assert "'Det' (node 'd1', opset 15)" in msg and "'Hardmax' (node 'e1', opset 15)" in msg


def test_other_domain_op() -> None:
    node = helper.make_node("FusedConv", ["x"], ["y"], name="fc0", domain="com.microsoft")
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
                          ir_version=8)
    with pytest.raises(ConversionError, match=r"'com\.microsoft\.FusedConv' \(node 'fc0', opset 17\)"):
        convert(m)


def _symbolic_model() -> onnx.ModelProto:
    node = helper.make_node("Relu", ["input"], ["y"])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3, 8, 8])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def test_symbolic_dims_ask_for_input_shapes() -> None:
    with pytest.raises(ConversionError) as e:
        convert(_symbolic_model())
    msg = str(e.value)
    assert "'input' (N, 3, 8, 8)" in msg and "input_shapes={'input': (1, 3, 8, 8)}" in msg


def _token_model() -> onnx.ModelProto:
    """ids [batch, seq] (int64) -> embedding Gather -> Reshape to [batch * seq, 4] via Shape arithmetic."""
    nodes = [helper.make_node("Gather", ["emb", "ids"], ["e"]),
             helper.make_node("Shape", ["ids"], ["s"]),
             helper.make_node("ReduceProd", ["s"], ["n"], keepdims=1),
             helper.make_node("Concat", ["n", "four"], ["shape"], axis=0),
             helper.make_node("Reshape", ["e", "shape"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "seq"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["bs", 4])],
                              [onnx.numpy_helper.from_array(np.arange(40, dtype=np.float32).reshape(10, 4), "emb"),
                               onnx.numpy_helper.from_array(np.array([4], np.int64), "four")],
                              value_info=[helper.make_tensor_value_info("e", TensorProto.FLOAT, [1, 7, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def test_symbolic_sequence_dim_hint_and_fix() -> None:
    from mote.converter.reader import read

    with pytest.raises(ConversionError) as e:
        convert(_token_model())
    assert "'ids' (batch, seq)" in str(e.value) and "input_shapes={'ids': (1, <seq>)}" in str(e.value)
    # the exporter's stale value_info ([1, 7, 4]) does not get in the way of the given sizes
    s = read(convert(_token_model(), input_shapes={"ids": (2, 5)}))
    assert [op["opcode"] for op in s["ops"]] == ["GATHER", "RESHAPE"]
    assert s["tensors"][s["inputs"][0]]["dtype"] == "int64"
    assert s["tensors"][s["outputs"][0]]["shape"] == [10, 4]


def test_input_shapes_fixes_symbolic_dims() -> None:
    from mote.converter.reader import read

    m = _symbolic_model()
    s = read(convert(m, input_shapes={"input": (2, 3, 8, 8)}))
    assert s["tensors"][s["outputs"][0]]["shape"] == [2, 3, 8, 8]
    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "N"  # the caller's model is untouched
    with pytest.raises(ConversionError, match="model's inputs are"):
        convert(m, input_shapes={"nope": (1,)})


def test_missing_file_and_not_onnx(tmp_path) -> None:
    with pytest.raises(ConversionError, match="no such file"):
        convert(tmp_path / "missing.onnx")
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x00\x01this is not protobuf\xff" * 10)
    with pytest.raises(ConversionError, match="is not an ONNX model"):
        convert(bad)
    text = tmp_path / "notes.onnx"
    text.write_text("hello")
    with pytest.raises(ConversionError, match="is not an ONNX model"):
        convert(text)


def test_bytes_source_and_wrong_source_type() -> None:
    m = _symbolic_model()
    shapes = {"input": (1, 3, 8, 8)}
    assert convert(m.SerializeToString(), input_shapes=shapes) == convert(m, input_shapes=shapes)
    with pytest.raises(ConversionError, match="the given data is not an ONNX model"):
        convert(b"\x00\x01this is not protobuf\xff" * 10)
    with pytest.raises(ConversionError, match="cannot convert a int"):
        convert(3)


def test_runtime_computed_shape_is_rejected_clearly() -> None:
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="rs")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
                                           helper.make_tensor_value_info("s", TensorProto.INT64, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 2])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    with pytest.raises(ConversionError, match=r"Reshape shape must be a constant .*'Reshape' \(node 'rs', opset 17\)"):
        convert(m)


def test_invalid_model_and_unsupported_variant() -> None:
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="r", bogus=1)]
    with pytest.warns(UserWarning, match="Unrecognized attribute: bogus"), \
            pytest.raises(ConversionError, match=r"\['bogus'\].*'Relu' \(node 'r', opset 17\)"):
        convert(make_model(nodes, [("x", [2])], [("y", [2])]))
    conv3d = [helper.make_node("Conv", ["x", "w"], ["y"], name="c3")]
    m = make_model(conv3d, [("x", [1, 1, 4, 4, 4])], [("y", [1, 1, 4, 4, 4])],
                   [("w", np.ones((1, 1, 1, 1, 1), np.float32))])
    with pytest.raises(ConversionError, match=r"rank 5 is not supported.*'Conv' \(node 'c3', opset 17\)"):
        convert(m)


def test_unsorted_graph_is_sorted_and_undefined_input_named() -> None:
    from mote.converter.reader import read

    m = make_model([helper.make_node("Relu", ["a"], ["y"]), helper.make_node("Add", ["x", "x"], ["a"])],
                   [("x", [2])], [("y", [2])])
    with pytest.warns(UserWarning, match="topologically sorted"):
        assert [o["opcode"] for o in read(convert(m))["ops"]] == ["ADD"]  # relu fused
    m = make_model([helper.make_node("Relu", ["ghost"], ["y"], name="r")], [("x", [2])], [("y", [2])])
    with pytest.warns(UserWarning), pytest.raises(ConversionError, match=r"'ghost' is not produced .*'Relu' \(node 'r', opset 17\)"):
        convert(m)


def _one(node, inputs, inits=(), opset=17):
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [onnx.numpy_helper.from_array(np.asarray(v), n) for n, v in inits])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


FLOAT4 = [("x", TensorProto.FLOAT, [1, 2, 4, 4])]
SEQ = [("x", TensorProto.FLOAT, [5, 1, 3])]
RNN_W = [("w", np.zeros((1, 8, 3), np.float32)), ("r", np.zeros((1, 8, 2), np.float32))]


@pytest.mark.parametrize("node,inputs,inits,pattern", [
    (helper.make_node("LSTM", ["x", "w", "r"], ["y"], hidden_size=2, layout=1, name="l"), SEQ, RNN_W,
     r"attribute layout=1 is not supported.*'LSTM' \(node 'l'"),
    (helper.make_node("LSTM", ["x", "w", "r"], ["y"], hidden_size=2, activations=["Relu", "Tanh", "Tanh"], name="l"),
     SEQ, RNN_W, r"activations=\['Relu', 'Tanh', 'Tanh'\] is not supported"),
    (helper.make_node("GRU", ["x", "w", "r"], ["y"], hidden_size=2, activation_alpha=[0.1], name="g"), SEQ,
     [("w", np.zeros((1, 6, 3), np.float32)), ("r", np.zeros((1, 6, 2), np.float32))],
     r"activation_alpha / activation_beta are not supported.*'GRU'"),
    (helper.make_node("Resize", ["x", "roi", "s"], ["y"], coordinate_transformation_mode="tf_crop_and_resize",
                      name="rz"), FLOAT4, [("roi", np.zeros(8, np.float32)), ("s", np.ones(4, np.float32))],
     r"'tf_crop_and_resize' is not supported.*'Resize' \(node 'rz'"),
    (helper.make_node("Resize", ["x", "", "s"], ["y"], name="rz"), FLOAT4, [("s", np.array([1, 2, 1, 1], np.float32))],
     r"only resizing H and W of a 4-D NCHW tensor is supported \(\(1, 2, 4, 4\) -> \(1, 4, 4, 4\)\)"),
    (helper.make_node("Cast", ["x"], ["y"], to=TensorProto.DOUBLE, name="c"), FLOAT4, [],
     r"Cast to float64 is not supported.*'Cast' \(node 'c'"),
    (helper.make_node("Slice", ["x", "st", "en"], ["y"], name="s"),
     FLOAT4 + [("st", TensorProto.INT64, [1])], [("en", np.array([2], np.int64))],
     r"Slice starts must be a constant.*'Slice' \(node 's'"),
    (helper.make_node("TopK", ["x", "k"], ["y", "i"], name="t"), FLOAT4 + [("k", TensorProto.INT64, [1])], [],
     r"TopK K must be a constant"),
    (helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], output_shape=[20, 20], name="ct"), FLOAT4,
     [("w", np.zeros((2, 1, 3, 3), np.float32))], r"output_shape 20 is larger.*'ConvTranspose' \(node 'ct'"),
])
def test_unsupported_variants_name_the_attribute(node, inputs, inits, pattern) -> None:
    with pytest.raises(ConversionError, match=pattern):
        convert(_one(node, inputs, inits))
