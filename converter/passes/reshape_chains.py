"""Reshape chains collapse: a Reshape of a Reshape reads the first one's input (the middle one
goes when nobody else reads it), and a Reshape to the shape it already has is an Identity."""

from __future__ import annotations

from ..ir import Graph


def collapse_reshapes(graph: Graph) -> None:
    producers = graph.producers()
    for node in graph.nodes:
        if node.op != "Reshape":
            continue
        prod = producers.get(node.inputs[0])
        if prod is not None and prod.op == "Reshape":
            node.inputs[0] = prod.inputs[0]
        if graph.tensor(node.inputs[0]).shape == graph.tensor(node.outputs[0]).shape:
            node.op, node.attrs = "Identity", {}
