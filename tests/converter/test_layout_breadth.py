"""Layout decisions for the breadth ops: after a Conv (NHWC inside), each op keeps NHWC with its
axes remapped, or reads NCHW through a transpose; the IR always matches ONNX Runtime. Plus
random chains of layout-sensitive ops after a Conv."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx_builders import check_ir_vs_ort, random_inputs, typed_model
from test_layout import transposes_inside

from mote.converter import convert
from mote.converter.reader import read

R = np.random.default_rng(23)
N = helper.make_node
C, H, W = 6, 4, 5  # conv output [1, C, H, W]


def f32(*shape: int) -> np.ndarray:
    return R.standard_normal(shape).astype(np.float32)


def i64(*v: int) -> np.ndarray:
    return np.array(v, np.int64)


def _model(tail: list, inits: dict, outputs=("y",), opset: int = 18):
    nodes = [N("Conv", ["x", "cw"], ["c"], pads=[1, 1, 1, 1])] + tail
    return typed_model(nodes, {"x": ([1, 3, H, W], np.float32)}, list(outputs), {"cw": f32(C, 3, 3, 3), **inits},
                       opset=opset)


def _conv_after(src: str, cin: int) -> tuple[list, dict]:
    return [N("Conv", [src, "cw2"], ["y"])], {"cw2": f32(2, cin, 1, 1)}


def _tail(op_nodes: list, inits: dict, cin: int | None) -> tuple[list, dict]:
    """op_nodes write 't'; a 1x1 conv reads it when it stays 4-D with cin channels."""
    if cin is None:
        return [*op_nodes[:-1], _rename_out(op_nodes[-1], "y")], inits
    conv, more = _conv_after("t", cin)
    return op_nodes + conv, {**inits, **more}


def _rename_out(node, name):
    node.output[0] = name
    return node


# (id, op nodes writing 't', inits, channels of 't' if 4-D (a conv follows) else None, inner transposes)
CASES = [
    ("resize", [N("Resize", ["c", "", "s"], ["t"], mode="linear")], {"s": np.array([1, 1, 2, 1.5], np.float32)}, C, 0),
    ("conv_transpose", [N("ConvTranspose", ["c", "tw"], ["t"], strides=[2, 2])], {"tw": f32(C, 3, 3, 3)}, 3, 0),
    ("depth_to_space", [N("DepthToSpace", ["c"], ["t"], blocksize=1)], {}, C, 0),
    ("space_to_depth", [N("Pad", ["c", "p"], ["cp"]), N("SpaceToDepth", ["cp"], ["t"], blocksize=2)],
     {"p": i64(0, 0, 0, 1, 0, 0, 0, 0)}, 4 * C, 0),
    ("instance_norm", [N("InstanceNormalization", ["c", "g", "b"], ["t"])], {"g": f32(C), "b": f32(C)}, C, 0),
    ("prelu_channel_slope", [N("PRelu", ["c", "sl"], ["t"])], {"sl": f32(C, 1, 1)}, C, 0),
    ("pow_min_max", [N("Abs", ["c"], ["a"]), N("Pow", ["a", "e"], ["p"]), N("Max", ["p", "mx"], ["q"]),
                     N("Min", ["q", "mn"], ["t"])], {"e": f32(C, 1, 1), "mx": f32(W), "mn": f32(1, H, 1)}, C, 0),
    ("where_channel_mask", [N("Where", ["m", "c", "z"], ["t"])],
     {"m": (R.random((C, 1, 1)) < 0.5), "z": np.float32(0)}, C, 0),
    ("compare_cast", [N("Greater", ["c", "z"], ["g"]), N("Cast", ["g"], ["gf"], to=TensorProto.FLOAT),
                      N("Mul", ["c", "gf"], ["t"])], {"z": f32(C, 1, 1)}, C, 0),
    ("reduce_keepdims_channels", [N("ReduceMax", ["c", "ax"], ["r"]), N("Sub", ["c", "r"], ["t"])],
     {"ax": i64(1)}, C, 0),
    ("reduce_drop_channels", [N("ReduceSum", ["c", "ax"], ["y"], keepdims=0)], {"ax": i64(1)}, None, 0),
    ("reduce_drop_h_reorders", [N("ReduceL2", ["c", "ax"], ["y"], keepdims=0)], {"ax": i64(2)}, None, 1),
    ("argmax_channels", [N("ArgMax", ["c"], ["y"], axis=1, keepdims=0)], {}, None, 0),
    ("argmin_keepdims_w", [N("ArgMin", ["c"], ["a"], axis=3), N("Cast", ["a"], ["t"], to=TensorProto.FLOAT)], {},
     C, 0),
    ("split_channels", [N("Split", ["c", "sp"], ["s0", "s1"], axis=1), N("Mul", ["s0", "s1"], ["t"])],
     {"sp": i64(3, 3)}, 3, 0),
    ("slice_h_reversed", [N("Slice", ["c", "st", "en", "ax", "sp"], ["t"])],
     {"st": i64(-1), "en": i64(-100), "ax": i64(2), "sp": i64(-2)}, C, 0),
    ("tile_hw", [N("Tile", ["c", "rp"], ["t"])], {"rp": i64(1, 1, 2, 3)}, C, 0),
    ("expand_batch", [N("Expand", ["c", "sh"], ["t"])], {"sh": i64(2, 1, 1, 1)}, C, 0),
    ("gather_channels_vector", [N("Gather", ["c", "gi"], ["t"], axis=1)], {"gi": i64(5, 0, 2)}, 3, 0),
    ("gather_channel_scalar", [N("Gather", ["c", "gi"], ["y"], axis=1)], {"gi": np.int64(4)}, None, 0),
    ("gather_h_scalar_reorders", [N("Gather", ["c", "gi"], ["y"], axis=2)], {"gi": np.int64(-1)}, None, 1),
    ("topk_channels", [N("TopK", ["c", "k"], ["t", "ti"], axis=1)], {"k": i64(2)}, 2, 0),
    ("softmax_channels", [N("Softmax", ["c"], ["t"], axis=1)], {}, C, 0),
    ("layer_norm_chw", [N("LayerNormalization", ["c", "g", "b"], ["t"], axis=1)], {"g": f32(C, H, W), "b": f32(W)},
     C, 0),
    ("layer_norm_w_only_reorders", [N("LayerNormalization", ["c", "g"], ["t"], axis=-1)], {"g": f32(W)}, C, 2),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_layout_after_conv(case) -> None:
    _, op_nodes, inits, cin, inner = case
    tail, all_inits = _tail(op_nodes, inits, cin)
    outputs = ["y"] + [o for n in op_nodes for o in n.output if o == "ti"]
    m = _model(tail, all_inits, outputs)
    check_ir_vs_ort(m, random_inputs(m, R))
    assert len(transposes_inside(convert(m))) == inner


def test_layer_norm_after_conv_permutes_scale() -> None:
    g = f32(C, H, W)
    m = _model([N("LayerNormalization", ["c", "g"], ["y"], axis=1)], {"g": g})
    s = read(convert(m))
    ln = next(op for op in s["ops"] if op["opcode"] == "LAYER_NORM")
    assert ln["options"]["axis"] == 1
    assert s["tensors"][ln["inputs"][1]]["shape"] == [H, W, C]  # the scale follows the NHWC storage


def test_every_ir_op_has_a_layout_class() -> None:
    """A new IR op must be classified on purpose: NHWC-native, elementwise, a reduction, axis
    rewriting (a _Op method), or explicitly source-only."""
    from mote.converter.passes import layout as lay
    from mote.converter.passes.shapes import SHAPE_FNS

    methods = {name[1:] for name in dir(lay._Layout) if name.startswith("_") and name[1:2].isupper()}
    classes = [lay.SPATIAL, lay.UNARY, lay.BINARY, lay.REDUCE, methods, lay.SOURCE_ONLY]
    for op in SHAPE_FNS:
        homes = sum(op in c for c in classes)
        assert homes == 1, f"IR op {op} is in {homes} layout classes"


def test_spatial_ops_imported_channels_last_are_left_alone() -> None:
    """A TFLite graph is NHWC in its source layout: its spatial nodes come with data_format
    'NHWC' and the layout pass adds nothing around them."""
    from mote.converter.ir import Graph, Node
    from mote.converter.passes import run_pipeline

    g = Graph()
    g.add_tensor("x", shape=(1, 6, 5, 3))
    g.inputs.append("x")
    g.add_const(f32(4, 3, 3, 3), "w")
    conv = Node("Conv", ["x", "w"], ["c"], {"strides": (1, 1), "dilations": (1, 1), "pads": (1, 1, 1, 1),
                                           "auto_pad": "NOTSET", "group": 1, "activation": "NONE",
                                           "data_format": "NHWC"})
    up = Node("Resize", ["c"], ["y"], {"size": (12, 10), "mode": "nearest", "coordinate_transform": "asymmetric",
                                       "nearest_mode": "floor", "cubic_coeff_a": -0.75, "exclude_outside": False,
                                       "extrapolation_value": 0.0, "scale_h": 0.0, "scale_w": 0.0,
                                       "data_format": "NHWC"})
    g.nodes += [conv, up]
    g.outputs.append("y")
    run_pipeline(g)
    assert [n.op for n in g.nodes] == ["Conv", "Resize"]
    assert g.tensor("y").shape == (1, 12, 10, 4) and g.tensor("y").layout is None
