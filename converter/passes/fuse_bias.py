"""Add of a per-channel constant after Conv / FullyConnected becomes the op's bias
(MatMul + Add from exporters, Conv without bias followed by Add)."""

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
        return np.broadcast_to(c.reshape(-1), (n,)).copy() if c.size in (1, n) else None
    return None


def fuse_bias(graph: Graph) -> None:
    producers, consumers = graph.producers(), graph.consumers()
    for add in [n for n in graph.nodes if n.op == "Add" and n.attrs.get("activation", "NONE") == "NONE"]:
        a, b = add.inputs
        if graph.tensor(a).is_const:
            a, b = b, a
        c, prod = graph.const(b), producers.get(a)
        if c is None or prod is None or prod.op not in ("Conv", "FullyConnected"):
            continue
        if prod.attrs.get("activation", "NONE") != "NONE" or sole_consumer(graph, a, consumers) is not add:
            continue
        out_shape = graph.tensor(a).shape
        if graph.tensor(add.outputs[0]).shape != out_shape:
            continue  # the add broadcasts the result up: not a bias
        axis = -1 if prod.op == "FullyConnected" else (1 if prod.attrs.get("data_format") == "NCHW" else 3)
        vec = _channel_vector(c, out_shape, axis)
        if vec is None:
            continue
        _set_bias(graph, prod, vec)
        splice_out(graph, prod, add)
    graph.remove_unused_tensors()


def _set_bias(graph: Graph, prod: Node, vec: np.ndarray) -> None:
    old = graph.const(prod.inputs[2]) if len(prod.inputs) > 2 and prod.inputs[2] is not None else 0
    dtype = graph.tensor(prod.inputs[1]).dtype
    bias = graph.add_const((old + vec).astype(dtype), f"{prod.name}_bias")
    prod.inputs = prod.inputs[:2] + [bias]
