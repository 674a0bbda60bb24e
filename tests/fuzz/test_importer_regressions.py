"""One test per importer bug the fuzzers found: each input used to escape convert() as a raw
ValueError / TypeError / KeyError / ZeroDivisionError / UnicodeDecodeError; now ConversionError."""

from __future__ import annotations

import random
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import mote
from mote.converter import ConversionError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mutate  # noqa: E402
import seeds  # noqa: E402


def _model(nodes: list, inputs: dict, inits: list | None = None, elem: int = TensorProto.FLOAT) -> bytes:
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(n, elem, list(s)) for n, s in inputs.items()],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=inits or [])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8).SerializeToString()


def _refused(data: bytes, *words: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ConversionError) as info:
            mote.convert(data)
    msg = str(info.value)
    for w in words:
        assert w in msg, msg
    return msg


def test_initializer_dims_disagree_with_its_data() -> None:  # was ValueError from numpy reshape
    w = numpy_helper.from_array(np.ones(16, np.float32), "w")
    w.dims[:] = [4]
    _refused(_model([helper.make_node("Add", ["x", "w"], ["y"])], {"x": (4,)}, [w]), "initializer 'w'")


def test_initializer_with_huge_dims() -> None:
    w = numpy_helper.from_array(np.ones(4, np.float32), "w")
    w.dims[:] = [2**40]
    _refused(_model([helper.make_node("Add", ["x", "w"], ["y"])], {"x": (4,)}, [w]), "initializer 'w'", "2^31")


@pytest.mark.parametrize("elem", [0, 99])
def test_input_with_unknown_element_type(elem: int) -> None:  # was KeyError from onnx.helper
    _refused(_model([helper.make_node("Relu", ["x"], ["y"])], {"x": (2,)}, elem=elem), "model input 'x'",
             "element type")


@pytest.mark.parametrize("dim", [2**40, -3])
def test_input_dims_out_of_range(dim: int) -> None:  # 2^40 used to reach the writer (int32 TypeError)
    _refused(_model([helper.make_node("Relu", ["x"], ["y"])], {"x": (1, dim)}), "model input 'x'", "[0, 2^31)")


def test_attribute_of_the_wrong_type() -> None:  # a float axis reached the writer
    node = helper.make_node("Softmax", ["x"], ["y"])
    node.attribute.append(helper.make_attribute("axis", float("nan")))
    _refused(_model([node], {"x": (2, 3)}), "attribute 'axis'", "FLOAT", "INT", "Softmax")


@pytest.mark.parametrize("op", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("axis", [2, -3, -(2**42)])
def test_softmax_axis_out_of_range(op: str, axis: int) -> None:  # reached the writer as int64
    _refused(_model([helper.make_node(op, ["x"], ["y"], axis=axis)], {"x": (2, 3)}), "axis", "out of range")


def test_kernel_that_does_not_fit_int32() -> None:  # was TypeError in the flatbuffer writer
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2**32, 1], pads=[2**31, 0, 2**31, 0])
    _refused(_model([node], {"x": (1, 1, 4, 4)}), "int32")


def test_handler_failure_names_the_node() -> None:  # Resize with infinite scales: OverflowError
    scales = numpy_helper.from_array(np.array([1, 1, np.inf, 1], np.float32), "s")
    node = helper.make_node("Resize", ["x", "", "s"], ["y"], name="up", mode="nearest")
    _refused(_model([node], {"x": (1, 1, 2, 2)}, [scales]), "'Resize'", "node 'up'")


def test_string_attribute_with_invalid_utf8() -> None:  # was UnicodeDecodeError
    node = helper.make_node("Resize", ["x", "", "s"], ["y"])
    node.attribute.append(helper.make_attribute("mode", b"\xf4\x80"))
    scales = numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "s")
    _refused(_model([node], {"x": (1, 1, 2, 2)}, [scales]), "Resize")


def test_checker_parse_failure_is_only_a_warning() -> None:
    """run_long.py's ONNX input 26819: onnx.load parses it, onnx.checker's own parser raised ValueError."""
    data = mutate.mutate_onnx(seeds.onnx_seeds()[26819 % 7], random.Random(26819))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mote.convert(data)
    except ConversionError as e:
        assert str(e)


def test_tflite_depth_to_space_block_size_zero() -> None:  # was ZeroDivisionError in shape inference
    pytest.importorskip("ai_edge_litert")
    from builder import ModelBuilder, options
    b = ModelBuilder()
    b.input("x", (1, 2, 2, 4))
    b.op("DEPTH_TO_SPACE", ["x"], [("y", (1, 4, 4, 1))], options("DepthToSpaceOptions", blockSize=0))
    b.output("y")
    _refused(b.build(), "DEPTH_TO_SPACE", "ZeroDivisionError")


@pytest.mark.parametrize("outputs", [(["t"], ["t"]), (["t", "t"], None), (["x"], None)])
def test_tensor_produced_twice(outputs: tuple) -> None:  # converted, then libmote refused the file
    first, second = outputs
    nodes = [helper.make_node("Relu", ["x"], first)]
    if second is not None:
        nodes.append(helper.make_node("Neg", ["x"], second))
    nodes.append(helper.make_node("Add", [first[0], first[0]], ["y"]))
    _refused(_model(nodes, {"x": (2,)}), "produced twice")


def test_symbolic_dim_name_with_invalid_utf8() -> None:
    """atheris found it: a dim_param protobuf returns as bytes broke the 'symbolic dims' message (TypeError)."""
    data = (Path(__file__).parent / "crash-dim-param-bytes.onnx").read_bytes()
    _refused(data)
