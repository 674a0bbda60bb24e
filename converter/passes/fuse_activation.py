"""Relu / Relu6 (Clip(0, 6)) after an op with a fused-activation slot becomes that slot,
when the intermediate has one consumer and is not a graph output."""

from __future__ import annotations

from ..ir import Graph, Node
from .util import sole_consumer, splice_out

FUSIBLE = {"Conv", "FullyConnected", "Add", "Sub", "Mul", "Div", "Concat", "MaxPool", "AveragePool"}


def activation_of(node: Node) -> str | None:
    if node.op == "Relu":
        return "RELU"
    if node.op == "Clip" and node.attrs.get("min") == 0.0:
        mx = node.attrs.get("max")
        return "RELU6" if mx == 6.0 else "RELU" if mx == float("inf") else None
    return None


def fuse_activation(graph: Graph) -> None:
    consumers = graph.consumers()
    for prod in list(graph.nodes):
        if prod.op not in FUSIBLE or prod.attrs.get("activation", "NONE") != "NONE":
            continue
        if graph.tensor(prod.outputs[0]).dtype.kind != "f":
            continue
        act = sole_consumer(graph, prod.outputs[0], consumers)
        kind = None if act is None else activation_of(act)
        if kind is None:
            continue
        prod.attrs["activation"] = kind
        splice_out(graph, prod, act)
        graph.note("fused_activations", f"{act.name} into {prod.name}")
        consumers = graph.consumers()
