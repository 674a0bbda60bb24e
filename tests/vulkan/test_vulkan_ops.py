"""One table of op cases, each run on the Vulkan delegate and on the CPU (libmote's own kernels,
themselves checked against ONNX Runtime elsewhere) and compared; every op of each case must
actually run on the delegate. Like ggml's test-backend-ops: the CPU is the oracle."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from helpers import make_model
from onnx import helper
from vk_compare import FP32_REL, PRECISIONS, worst_error

import mote


@dataclass
class Case:
    name: str
    nodes: list[onnx.NodeProto]
    inputs: dict[str, tuple[int, ...]]
    inits: dict[str, np.ndarray] = field(default_factory=dict)
    opset: int = 17
    positive: bool = False  # inputs in (0.1, 3): log, sqrt, pow bases
    tol: float = FP32_REL  # for fp32; fp16 storage: PRECISIONS["fp16"]


def _w(*shape: int) -> np.ndarray:
    rng = np.random.default_rng(sum(shape) * 7919 + len(shape))
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    return (rng.standard_normal(shape) / np.sqrt(max(fan_in, 1))).astype(np.float32)


def conv(name: str, shape: tuple[int, ...], out_c: int, k: tuple[int, int], bias: bool = True,
         act: str | None = None, **attrs: Any) -> Case:
    group = attrs.get("group", 1)
    inits = {"w": _w(out_c, shape[1] // group, *k)}
    ins = ["x", "w"]
    if bias:
        inits["b"] = _w(out_c)
        ins.append("b")
    nodes = [helper.make_node("Conv", ins, ["c" if act else "y"], kernel_shape=list(k), **attrs)]
    if act == "Relu":
        nodes.append(helper.make_node("Relu", ["c"], ["y"]))
    elif act == "Relu6":
        inits.update(lo=np.float32(0), hi=np.float32(6))
        nodes.append(helper.make_node("Clip", ["c", "lo", "hi"], ["y"]))
    return Case(name, nodes, {"x": shape}, inits)


def unary(op: str, opset: int = 17, positive: bool = False, **attrs: Any) -> Case:
    return Case(f"unary_{op.lower()}", [helper.make_node(op, ["x"], ["y"], **attrs)], {"x": (2, 3, 17, 5)},
                opset=opset, positive=positive)


def binary(op: str, a: tuple[int, ...], b: tuple[int, ...], positive: bool = False, const_b: bool = False) -> Case:
    inits = {"b": _w(*b) + (2.0 if positive else 0.0)} if const_b else {}
    ins = {"a": a} if const_b else {"a": a, "b": b}
    tag = "x".join(map(str, b))
    return Case(f"{op.lower()}_{tag}{'_const' if const_b else ''}", [helper.make_node(op, ["a", "b"], ["y"])], ins,
                inits, positive=positive)


def pool(name: str, op: str, shape: tuple[int, ...], **attrs: Any) -> Case:
    return Case(name, [helper.make_node(op, ["x"], ["y"], **attrs)], {"x": shape})


def resize(name: str, shape: tuple[int, ...], sizes: tuple[int, ...], **attrs: Any) -> Case:
    inits = {"roi": np.zeros(0, np.float32), "scales": np.zeros(0, np.float32),
             "sizes": np.array(sizes, np.int64)}
    return Case(name, [helper.make_node("Resize", ["x", "roi", "scales", "sizes"], ["y"], **attrs)], {"x": shape},
                inits)


CASES: list[Case] = [
    # convolutions (NCHW sources; mote runs NHWC)
    conv("conv_k3_pad1", (1, 3, 9, 9), 8, (3, 3), pads=[1, 1, 1, 1]),
    conv("conv_k3_s2_asym", (1, 5, 11, 12), 6, (3, 3), strides=[2, 2], pads=[1, 2, 2, 0]),
    conv("conv_k1", (1, 16, 7, 7), 24, (1, 1)),
    conv("conv_k1_s2_nobias", (2, 8, 7, 7), 5, (1, 1), bias=False, strides=[2, 2]),
    conv("conv_k5_dil2", (1, 4, 13, 13), 4, (5, 5), dilations=[2, 2], pads=[4, 4, 4, 4]),
    conv("conv_groups2", (1, 8, 7, 7), 6, (3, 3), group=2, pads=[1, 1, 1, 1]),
    conv("conv_relu", (1, 3, 8, 8), 7, (3, 3), act="Relu", pads=[1, 1, 1, 1]),
    conv("conv_relu6", (1, 3, 8, 8), 7, (3, 3), act="Relu6", strides=[2, 2]),
    conv("conv_same_upper", (1, 3, 9, 10), 4, (4, 4), auto_pad="SAME_UPPER"),
    conv("dw_k3", (1, 8, 9, 9), 8, (3, 3), group=8, pads=[1, 1, 1, 1]),
    conv("dw_k3_s2_relu6", (1, 16, 10, 10), 16, (3, 3), act="Relu6", group=16, strides=[2, 2], pads=[1, 1, 1, 1]),
    conv("dw_k5_asym", (1, 3, 9, 8), 3, (5, 5), group=3, pads=[2, 1, 2, 3]),
    conv("dw_mult2", (2, 3, 9, 9), 6, (3, 3), group=3, strides=[2, 2], pads=[1, 1, 1, 1]),
    # fully connected, matmul
    Case("gemm_bias", [helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1)], {"x": (3, 40)},
         {"w": _w(17, 40), "b": _w(17)}),
    Case("gemm_relu", [helper.make_node("Gemm", ["x", "w"], ["h"], transB=1), helper.make_node("Relu", ["h"], ["y"])],
         {"x": (1, 64)}, {"w": _w(10, 64)}),
    Case("matmul_const_3d", [helper.make_node("MatMul", ["x", "w"], ["y"])], {"x": (2, 5, 12)}, {"w": _w(12, 9)}),
    Case("matmul_batched", [helper.make_node("MatMul", ["a", "b"], ["y"])], {"a": (2, 3, 4, 6), "b": (2, 3, 6, 5)}),
    Case("matmul_broadcast", [helper.make_node("MatMul", ["a", "b"], ["y"])], {"a": (2, 3, 4, 6), "b": (1, 6, 7)}),
    # pools and reductions
    pool("maxpool_k3_s2_pad1", "MaxPool", (1, 6, 11, 11), kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    pool("maxpool_k2_ceil", "MaxPool", (1, 3, 9, 9), kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
    pool("avgpool_pad_excl", "AveragePool", (1, 4, 8, 8), kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    pool("avgpool_pad_incl", "AveragePool", (1, 4, 8, 8), kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
         count_include_pad=1),
    pool("global_avgpool", "GlobalAveragePool", (2, 12, 7, 7)),
    Case("reduce_mean_hw", [helper.make_node("ReduceMean", ["x"], ["y"], axes=[2, 3], keepdims=1)],
         {"x": (1, 5, 6, 7)}),
    Case("reduce_mean_last", [helper.make_node("ReduceMean", ["x"], ["y"], axes=[-1], keepdims=0)],
         {"x": (3, 4, 50)}),
    Case("softmax_last", [helper.make_node("Softmax", ["x"], ["y"], axis=-1)], {"x": (4, 33)}),
    Case("softmax_axis1", [helper.make_node("Softmax", ["x"], ["y"], axis=1)], {"x": (2, 7, 5)}),
    # elementwise
    binary("Add", (2, 3, 4, 5), (2, 3, 4, 5)),
    binary("Add", (2, 3, 4, 5), (3, 1, 1)),
    binary("Sub", (2, 3, 4, 5), (5,)),
    binary("Mul", (1, 8, 4, 4), (1, 8, 1, 1), const_b=True),
    binary("Div", (2, 3, 4), (4,), positive=True, const_b=True),
    binary("Pow", (2, 3, 4), (2, 3, 4), positive=True),
    binary("Min", (2, 3, 4), (3, 1)),
    binary("Max", (2, 3, 4), (4,)),
    Case("prelu_channel", [helper.make_node("PRelu", ["x", "slope"], ["y"])], {"x": (1, 6, 5, 5)},
         {"slope": _w(6, 1, 1)}),
    Case("add_relu_fused", [helper.make_node("Add", ["a", "b"], ["s"]), helper.make_node("Relu", ["s"], ["y"])],
         {"a": (1, 4, 6, 6), "b": (1, 4, 6, 6)}),
    unary("Relu"), unary("Sigmoid"), unary("Tanh"), unary("HardSwish", opset=14),
    unary("LeakyRelu", alpha=0.2), unary("Softplus"),
    unary("Gelu", opset=20), unary("Gelu", opset=20, approximate="tanh"),
    unary("Exp"), unary("Log", positive=True), unary("Sqrt", positive=True), unary("Reciprocal", positive=True),
    unary("Abs"), unary("Neg"), unary("Floor"), unary("Ceil"), unary("Round"), unary("Erf"), unary("Mish", opset=18),
    unary("HardSigmoid", alpha=0.3, beta=0.4), unary("Sin"), unary("Cos"),
    Case("clip_range", [helper.make_node("Clip", ["x", "lo", "hi"], ["y"])], {"x": (3, 40)},
         {"lo": np.float32(-0.5), "hi": np.float32(0.75)}),
    Case("relu6", [helper.make_node("Clip", ["x", "lo", "hi"], ["y"])], {"x": (3, 40)},
         {"lo": np.float32(0), "hi": np.float32(6)}),
    Case("rsqrt", [helper.make_node("Sqrt", ["x"], ["s"]), helper.make_node("Reciprocal", ["s"], ["y"])],
         {"x": (3, 40)}, positive=True),
    Case("swish", [helper.make_node("Sigmoid", ["x"], ["s"]), helper.make_node("Mul", ["x", "s"], ["y"])],
         {"x": (2, 30)}),
    # data movement
    Case("concat_channels", [helper.make_node("Concat", ["a", "b", "c"], ["y"], axis=1)],
         {"a": (1, 3, 5, 5), "b": (1, 7, 5, 5), "c": (1, 1, 5, 5)}),
    Case("concat_last", [helper.make_node("Concat", ["a", "b"], ["y"], axis=-1)], {"a": (2, 3, 4), "b": (2, 3, 9)}),
    Case("flatten", [helper.make_node("Flatten", ["x"], ["y"], axis=1)], {"x": (2, 3, 4, 5)}),
    Case("reshape", [helper.make_node("Reshape", ["x", "s"], ["y"])], {"x": (2, 12, 5)},
         {"s": np.array([4, 6, 5], np.int64)}),
    Case("transpose_4d", [helper.make_node("Transpose", ["x"], ["y"], perm=[0, 2, 3, 1])], {"x": (2, 3, 4, 5)}),
    Case("transpose_3d", [helper.make_node("Transpose", ["x"], ["y"], perm=[2, 0, 1])], {"x": (3, 4, 5)}),
    Case("pad_constant", [helper.make_node("Pad", ["x", "p", "v"], ["y"], mode="constant")], {"x": (1, 3, 5, 5)},
         {"p": np.array([0, 0, 1, 2, 0, 1, 2, 0], np.int64), "v": np.float32(0.5)}),
    Case("pad_reflect", [helper.make_node("Pad", ["x", "p"], ["y"], mode="reflect")], {"x": (1, 2, 6, 6)},
         {"p": np.array([0, 0, 2, 1, 0, 0, 1, 2], np.int64)}),
    Case("pad_edge", [helper.make_node("Pad", ["x", "p"], ["y"], mode="edge")], {"x": (2, 7)},
         {"p": np.array([1, 3, 0, 2], np.int64)}),
    resize("resize_nearest_up", (1, 3, 5, 7), (1, 3, 10, 14), mode="nearest"),
    resize("resize_nearest_odd", (1, 2, 8, 8), (1, 2, 15, 30), mode="nearest", coordinate_transformation_mode="asymmetric",
           nearest_mode="floor"),
    resize("resize_linear_half_pixel", (1, 3, 6, 5), (1, 3, 13, 11), mode="linear"),
    resize("resize_linear_align", (1, 4, 8, 8), (1, 4, 15, 15), mode="linear",
           coordinate_transformation_mode="align_corners"),
    resize("resize_linear_down", (1, 2, 12, 10), (1, 2, 5, 4), mode="linear"),
    resize("resize_cubic", (1, 2, 6, 6), (1, 2, 11, 13), mode="cubic"),
]


@pytest.mark.parametrize("precision", list(PRECISIONS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_op_on_vulkan_matches_cpu(case: Case, precision: str, vulkan_device: str, rng: np.random.Generator) -> None:
    model = make_model(case.nodes, case.inputs, ["y"], case.inits, opset=case.opset)
    data = bytes(mote.convert(model))
    feeds = {}
    for name, shape in case.inputs.items():
        x = rng.uniform(0.1, 3.0, shape) if case.positive else rng.standard_normal(shape) * 2.0
        # fp16 storage rounds the inputs first: give it representable ones, so that what is
        # measured is the op (floor of 2.9999 would otherwise become floor of 3.0)
        feeds[name] = (x.astype(np.float16) if precision == "fp16" else x).astype(np.float32)
    err, gpu = worst_error(data, feeds, precision)
    placement = gpu.node_placement()
    assert all(placement), f"ops left on the CPU: {gpu.delegate_report}"
    assert gpu.delegate_report.startswith("vulkan"), gpu.delegate_report
    tol = case.tol if precision == "fp32" else PRECISIONS[precision][1]
    assert err <= tol, f"{case.name} ({precision}): relative error {err:.3g} > {tol:g} on {vulkan_device}"


def test_case_table_covers_every_delegated_op() -> None:
    """Every opcode the delegate's encoders name (runtime_c/src/delegate/vulkan/vk_ops_*.c) appears
    in the table: a new GPU op must bring its cases."""
    from mote.converter import reader

    sources = Path(__file__).resolve().parents[2] / "runtime_c" / "src" / "delegate" / "vulkan"
    claimed = set()
    for f in sources.glob("vk_ops_*.c"):
        claimed |= set(re.findall(r"case MOTE_OP_(\w+):", f.read_text()))
    assert len(claimed) > 30, claimed
    seen: set[str] = set()
    for case in CASES:
        data = bytes(mote.convert(make_model(case.nodes, case.inputs, ["y"], case.inits, opset=case.opset)))
        seen |= {op["opcode"] for op in reader.read(data)["ops"]}
    assert claimed - seen == set(), f"delegated ops without a case: {sorted(claimed - seen)}"
