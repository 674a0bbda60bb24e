"""Evaluate nodes whose inputs are all constant (numpy, evaluate.py) and drop them."""

from __future__ import annotations

from ..ir import Graph


def fold_constants(graph: Graph) -> None:
    from ..evaluate import eval_node  # (evaluate imports passes.spatial: import late, no cycle)

    kept = []
    for node in graph.nodes:
        ins = [i for i in node.inputs if i is not None]
        if ins and all(graph.tensor(i).is_const for i in ins) and not set(node.outputs) & set(graph.outputs):
            values = eval_node(node, [graph.const(i) for i in node.inputs])
            for name, v in zip(node.outputs, values):
                graph.tensor(name).set_data(v)
            graph.note("constants_folded", f"{node.op} {node.name}")
        else:
            kept.append(node)
    graph.nodes = kept
    graph.remove_unused_tensors()
