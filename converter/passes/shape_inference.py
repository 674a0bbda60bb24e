"""Run the per-op shape functions over the graph (or check stored shapes against them)."""

from __future__ import annotations

from ..ir import Graph
from .shapes import infer_node


def infer_shapes(graph: Graph, check: bool = False) -> None:
    for node in graph.nodes:
        infer_node(graph, node, check=check)
