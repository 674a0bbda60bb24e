"""Valid small models the importer fuzzers start from: ONNX via onnx.helper, TFLite via
tests/tflite/builder.py. Each converts cleanly before any mutation (test_importer_fuzz checks)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tflite"))  # builder.py


def _model(nodes: list, inputs: dict, outputs: list[str], inits: dict | None = None,
           opset: int = 17) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes, "seed",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s)) for n, s in inputs.items()],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in (inits or {}).items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def onnx_seeds() -> list[onnx.ModelProto]:
    rng = np.random.default_rng(0)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    conv = _model([helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                   helper.make_node("Relu", ["c"], ["r"]),
                   helper.make_node("MaxPool", ["r"], ["y"], kernel_shape=[2, 2], strides=[2, 2])],
                  {"x": (1, 2, 6, 6)}, ["y"], {"w": f(3, 2, 3, 3), "b": f(3)})
    gemm = _model([helper.make_node("Gemm", ["x", "w", "b"], ["g"], transB=1),
                   helper.make_node("Softmax", ["g"], ["y"], axis=-1)],
                  {"x": (2, 4)}, ["y"], {"w": f(5, 4), "b": f(5)})
    reshape = _model([helper.make_node("Shape", ["x"], ["s"]),
                      helper.make_node("Reshape", ["x", "shape"], ["r"]),
                      helper.make_node("Transpose", ["r"], ["t"], perm=[1, 0]),
                      helper.make_node("Flatten", ["t"], ["y"], axis=1)],
                     {"x": (2, 3, 4)}, ["y"], {"shape": np.array([6, 4], np.int64)})
    concat = _model([helper.make_node("Concat", ["a", "b"], ["c"], axis=1),
                     helper.make_node("Slice", ["c", "st", "en", "ax"], ["s"]),
                     helper.make_node("Add", ["s", "k"], ["y"])],
                    {"a": (2, 3), "b": (2, 2)}, ["y"],
                    {"st": np.array([1], np.int64), "en": np.array([4], np.int64), "ax": np.array([1], np.int64),
                     "k": f(1, 3)})
    resize = _model([helper.make_node("Resize", ["x", "", "scales"], ["y"], mode="nearest")],
                    {"x": (1, 1, 3, 3)}, ["y"], {"scales": np.array([1, 1, 2, 2], np.float32)})
    lstm = _model([helper.make_node("LSTM", ["x", "w", "r", "b"], ["y", "yh"], hidden_size=3)],
                  {"x": (2, 1, 4)}, ["y", "yh"], {"w": f(1, 12, 4), "r": f(1, 12, 3), "b": f(1, 24)})
    reduce = _model([helper.make_node("ReduceMean", ["x"], ["m"], axes=[1], keepdims=1),
                     helper.make_node("Sub", ["x", "m"], ["d"]),
                     helper.make_node("Mul", ["d", "d"], ["y"])],
                    {"x": (2, 5)}, ["y"], opset=13)
    return [conv, gemm, reshape, concat, resize, lstm, reduce]


def tflite_seeds() -> list[bytes]:
    from builder import ModelBuilder, options  # tests/tflite; needs ai-edge-litert
    rng = np.random.default_rng(1)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    out = []
    b = ModelBuilder()
    b.input("x", (1, 4))
    b.const("c", f(4))
    b.op("ADD", ["x", "c"], [("y", (1, 4))], options("AddOptions"))
    b.output("y")
    out.append(b.build())

    b = ModelBuilder()
    b.input("x", (1, 5, 5, 2))
    b.const("w", f(3, 3, 3, 2))
    b.const("bias", f(3))
    b.op("CONV_2D", ["x", "w", "bias"], [("c", (1, 5, 5, 3))], options("Conv2DOptions", padding=0, strideH=1,
                                                                         strideW=1, fusedActivationFunction=1))
    b.op("MAX_POOL_2D", ["c"], [("y", (1, 2, 2, 3))],
         options("Pool2DOptions", padding=1, strideH=2, strideW=2, filterHeight=2, filterWidth=2))
    b.output("y")
    out.append(b.build())

    b = ModelBuilder()
    b.input("x", (2, 6))
    b.const("w", f(3, 6))
    b.const("bias", f(3))
    b.op("FULLY_CONNECTED", ["x", "w", "bias"], [("fc", (2, 3))], options("FullyConnectedOptions"))
    b.const("shape", np.array([3, 2], np.int32))
    b.op("RESHAPE", ["fc", "shape"], [("r", (3, 2))], options("ReshapeOptions", newShape=[3, 2]))
    b.op("SOFTMAX", ["r"], [("y", (3, 2))], options("SoftmaxOptions", beta=1.0))
    b.output("y")
    out.append(b.build())

    b = ModelBuilder()
    b.input("a", (1, 2, 3))
    b.input("b2", (1, 2, 1))
    b.op("CONCATENATION", ["a", "b2"], [("c", (1, 2, 4))], options("ConcatenationOptions", axis=2))
    b.const("perm", np.array([0, 2, 1], np.int32))
    b.op("TRANSPOSE", ["c", "perm"], [("y", (1, 4, 2))], options("TransposeOptions"))
    b.output("y")
    out.append(b.build())
    return out
