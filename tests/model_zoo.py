"""Small multi-op ONNX models built with onnx.helper, shared by the model and loader suites.

Weights are scaled by 1/sqrt(fan_in) and BatchNorm statistics are drawn near the identity, so
activations stay O(1) through the network and error ratios mean something.
"""

from __future__ import annotations

import numpy as np
import onnx
from helpers import make_model
from onnx import helper


def _w(rng: np.random.Generator, *shape: int) -> np.ndarray:
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


def _b(rng: np.random.Generator, n: int) -> np.ndarray:
    return (0.1 * rng.standard_normal(n)).astype(np.float32)


def _bn(rng: np.random.Generator, prefix: str, c: int) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_scale": rng.uniform(0.8, 1.2, c).astype(np.float32),
        f"{prefix}_shift": (0.1 * rng.standard_normal(c)).astype(np.float32),
        f"{prefix}_mean": (0.1 * rng.standard_normal(c)).astype(np.float32),
        f"{prefix}_var": rng.uniform(0.5, 1.5, c).astype(np.float32),
    }


def _bn_node(prefix: str, x: str, y: str) -> onnx.NodeProto:
    names = [x, f"{prefix}_scale", f"{prefix}_shift", f"{prefix}_mean", f"{prefix}_var"]
    return helper.make_node("BatchNormalization", names, [y], epsilon=1e-5)


def mlp(rng: np.random.Generator, batch: int = 1, d_in: int = 20, hidden: int = 32, classes: int = 10) -> onnx.ModelProto:
    """Gemm - Relu - Gemm - Softmax."""
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1),
    ]
    inits = {"w1": _w(rng, hidden, d_in), "b1": _b(rng, hidden), "w2": _w(rng, classes, hidden), "b2": _b(rng, classes)}
    return make_model(nodes, {"x": (batch, d_in)}, ["probs"], inits)


def lenet(rng: np.random.Generator, batch: int = 1) -> onnx.ModelProto:
    """(Conv - Relu - MaxPool) x 2, Flatten, Gemm - Relu - Gemm."""
    nodes = [
        helper.make_node("Conv", ["x", "c1w", "c1b"], ["c1"], kernel_shape=[5, 5], pads=[2, 2, 2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "c2w", "c2b"], ["c2"], kernel_shape=[5, 5]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p2"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "f1w", "f1b"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["hr"]),
        helper.make_node("Gemm", ["hr", "f2w", "f2b"], ["logits"], transB=1),
    ]
    inits = {
        "c1w": _w(rng, 6, 1, 5, 5), "c1b": _b(rng, 6),
        "c2w": _w(rng, 16, 6, 5, 5), "c2b": _b(rng, 16),
        "f1w": _w(rng, 64, 16 * 5 * 5), "f1b": _b(rng, 64),
        "f2w": _w(rng, 10, 64), "f2b": _b(rng, 10),
    }
    return make_model(nodes, {"x": (batch, 1, 28, 28)}, ["logits"], inits)


def mobilenet_block(rng: np.random.Generator, batch: int = 1, c: int = 16, size: int = 32) -> onnx.ModelProto:
    """Stem Conv-BN-Relu6, depthwise Conv-BN-Relu6, pointwise Conv-BN, residual Add,
    GlobalAveragePool, Flatten, Gemm. Relu6 is Clip(0, 6) with min/max inputs (opset 11+)."""
    nodes = [
        helper.make_node("Conv", ["x", "stem_w"], ["s"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        _bn_node("bn0", "s", "s_bn"),
        helper.make_node("Clip", ["s_bn", "zero", "six"], ["s_act"]),
        helper.make_node("Conv", ["s_act", "dw_w"], ["d"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=c),
        _bn_node("bn1", "d", "d_bn"),
        helper.make_node("Clip", ["d_bn", "zero", "six"], ["d_act"]),
        helper.make_node("Conv", ["d_act", "pw_w"], ["p"], kernel_shape=[1, 1]),
        _bn_node("bn2", "p", "p_bn"),
        helper.make_node("Add", ["p_bn", "s_act"], ["res"]),
        helper.make_node("GlobalAveragePool", ["res"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], transB=1),
    ]
    inits = {
        "stem_w": _w(rng, c, 3, 3, 3),
        "dw_w": _w(rng, c, 1, 3, 3),
        "pw_w": _w(rng, c, c, 1, 1),
        "fc_w": _w(rng, 10, c),
        "fc_b": _b(rng, 10),
        "zero": np.array(0.0, dtype=np.float32),
        "six": np.array(6.0, dtype=np.float32),
        **_bn(rng, "bn0", c),
        **_bn(rng, "bn1", c),
        **_bn(rng, "bn2", c),
    }
    return make_model(nodes, {"x": (batch, 3, size, size)}, ["logits"], inits)


def two_in_two_out(rng: np.random.Generator, batch: int = 1) -> onnx.ModelProto:
    """image -> Conv-Relu-GAP-Flatten-Gemm -> 'logits'; vec -> MatMul-Tanh, times logits -> 'mixed'."""
    nodes = [
        helper.make_node("Conv", ["image", "cw", "cb"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["logits"], transB=1),
        helper.make_node("MatMul", ["vec", "mw"], ["m"]),
        helper.make_node("Tanh", ["m"], ["t"]),
        helper.make_node("Mul", ["t", "logits"], ["mixed"]),
    ]
    inits = {
        "cw": _w(rng, 8, 3, 3, 3), "cb": _b(rng, 8),
        "fw": _w(rng, 5, 8), "fb": _b(rng, 5),
        "mw": _w(rng, 10, 5),
    }
    return make_model(nodes, {"image": (batch, 3, 8, 8), "vec": (batch, 10)}, ["logits", "mixed"], inits)


def tiny(rng: np.random.Generator) -> onnx.ModelProto:
    """The smallest useful model: Gemm(4 -> 3) - Relu; small enough to flip every byte of."""
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["y"]),
    ]
    return make_model(nodes, {"x": (1, 4)}, ["y"], {"w": _w(rng, 3, 4), "b": _b(rng, 3)})


ZOO = {"mlp": mlp, "lenet": lenet, "mobilenet_block": mobilenet_block, "two_in_two_out": two_in_two_out}
