"""What an ONNX op handler sees: its node's location, constants, shapes, and a way to emit IR."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ConversionError
from ...ir import Graph, Node
from ...passes.shapes import infer_node


class NodeContext:
    def __init__(self, graph: Graph, op_type: str, name: str, outputs: list[str], opset: int) -> None:
        self.graph = graph
        self.op_type = op_type
        self.name = name
        self.outputs = outputs
        self.opset = opset

    def where(self) -> str:
        return f"'{self.op_type}' (node '{self.name}', opset {self.opset})"

    def error(self, msg: str) -> ConversionError:
        return ConversionError(f"{msg} in ONNX op {self.where()}")

    # queries
    def const(self, name: str | None) -> np.ndarray | None:
        return self.graph.const(name)

    def require_const(self, name: str | None, what: str) -> np.ndarray:
        value = self.const(name)
        if value is None:
            raise self.error(f"{what} must be a constant (computed at run time here)")
        return value

    def shape(self, name: str) -> tuple[int, ...]:
        shape = self.graph.tensor(name).shape
        if shape is None:
            raise self.error(f"shape of '{name}' is unknown")
        return shape

    def rank(self, name: str) -> int:
        return len(self.shape(name))

    # building
    def add_const(self, data: Any, hint: str = "") -> str:
        return self.graph.add_const(np.asarray(data), hint or f"{self.name}_const")

    def emit(self, op: str, inputs: list[str | None], out: str | None = None, **attrs: Any) -> str:
        """Add one IR node; `out` defaults to a fresh name. Returns the output name."""
        out = out if out is not None else self.graph.unique_name(f"{self.name}_{op.lower()}")
        node = Node(op, list(inputs), [out], attrs, name=self.name, source_op=self.op_type,
                    source_opset=self.opset)
        self.graph.nodes.append(node)
        infer_node(self.graph, node)
        return out

    def emit_multi(self, op: str, inputs: list[str | None], n_outputs: int, **attrs: Any) -> list[str]:
        """Add one IR node with `n_outputs` outputs: the ONNX node's (in order), fresh names for
        those it leaves out (every output of a mote op is a real tensor)."""
        outs = [self.outputs[i] if i < len(self.outputs) and self.outputs[i] else
                self.graph.unique_name(f"{self.name}_{op.lower()}_out{i}") for i in range(n_outputs)]
        node = Node(op, list(inputs), outs, attrs, name=self.name, source_op=self.op_type, source_opset=self.opset)
        self.graph.nodes.append(node)
        infer_node(self.graph, node)
        return outs

    def out(self, i: int = 0) -> str:
        return self.outputs[i]

    def set_const_output(self, data: np.ndarray, i: int = 0) -> None:
        self.graph.add_tensor(self.outputs[i]).set_data(np.asarray(data))
