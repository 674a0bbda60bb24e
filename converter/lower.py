"""IR (after the pass pipeline: NHWC, canonical attributes) → mote ops (docs/ops.md).

One small function per IR op; each returns (opcode, inputs, options type, options).
Weight layouts change here: Conv OIHW → OHWI (DEPTHWISE: [1, KH, KW, C·m]).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import lower_data, lower_math, lower_nn
from .errors import ConversionError
from .fbs.Activation import Activation
from .fbs.Padding import Padding
from .fbs.PadMode import PadMode
from .ir import Graph, Node
from .program import MOp, MTensor, Program

Lowered = tuple[str, list, str | None, dict[str, Any]]
# registers a new constant (with the quantization of the tensor it derives from, its
# per-channel axis moved to `axis` in the new layout), returns its IR name
Const = Callable[..., str]

_PADDING = {"NOTSET": Padding.EXPLICIT, "SAME_UPPER": Padding.SAME_UPPER, "SAME_LOWER": Padding.SAME_LOWER,
            "VALID": Padding.VALID}
_PAD_MODE = {"constant": PadMode.CONSTANT, "reflect": PadMode.REFLECT, "edge": PadMode.EDGE}


def _act(node: Node) -> int:
    return getattr(Activation, node.attrs.get("activation", "NONE"))


def _spatial_options(node: Node) -> dict[str, Any]:
    a = node.attrs
    t, left, b, r = a.get("pads", (0, 0, 0, 0))
    return {"stride_h": a["strides"][0], "stride_w": a["strides"][1], "dilation_h": a["dilations"][0],
                "dilation_w": a["dilations"][1], "padding": _PADDING[a.get("auto_pad", "NOTSET")],
                "pad_top": t, "pad_left": left, "pad_bottom": b, "pad_right": r, "activation": _act(node)}


def _conv(g: Graph, node: Node, const: Const) -> Lowered:
    if node.attrs.get("data_format") != "NHWC":
        raise ConversionError(f"internal: Conv left in {node.attrs.get('data_format')} at {node.where()}")
    w = g.const(node.inputs[1])
    if w is None:
        raise ConversionError(f"Conv with run-time weights is not supported at {node.where()}")
    x, b = node.inputs[0], node.inputs[2] if len(node.inputs) > 2 else None
    c = g.tensor(x).shape[3]
    o, group = w.shape[0], node.attrs.get("group", 1)
    opts = _spatial_options(node)
    if group == c and group > 1 and w.shape[1] == 1:
        wd = np.ascontiguousarray(w[:, 0].transpose(1, 2, 0)[None])  # [1, KH, KW, C*m]
        opts["depth_multiplier"] = o // c
        wname = const(wd, f"{node.inputs[1]}_dw", like=node.inputs[1], axis=3)
        return "DEPTHWISE_CONV_2D", [x, wname, b], "Conv2DOptions", opts
    wo = np.ascontiguousarray(w.transpose(0, 2, 3, 1))  # OIHW -> OHWI
    return "CONV_2D", [x, const(wo, f"{node.inputs[1]}_ohwi", like=node.inputs[1], axis=0), b], "Conv2DOptions", opts


def _pool(opcode: str):
    def lower(g: Graph, node: Node, const: Const) -> Lowered:
        if node.attrs.get("data_format") != "NHWC":
            raise ConversionError(f"internal: pool left in NCHW at {node.where()}")
        opts = _spatial_options(node)
        opts.update(filter_h=node.attrs["kernel"][0], filter_w=node.attrs["kernel"][1],
                    ceil_mode=bool(node.attrs.get("ceil_mode")),
                    count_include_pad=bool(node.attrs.get("count_include_pad")))
        return opcode, [node.inputs[0]], "Pool2DOptions", opts
    return lower


def _binary(opcode: str):
    def lower(g: Graph, node: Node, const: Const) -> Lowered:
        return opcode, list(node.inputs), "BinaryOptions", {"activation": _act(node)}
    return lower


def _unary(opcode: str):
    def lower(g: Graph, node: Node, const: Const) -> Lowered:
        return opcode, [node.inputs[0]], None, {}
    return lower


def _clip(g: Graph, node: Node, const: Const) -> Lowered:
    lo, hi = node.attrs.get("min", -np.inf), node.attrs.get("max", np.inf)
    if lo == 0.0 and hi == np.inf:
        return "RELU", [node.inputs[0]], None, {}
    if lo == 0.0 and hi == 6.0:
        return "RELU6", [node.inputs[0]], None, {}
    return "CLIP", [node.inputs[0]], "ClipOptions", {"min": float(lo), "max": float(hi)}


def _fully_connected(g: Graph, node: Node, const: Const) -> Lowered:
    if g.const(node.inputs[1]) is None:
        raise ConversionError(f"internal: FullyConnected with run-time weights at {node.where()}")
    ins = list(node.inputs) + [None] * (3 - len(node.inputs))
    return "FULLY_CONNECTED", ins, "FullyConnectedOptions", {"activation": _act(node)}


def _matmul(g: Graph, node: Node, const: Const) -> Lowered:
    a, b = node.inputs
    bc = g.const(b)
    if bc is not None and bc.ndim == 2 and not node.attrs.get("adj_a"):
        w = bc if node.attrs.get("adj_b") else np.ascontiguousarray(bc.T)
        # per-column quantization of b [K, N] (axis 1) is per output channel: axis 0 of [N, K]
        return "FULLY_CONNECTED", [a, const(w, f"{b}_fc", like=b, axis=0), None], "FullyConnectedOptions", {}
    return "BATCH_MATMUL", [a, b], "BatchMatMulOptions", {"adj_a": bool(node.attrs.get("adj_a")),
                                                          "adj_b": bool(node.attrs.get("adj_b"))}


def _reshape(g: Graph, node: Node, const: Const) -> Lowered:
    shape = list(g.tensor(node.outputs[0]).shape)
    # leading dims equal to the input's are written as 0 (copy): the batch can then change at run time
    x_shape = g.tensor(node.inputs[0]).shape
    copied = 0
    while copied < min(len(shape), len(x_shape)) and shape[copied] == x_shape[copied]:
        copied += 1
    if 0 in shape[copied:]:
        return "RESHAPE", [node.inputs[0]], "ReshapeOptions", {"new_shape": []}  # 0 would mean "copy": use the stored shape
    shape[:copied] = [0] * copied
    return "RESHAPE", [node.inputs[0]], "ReshapeOptions", {"new_shape": shape}


LOWER: dict[str, Callable[[Graph, Node, Const], Lowered]] = {
    "Add": _binary("ADD"), "Sub": _binary("SUB"), "Mul": _binary("MUL"), "Div": _binary("DIV"),
    "Relu": _unary("RELU"), "Sigmoid": _unary("LOGISTIC"), "Tanh": _unary("TANH"),
    "HardSwish": _unary("HARD_SWISH"), "Clip": _clip,
    "LeakyRelu": lambda g, n, c: ("LEAKY_RELU", [n.inputs[0]], "LeakyReluOptions", {"alpha": float(n.attrs["alpha"])}),
    "Gelu": lambda g, n, c: ("GELU", [n.inputs[0]], "GeluOptions", {"approximate": bool(n.attrs["approximate"])}),
    "Conv": _conv,
    "MaxPool": _pool("MAX_POOL_2D"), "AveragePool": _pool("AVERAGE_POOL_2D"),
    "ReduceMean": lambda g, n, c: ("MEAN", [n.inputs[0]], "ReduceOptions",
                                   {"axes": list(n.attrs["axes"]), "keep_dims": bool(n.attrs["keepdims"])}),
    "Softmax": lambda g, n, c: ("SOFTMAX", [n.inputs[0]], "SoftmaxOptions",
                                {"axis": n.attrs["axis"], "beta": float(n.attrs.get("beta", 1.0))}),
    "Reshape": _reshape,
    "Identity": _reshape,  # kept only where a graph input is also an output: a copy
    "Concat": lambda g, n, c: ("CONCATENATION", list(n.inputs), "ConcatenationOptions",
                               {"axis": n.attrs["axis"], "activation": _act(n)}),
    "Pad": lambda g, n, c: ("PAD", [n.inputs[0]], "PadOptions", {"pads": list(n.attrs["pads"]),
                            "mode": _PAD_MODE[n.attrs["mode"]], "value": float(n.attrs["value"])}),
    "Transpose": lambda g, n, c: ("TRANSPOSE", [n.inputs[0]], "TransposeOptions", {"perm": list(n.attrs["perm"])}),
    "FullyConnected": _fully_connected,
    "MatMul": _matmul,
    "Quantize": lambda g, n, c: ("QUANTIZE", [n.inputs[0]], None, {}),
    "Dequantize": lambda g, n, c: ("DEQUANTIZE", [n.inputs[0]], None, {}),
    **lower_math.LOWER,
    **lower_data.LOWER,
    **lower_nn.LOWER,
}


def lower(graph: Graph) -> Program:
    prog = Program(name=graph.name, metadata=dict(graph.metadata))
    index: dict[str, int] = {}

    def tensor_index(name: str | None) -> int:
        if name is None:
            return -1
        if name not in index:
            t = graph.tensor(name)
            data = t.data
            if data is not None and data.dtype == np.float64:
                data = data.astype(np.float32)
            index[name] = len(prog.tensors)
            prog.tensors.append(MTensor(name, np.dtype(t.dtype if data is None else data.dtype), tuple(t.shape),
                                        data, quantization=t.quant.to_dict() if t.quant is not None else None))
        return index[name]

    def const(data: np.ndarray, hint: str, like: str | None = None, axis: int = -1) -> str:
        q = graph.tensor(like).quant if like is not None else None
        if q is not None and not q.per_tensor:
            q = q.with_axis(axis)
        return graph.add_const(data, hint, quant=q)

    prog.inputs = [tensor_index(i) for i in graph.inputs]
    for node in graph.nodes:
        fn = LOWER.get(node.op)
        if fn is None:
            raise ConversionError(f"internal: no lowering for IR op '{node.op}' from {node.where()}")
        opcode, ins, opt_type, opts = fn(graph, node, const)
        prog.ops.append(MOp(opcode, [tensor_index(i) for i in ins], [tensor_index(o) for o in node.outputs],
                            opt_type, opts, node.name))
    prog.outputs = [tensor_index(o) for o in graph.outputs]
    return prog
