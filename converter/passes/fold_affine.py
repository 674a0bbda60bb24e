"""A per-channel (or scalar) constant Add / Sub / Mul right after Conv or FullyConnected
folds into its weights and bias: MatMul + Add from exporters, Conv without bias followed by
Add. A HardSigmoid right after one folds its alpha·x + beta the same way and becomes a
Clip(0, 1) (MobileNetV3 squeeze-excite)."""

from __future__ import annotations

import numpy as np

from ..ir import Graph, Node
from .util import sole_consumer, splice_out


def _channel_vector(c: np.ndarray, out_shape: tuple[int, ...], axis: int) -> np.ndarray | None:
    """`c` as a vector along `axis` of out_shape, if that is all it broadcasts over."""
    n = out_shape[axis]
    if c.ndim > len(out_shape):
        return None
    full = (1,) * (len(out_shape) - c.ndim) + c.shape
    if all(d == 1 for i, d in enumerate(full) if i != axis % len(out_shape)) and full[axis] in (1, n):
        return np.broadcast_to(c.reshape(-1), (n,)).astype(np.float64) if c.size in (1, n) else None
    return None


def _channel_axis(prod: Node) -> int:
    if prod.op == "FullyConnected":
        return -1
    return 1 if prod.attrs.get("data_format") == "NCHW" else 3


def fold_affine(graph: Graph) -> None:
    producers, consumers = graph.producers(), graph.consumers()
    for node in list(graph.nodes):
        if node.op == "HardSigmoid":
            if _fold_hard_sigmoid(graph, node, producers, consumers):
                producers, consumers = graph.producers(), graph.consumers()
            continue
        if node.op not in ("Add", "Sub", "Mul") or node.attrs.get("activation", "NONE") != "NONE":
            continue
        a, b = node.inputs
        if graph.tensor(a).is_const and node.op != "Sub":
            a, b = b, a
        c, prod = graph.const(b), producers.get(a)
        if c is None or prod is None or prod.op not in ("Conv", "FullyConnected"):
            continue
        if prod.attrs.get("activation", "NONE") != "NONE" or sole_consumer(graph, a, consumers) is not node:
            continue
        if graph.const(prod.inputs[1]) is None or graph.tensor(node.outputs[0]).shape != graph.tensor(a).shape:
            continue  # run-time weights, or the op broadcasts the result up
        vec = _channel_vector(c, graph.tensor(a).shape, _channel_axis(prod))
        if vec is None:
            continue
        if node.op == "Mul":
            _scale(graph, prod, vec)
        else:
            _shift(graph, prod, -vec if node.op == "Sub" else vec)
        splice_out(graph, prod, node)
        graph.note("folded_affine", f"{node.name} into {prod.name}")
        producers, consumers = graph.producers(), graph.consumers()
    graph.remove_unused_tensors()


def _fold_hard_sigmoid(graph: Graph, node: Node, producers: dict, consumers: dict) -> bool:
    x = node.inputs[0]
    prod = producers.get(x)
    if prod is None or prod.op not in ("Conv", "FullyConnected") or prod.attrs.get("activation", "NONE") != "NONE":
        return False
    if sole_consumer(graph, x, consumers) is not node or graph.const(prod.inputs[1]) is None:
        return False
    n = graph.const(prod.inputs[1]).shape[0]
    _scale(graph, prod, np.full(n, node.attrs["alpha"], np.float64))
    _shift(graph, prod, np.full(n, node.attrs["beta"], np.float64))
    node.op, node.attrs = "Clip", {"min": 0.0, "max": 1.0}
    graph.note("folded_affine", f"{node.name} (HardSigmoid scale) into {prod.name}")
    return True


def _bias(graph: Graph, prod: Node) -> np.ndarray:
    b = prod.inputs[2] if len(prod.inputs) > 2 else None
    return np.zeros(graph.const(prod.inputs[1]).shape[0]) if b is None else graph.const(b).astype(np.float64)


def _shift(graph: Graph, prod: Node, vec: np.ndarray) -> None:
    dtype = graph.tensor(prod.inputs[1]).dtype
    bias = graph.add_const((_bias(graph, prod) + vec).astype(dtype), f"{prod.name}_bias")
    prod.inputs = prod.inputs[:2] + [bias]


def _scale(graph: Graph, prod: Node, vec: np.ndarray) -> None:
    w = graph.const(prod.inputs[1])
    scaled = (w.astype(np.float64) * vec.reshape((-1,) + (1,) * (w.ndim - 1))).astype(w.dtype)
    bias = (_bias(graph, prod) * vec).astype(w.dtype)
    prod.inputs = [prod.inputs[0], graph.add_const(scaled, f"{prod.name}_weights"),
                   graph.add_const(bias, f"{prod.name}_bias")]
