"""Per-op output shapes for the canonical IR op set.

Each function takes the input shapes (None for an absent optional input) and the node's
attributes and returns the output shapes. Conv and pools read ``data_format``; every other
axis-carrying attribute is already expressed in stored axes.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import ConversionError
from ..ir import Graph, Node
from . import shapes_data, shapes_nn
from .spatial import spatial_out

Shape = tuple[int, ...]
ShapeFn = Callable[[list, dict], list[Shape]]


def _same(ins: list, attrs: dict) -> list[Shape]:
    return [ins[0]]


def _broadcast(ins: list, attrs: dict) -> list[Shape]:
    return [tuple(np.broadcast_shapes(*[s for s in ins if s is not None]))]


def _nchw_split(shape: Shape, fmt: str) -> tuple[int, int, int, int]:
    if len(shape) != 4:
        raise ConversionError(f"expected a 4-D input, got shape {shape}")
    if fmt == "NHWC":
        n, h, w, c = shape
    else:
        n, c, h, w = shape
    return n, c, h, w


def _nchw_join(n: int, c: int, h: int, w: int, fmt: str) -> Shape:
    return (n, h, w, c) if fmt == "NHWC" else (n, c, h, w)


def _conv(ins: list, attrs: dict) -> list[Shape]:
    fmt = attrs.get("data_format", "NCHW")
    n, c, h, w = _nchw_split(ins[0], fmt)
    o, ci, kh, kw = ins[1]
    if ci * attrs.get("group", 1) != c:
        raise ConversionError(f"Conv weights {ins[1]} do not match {c} input channels, group {attrs.get('group', 1)}")
    oh, ow = spatial_out((h, w), attrs, (kh, kw))
    return [_nchw_join(n, o, oh, ow, fmt)]


def _pool(ins: list, attrs: dict) -> list[Shape]:
    fmt = attrs.get("data_format", "NCHW")
    n, c, h, w = _nchw_split(ins[0], fmt)
    oh, ow = spatial_out((h, w), attrs, tuple(attrs["kernel"]))
    return [_nchw_join(n, c, oh, ow, fmt)]


def _axes(axes, rank: int) -> list[int]:
    out = sorted({a + rank if a < 0 else a for a in axes})
    if any(a < 0 or a >= rank for a in out):
        raise ConversionError(f"axes {tuple(axes)} out of range for rank {rank}")
    return out


def _reduce(ins: list, attrs: dict) -> list[Shape]:
    shape = ins[0]
    axes = _axes(attrs["axes"], len(shape))
    if attrs.get("keepdims", True):
        return [tuple(1 if i in axes else d for i, d in enumerate(shape))]
    return [tuple(d for i, d in enumerate(shape) if i not in axes)]


def _reshape(ins: list, attrs: dict) -> list[Shape]:
    shape = tuple(int(d) for d in attrs["shape"])
    if int(np.prod(shape)) != int(np.prod(ins[0])):
        raise ConversionError(f"cannot reshape {ins[0]} to {shape}")
    return [shape]


def _concat(ins: list, attrs: dict) -> list[Shape]:
    rank = len(ins[0])
    axis = attrs["axis"] + rank if attrs["axis"] < 0 else attrs["axis"]
    out = list(ins[0])
    for s in ins[1:]:
        if len(s) != rank or any(a != b for i, (a, b) in enumerate(zip(s, ins[0])) if i != axis):
            raise ConversionError(f"Concat inputs {ins} disagree outside axis {axis}")
        out[axis] += s[axis]
    return [tuple(out)]


def _pad(ins: list, attrs: dict) -> list[Shape]:
    r = len(ins[0])
    p = attrs["pads"]
    return [tuple(d + p[i] + p[i + r] for i, d in enumerate(ins[0]))]


def _transpose(ins: list, attrs: dict) -> list[Shape]:
    return [tuple(ins[0][p] for p in attrs["perm"])]


def _matmul(ins: list, attrs: dict) -> list[Shape]:
    a, b = list(ins[0]), list(ins[1])
    if len(a) < 2 or len(b) < 2:
        raise ConversionError(f"MatMul needs rank >= 2 operands, got {tuple(a)} and {tuple(b)}")
    if attrs.get("adj_a"):
        a[-1], a[-2] = a[-2], a[-1]
    if attrs.get("adj_b"):
        b[-1], b[-2] = b[-2], b[-1]
    if a[-1] != b[-2]:
        raise ConversionError(f"MatMul inner dims differ: {tuple(a)} x {tuple(b)}")
    batch = np.broadcast_shapes(tuple(a[:-2]), tuple(b[:-2]))
    return [tuple(batch) + (a[-2], b[-1])]


def _fully_connected(ins: list, attrs: dict) -> list[Shape]:
    x, w = ins[0], ins[1]
    if x[-1] != w[1]:
        raise ConversionError(f"FullyConnected input {x} does not match weights {w}")
    return [tuple(x[:-1]) + (w[0],)]


UNARY_OPS = ("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSwish", "Gelu", "Identity",
             "Exp", "Log", "Sqrt", "Rsqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Erf",
             "Softplus", "Swish", "Mish", "HardSigmoid", "Sin", "Cos", "Not", "Cast")
REDUCE_OPS = ("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2")

SHAPE_FNS: dict[str, ShapeFn] = {
    **{op: _broadcast for op in ("Add", "Sub", "Mul", "Div")},
    **{op: _same for op in UNARY_OPS + ("Softmax", "BatchNormalization")},
    "Conv": _conv,
    "MaxPool": _pool,
    "AveragePool": _pool,
    **{op: _reduce for op in REDUCE_OPS},
    "Reshape": _reshape,
    "Concat": _concat,
    "Pad": _pad,
    "Transpose": _transpose,
    "MatMul": _matmul,
    "FullyConnected": _fully_connected,
    "Quantize": _same,
    "Dequantize": _same,
    **shapes_data.SHAPE_FNS,
    **shapes_nn.SHAPE_FNS,
}


def infer_node(graph: Graph, node: Node, check: bool = False) -> None:
    """Set (or with `check`, verify) the shapes and dtypes of a node's outputs."""
    fn = SHAPE_FNS.get(node.op)
    if fn is None:
        raise ConversionError(f"internal: no shape function for IR op '{node.op}' from {node.where()}")
    ins = [None if i is None else graph.tensor(i).shape for i in node.inputs]
    if any(s is None for i, s in zip(node.inputs, ins) if i is not None):
        raise ConversionError(f"unknown input shape for {node.where()}")
    try:
        shapes = fn(ins, node.attrs)
    except ConversionError as e:
        raise ConversionError(f"{e} at {node.where()}") from None
    in_dtypes = [None if i is None else graph.tensor(i).dtype for i in node.inputs]
    dtype_fn = shapes_data.DTYPE_FNS.get(node.op)
    dtypes = dtype_fn(in_dtypes, node.attrs) if dtype_fn else [in_dtypes[0]] * len(shapes)
    if len(shapes) != len(node.outputs):
        raise ConversionError(f"internal: {node.op} gives {len(shapes)} outputs, node has {len(node.outputs)}")
    for name, shape, dtype in zip(node.outputs, shapes, dtypes):
        t = graph.tensors.get(name) or graph.add_tensor(name)
        if check and t.shape is not None and tuple(t.shape) != tuple(shape):
            raise ConversionError(f"internal: shape of '{name}' is {t.shape}, inference says {shape} at {node.where()}")
        t.shape = tuple(int(d) for d in shape)
        if not t.is_const:
            t.dtype = np.dtype(dtype)
