"""Remove nodes whose outputs nobody reads, and tensors nobody mentions."""

from __future__ import annotations

from ..ir import Graph


def remove_dead_nodes(graph: Graph) -> None:
    live = set(graph.outputs)
    kept = []
    for node in reversed(graph.nodes):
        if any(o in live for o in node.outputs):
            kept.append(node)
            live.update(i for i in node.inputs if i is not None)
    graph.nodes = kept[::-1]
    graph.remove_unused_tensors()
