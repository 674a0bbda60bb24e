"""Drop Identity nodes (Dropout imports as Identity): uses read the input directly."""

from __future__ import annotations

from ..ir import Graph


def remove_identity(graph: Graph) -> None:
    for node in [n for n in graph.nodes if n.op == "Identity"]:
        src, dst = node.inputs[0], node.outputs[0]
        if dst in graph.outputs:
            # the output name must survive: rename the producer's output instead, if it has one
            if src in graph.inputs or src in graph.outputs or graph.tensor(src).is_const:
                continue
            graph.nodes.remove(node)
            del graph.tensors[dst]
            graph.rename_tensor(src, dst)
        else:
            graph.nodes.remove(node)
            graph.replace_uses(dst, src)
            del graph.tensors[dst]
