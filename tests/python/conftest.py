"""Small ONNX models converted once per session for the bindings and CLI tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import pytest
from helpers import convert, make_model
from onnx import helper


@dataclass
class Converted:
    onnx_model: onnx.ModelProto
    onnx_path: Path
    path: Path
    data: bytes


def _save(tmp: Path, name: str, model: onnx.ModelProto) -> Converted:
    onnx_path = tmp / f"{name}.onnx"
    onnx.save(model, onnx_path)
    data = convert(model)
    path = tmp / f"{name}.mote"
    path.write_bytes(data)
    return Converted(model, onnx_path, path, data)


def binary_model() -> onnx.ModelProto:
    """Two inputs a, b (2, 3) -> sum = a + b, prod = a * b."""
    nodes = [helper.make_node("Add", ["a", "b"], ["sum"]), helper.make_node("Mul", ["a", "b"], ["prod"])]
    return make_model(nodes, {"a": (2, 3), "b": (2, 3)}, ["sum", "prod"])


def affine_model() -> onnx.ModelProto:
    """One NCHW input x (1, 3, 8, 8) -> y = relu(x * w + c) with per-channel constants."""
    rng = np.random.default_rng(7)
    w = rng.uniform(0.5, 2.0, (1, 3, 1, 1)).astype(np.float32)
    c = rng.standard_normal((1, 3, 1, 1)).astype(np.float32)
    nodes = [helper.make_node("Mul", ["x", "w"], ["t"]), helper.make_node("Add", ["t", "c"], ["u"]),
             helper.make_node("Relu", ["u"], ["y"])]
    return make_model(nodes, {"x": (1, 3, 8, 8)}, ["y"], {"w": w, "c": c})


def cnn_model() -> onnx.ModelProto:
    """x (1, 3, 8, 8) -> conv 3x3 -> relu -> global average pool -> flatten -> gemm -> softmax: probs (1, 10)."""
    rng = np.random.default_rng(11)
    inits = {
        "cw": (0.3 * rng.standard_normal((6, 3, 3, 3))).astype(np.float32),
        "cb": (0.1 * rng.standard_normal(6)).astype(np.float32),
        "fw": rng.standard_normal((10, 6)).astype(np.float32),
        "fb": (0.1 * rng.standard_normal(10)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "cw", "cb"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1),
    ]
    return make_model(nodes, {"x": (1, 3, 8, 8)}, ["probs"], inits)


def dynamic_batch_model() -> onnx.ModelProto:
    """x ('N', 4) -> y = x + 1 (a symbolic batch dimension, fixed by --input-shape)."""
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "one"], ["y"])], "dyn",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, ["N", 4])],
        initializer=[onnx.numpy_helper.from_array(np.ones((1, 4), np.float32), "one")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def binary(model_dir: Path) -> Converted:
    return _save(model_dir, "binary", binary_model())


@pytest.fixture(scope="session")
def affine(model_dir: Path) -> Converted:
    return _save(model_dir, "affine", affine_model())


@pytest.fixture(scope="session")
def cnn(model_dir: Path) -> Converted:
    return _save(model_dir, "cnn", cnn_model())


@pytest.fixture(scope="session")
def dynamic_onnx(model_dir: Path) -> Path:
    path = model_dir / "dynamic.onnx"
    onnx.save(dynamic_batch_model(), path)
    return path
