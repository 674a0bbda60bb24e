"""What the converter emits for the zoo models: the layout decisions of DESIGN.md, seen in the file."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, convert, make_model, random_feeds
from model_zoo import ZOO
from onnx import helper

from mote.converter.fbs.Model import Model
from mote.converter.fbs.OpCode import OpCode

OP_NAMES = {v: k for k, v in vars(OpCode).items() if not k.startswith("_")}


def opcodes(data: bytes) -> list[str]:
    sg = Model.GetRootAs(data, 0).Subgraphs(0)
    return [OP_NAMES.get(sg.Operators(i).Opcode(), "?") for i in range(sg.OperatorsLength())]


@pytest.mark.parametrize("name", sorted(ZOO))
def test_transposes_only_at_the_model_boundary(rng, name):
    """NCHW -> NHWC happens once per 4-D model input / output, never between ops (DESIGN.md 2)."""
    model = ZOO[name](rng)
    boundary = sum(len(vi.type.tensor_type.shape.dim) == 4 for vi in [*model.graph.input, *model.graph.output])
    ops = opcodes(convert(model))
    assert ops.count("TRANSPOSE") <= boundary, ops


def test_conv_bn_relu_is_one_op(rng):
    """Conv -> BatchNormalization -> Relu: BN folded into the weights, Relu fused as the activation."""
    c = 8
    inits = {
        "w": rng.standard_normal((c, 4, 3, 3)).astype(np.float32),
        "scale": rng.uniform(0.5, 1.5, c).astype(np.float32),
        "shift": rng.standard_normal(c).astype(np.float32),
        "mean": rng.standard_normal(c).astype(np.float32),
        "var": rng.uniform(0.5, 1.5, c).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["b"]),
        helper.make_node("Relu", ["b"], ["y"]),
    ]
    model = make_model(nodes, {"x": (1, 4, 6, 6)}, ["y"], inits)
    ops = [op for op in opcodes(convert(model)) if op not in ("TRANSPOSE", "RESHAPE")]
    assert ops == ["CONV_2D"], ops
    assert_close_to_ort(model, random_feeds(model, rng))
