"""Small graph queries the passes share."""

from __future__ import annotations

from ..ir import Graph, Node


def sole_consumer(graph: Graph, name: str, consumers: dict[str, list[Node]]) -> Node | None:
    """The one node reading `name`, if exactly one does and it is not a graph output."""
    users = consumers.get(name, [])
    if len(users) != 1 or name in graph.outputs or users[0].inputs.count(name) != 1:
        return None
    return users[0]


def splice_out(graph: Graph, producer: Node, consumer: Node) -> None:
    """Let `producer` write `consumer`'s output and delete `consumer` (one-input tail node)."""
    old = producer.outputs[0]
    producer.outputs[0] = consumer.outputs[0]
    graph.nodes.remove(consumer)
    del graph.tensors[old]
