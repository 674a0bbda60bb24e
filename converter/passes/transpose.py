"""Tidy the transposes left after layout conversion: an identity perm disappears, one that
only moves unit dims is a Reshape (no data movement)."""

from __future__ import annotations

from ..ir import Graph
from .layout import order_preserving


def simplify_transposes(graph: Graph) -> None:
    for node in graph.nodes:
        if node.op != "Transpose":
            continue
        perm = tuple(node.attrs["perm"])
        if perm == tuple(range(len(perm))):
            node.op, node.attrs = "Identity", {}
        elif order_preserving(graph.tensor(node.inputs[0]).shape, perm):
            node.op, node.attrs = "Reshape", {"shape": graph.tensor(node.outputs[0]).shape}
