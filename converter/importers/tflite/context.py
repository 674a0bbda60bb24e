"""What a TFLite op handler sees: its operator's tensors and options, and a way to emit IR.

Emitted nodes whose inputs are all constant are evaluated on the spot (evaluate.py), so the
shape arithmetic TensorFlow leaves in graphs (SHAPE → STRIDED_SLICE → PACK → RESHAPE) is a
constant by the time the consumer's handler asks for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ConversionError
from ...evaluate import KERNELS, eval_node
from ...ir import Graph, Node
from ...passes.fuse_activation import FUSIBLE
from ...passes.shapes import infer_node

# ActivationFunctionType: NONE RELU RELU_N1_TO_1 RELU6 TANH SIGN_BIT
_FUSED = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH", 5: "SIGN_BIT"}


class OpContext:
    def __init__(self, graph: Graph, op_name: str, index: int, version: int, inputs: list[str | None],
                 outputs: list[str], options: Any, out_dtypes: list[np.dtype | None] | None = None) -> None:
        self.graph = graph
        self.op_name = op_name
        self.index = index
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.options = options
        self.out_dtypes = out_dtypes or []

    def where(self) -> str:
        out = f", output '{self.outputs[0]}'" if self.outputs else ""
        return f"'{self.op_name}' (operator {self.index}{out})"

    def error(self, msg: str) -> ConversionError:
        return ConversionError(f"{msg} in TFLite op {self.where()}")

    # queries
    def inp(self, i: int) -> str | None:
        return self.inputs[i] if i < len(self.inputs) else None

    def x(self, i: int, what: str = "") -> str:
        name = self.inp(i)
        if name is None:
            raise self.error(f"input {i}{' (' + what + ')' if what else ''} is missing")
        return name

    def opt(self, field: str, default: Any = None) -> Any:
        return default if self.options is None else getattr(self.options, field, default)

    def const(self, name: str | None) -> np.ndarray | None:
        return self.graph.const(name)

    def require_const(self, name: str | None, what: str) -> np.ndarray:
        value = self.const(name)
        if value is None:
            raise self.error(f"{what} must be a constant (computed at run time here)")
        return value

    def ints(self, i: int, what: str) -> list[int]:
        return [int(v) for v in self.require_const(self.x(i, what), what).reshape(-1)]

    def shape(self, name: str) -> tuple[int, ...]:
        shape = self.graph.tensor(name).shape
        if shape is None:
            raise self.error(f"shape of '{name}' is unknown")
        return shape

    def rank(self, name: str) -> int:
        return len(self.shape(name))

    def axis(self, axis: int, rank: int) -> int:
        a = int(axis) + rank if int(axis) < 0 else int(axis)
        if not 0 <= a < rank:
            raise self.error(f"axis {axis} is out of range for rank {rank}")
        return a

    # building
    def out(self, i: int = 0) -> str:
        return self.outputs[i]

    def out_dtype(self, i: int = 0) -> np.dtype:
        """The dtype the TFLite file declares for output i."""
        dtype = self.out_dtypes[i] if i < len(self.out_dtypes) else None
        if dtype is None:
            raise self.error(f"output {i} has a type mote does not support")
        return dtype

    def add_const(self, data: Any, hint: str = "") -> str:
        return self.graph.add_const(np.asarray(data), hint or f"{self.outputs[0]}_const")

    def set_const_output(self, data: Any, i: int = 0) -> None:
        self.graph.add_tensor(self.outputs[i]).set_data(np.asarray(data))

    def emit(self, op: str, inputs: list[str | None], out: str | None = None, **attrs: Any) -> str:
        """Add one IR node (or, inputs all constant, its value); `out` defaults to a fresh name."""
        out = out if out is not None else self.graph.unique_name(f"{self.outputs[0]}_{op.lower()}")
        return self.emit_n(op, inputs, [out], **attrs)[0]

    def emit_n(self, op: str, inputs: list[str | None], outs: list[str], **attrs: Any) -> list[str]:
        """emit() for a node with several outputs."""
        node = Node(op, list(inputs), list(outs), attrs, name=self.outputs[0], source_op=self.op_name,
                    source_opset=self.version)
        ins = [i for i in inputs if i is not None]
        if ins and op in KERNELS and all(self.graph.tensor(i).is_const for i in ins):
            for name, value in zip(outs, eval_node(node, [self.const(i) for i in inputs])):
                self.graph.add_tensor(name).set_data(value)
            return outs
        self.graph.nodes.append(node)
        infer_node(self.graph, node)
        return outs

    def emit_fused(self, op: str, inputs: list[str | None], fused: int, **attrs: Any) -> str:
        """`op` followed by the TFLite fused activation: RELU / RELU6 go into the op's activation
        slot where it has one, RELU_N1_TO_1 becomes a Clip. LiteRT's kernels clamp only to these
        ranges: they ignore a fused TANH or SIGN_BIT or refuse the model, so mote refuses it too."""
        kind = _FUSED.get(fused)
        if kind not in ("NONE", "RELU", "RELU6", "RELU_N1_TO_1"):
            raise self.error(f"fused activation {kind or fused} is not supported (LiteRT ignores it on this op "
                             "or refuses the model)")
        if op in FUSIBLE:
            if kind != "RELU_N1_TO_1":
                return self.emit(op, inputs, self.out(), activation=kind, **attrs)
            attrs["activation"] = "NONE"
        if kind == "NONE":
            return self.emit(op, inputs, self.out(), **attrs)
        y = self.emit(op, inputs, **attrs)
        lo, hi = {"RELU": (0.0, np.inf), "RELU6": (0.0, 6.0), "RELU_N1_TO_1": (-1.0, 1.0)}[kind]
        return self.emit("Clip", [y], self.out(), min=lo, max=hi)
