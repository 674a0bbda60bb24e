"""Tidy the transposes left after layout conversion: a transpose of a transpose reads the
first one's input with the composed perm (the layout pass writes a 4-D transpose NHWC, so a
source-order consumer would otherwise cost a second one), an identity perm disappears, one
that only moves unit dims is a Reshape (no data movement)."""

from __future__ import annotations

from ..ir import Graph
from .layout import order_preserving


def simplify_transposes(graph: Graph) -> None:
    producers = graph.producers()
    for node in graph.nodes:
        if node.op != "Transpose":
            continue
        prod = producers.get(node.inputs[0])
        if prod is not None and prod.op == "Transpose":
            first = tuple(prod.attrs["perm"])
            node.inputs[0] = prod.inputs[0]
            node.attrs["perm"] = tuple(first[p] for p in node.attrs["perm"])
        perm = tuple(node.attrs["perm"])
        if perm == tuple(range(len(perm))):
            node.op, node.attrs = "Identity", {}
        elif order_preserving(graph.tensor(node.inputs[0]).shape, perm):
            node.op, node.attrs = "Reshape", {"shape": graph.tensor(node.outputs[0]).shape}
