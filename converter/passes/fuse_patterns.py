"""Exporters spell some activations as small graphs; mote has one op for each:
  x · Sigmoid(x)                      → Swish (SiLU; EfficientNet, YOLO)
  x · HardSigmoid(x; 1/6, 1/2)        → HardSwish
  0.5 · x · (1 + Erf(x / √2))         → Gelu (any association of the products; x · 1/√2 too)
  Reciprocal(Sqrt(v)), 1 / Sqrt(v)    → Rsqrt(v);  a / Sqrt(v) → a · Rsqrt(v)
  (x − mean) / √(mean((x − mean)²) + ε) [· γ] [+ β], means over trailing axes
                                      → LayerNorm (exports before opset 17)
The last node of a pattern is rewritten in place (its output keeps its name); the inner
nodes are left to dead-node removal, so a pattern whose inner values are also read elsewhere
stays correct."""

from __future__ import annotations

import math

import numpy as np

from ..ir import Graph, Node
from .dead_nodes import remove_dead_nodes
from .util import sole_consumer


def _scalar(graph: Graph, name: str | None) -> float | None:
    c = graph.const(name)
    return float(c.reshape(-1)[0]) if c is not None and c.size == 1 else None


def _near(v: float | None, target: float) -> bool:
    return v is not None and abs(v - target) <= 1e-4 * max(1.0, abs(target))


def _other(node: Node, name: str) -> str | None:
    """The other input of a two-input node that reads `name`."""
    a, b = node.inputs
    return b if a == name else a if b == name else None


def _param(c: np.ndarray | None, norm_shape: tuple[int, ...]) -> np.ndarray | None:
    """A constant γ / β as an array of exactly the normalized shape, if it broadcasts to it."""
    if c is None:
        return None
    extra = c.ndim - len(norm_shape)
    if extra > 0:
        if any(d != 1 for d in c.shape[:extra]):
            return None
        c = c.reshape(c.shape[extra:])
    try:
        return np.broadcast_to(c, norm_shape)
    except ValueError:
        return None


def _same_shape(graph: Graph, a: str, b: str) -> bool:
    return graph.tensor(a).shape == graph.tensor(b).shape


class _Fuser:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.producers = graph.producers()
        self.consumers = graph.consumers()

    def prod(self, name: str | None, op: str) -> Node | None:
        p = self.producers.get(name) if name is not None else None
        return p if p is not None and p.op == op else None

    def only_user(self, name: str) -> Node | None:
        return sole_consumer(self.g, name, self.consumers)

    def rewrite(self, node: Node, op: str, inputs: list[str], note: bool = True, **attrs) -> None:
        if note:
            self.g.note("fused_patterns", f"{op} at {node.name}")
        node.op, node.inputs, node.attrs = op, inputs, attrs

    # x * act(x)
    def gate(self, node: Node) -> bool:
        for gate_in in node.inputs:
            x = _other(node, gate_in)
            sig = self.prod(gate_in, "Sigmoid")
            if sig is not None and sig.inputs[0] == x and _same_shape(self.g, x, node.outputs[0]):
                self.rewrite(node, "Swish", [x])
                return True
            hs = self.prod(gate_in, "HardSigmoid")
            if (hs is not None and hs.inputs[0] == x and _near(hs.attrs["alpha"], 1 / 6)
                    and _near(hs.attrs["beta"], 0.5) and _same_shape(self.g, x, node.outputs[0])):
                self.rewrite(node, "HardSwish", [x])
                return True
        return False

    # 0.5 * x * (1 + erf(x / sqrt2)), matched from the Erf
    def gelu(self, erf: Node) -> bool:
        scaled = self.producers.get(erf.inputs[0])
        if scaled is None or scaled.op not in ("Div", "Mul"):
            return False
        x, c = scaled.inputs
        k = _scalar(self.g, c)
        if not (_near(k, math.sqrt(2)) if scaled.op == "Div" else _near(k, 1 / math.sqrt(2))):
            return False
        add = self.only_user(erf.outputs[0])
        if add is None or add.op != "Add" or not _near(_scalar(self.g, _other(add, erf.outputs[0])), 1.0):
            return False
        a = add.outputs[0]
        m1 = self.only_user(a)
        if m1 is None or m1.op != "Mul":
            return False
        o = _other(m1, a)
        if o == x:  # (x · a) · 0.5
            last = self.only_user(m1.outputs[0])
            ok = last is not None and last.op == "Mul" and _near(_scalar(self.g, _other(last, m1.outputs[0])), 0.5)
        elif _near(_scalar(self.g, o), 0.5):  # (a · 0.5) · x
            last = self.only_user(m1.outputs[0])
            ok = last is not None and last.op == "Mul" and _other(last, m1.outputs[0]) == x
        else:  # (x · 0.5) · a
            half = self.prod(o, "Mul")
            last = m1
            ok = half is not None and x in half.inputs and _near(_scalar(self.g, _other(half, x)), 0.5)
        if not ok or not _same_shape(self.g, x, last.outputs[0]):
            return False
        self.rewrite(last, "Gelu", [x], approximate=False)
        return True

    # 1/sqrt(v)
    def rsqrt(self, node: Node) -> bool:
        if node.op == "Reciprocal":
            sq = self.prod(node.inputs[0], "Sqrt")
            if sq is None:
                return False
            self.rewrite(node, "Rsqrt", [sq.inputs[0]])
            return True
        a, d = node.inputs  # Div
        sq = self.prod(d, "Sqrt")
        if sq is None or self.only_user(d) is not node or node.attrs.get("activation", "NONE") != "NONE":
            return False
        if _near(_scalar(self.g, a), 1.0) and _same_shape(self.g, d, node.outputs[0]):
            self.rewrite(node, "Rsqrt", [sq.inputs[0]])
            return True
        # a / sqrt(v) = a * rsqrt(v): the Sqrt becomes the Rsqrt (it has no other reader)
        sq.op = "Rsqrt"
        self.g.note("fused_patterns", f"Rsqrt at {sq.name}")
        self.rewrite(node, "Mul", [a, d], note=False, activation="NONE")
        return True

    # (x - mean) / sqrt(var + eps) [* gamma] [+ beta], matched from the Div
    def layer_norm(self, div: Node) -> bool:
        d, sd = div.inputs
        sub, sq = self.prod(d, "Sub"), self.prod(sd, "Sqrt")
        if sub is None or sq is None:
            return False
        x, mean_name = sub.inputs
        mean, add = self.prod(mean_name, "ReduceMean"), self.prod(sq.inputs[0], "Add")
        if mean is None or mean.inputs[0] != x or add is None:
            return False
        rank = len(self.g.tensor(x).shape)
        axes = tuple(mean.attrs["axes"])
        if not mean.attrs.get("keepdims", True) or not axes or axes != tuple(range(axes[0], rank)):
            return False
        var_name = next((i for i in add.inputs if _scalar(self.g, i) is None), None)
        eps = _scalar(self.g, _other(add, var_name)) if var_name is not None else None
        var = self.prod(var_name, "ReduceMean")
        if eps is None or var is None or tuple(var.attrs["axes"]) != axes or not var.attrs.get("keepdims", True):
            return False
        sq2 = self.producers.get(var.inputs[0])
        if sq2 is None or not (sq2.op == "Mul" and sq2.inputs == [d, d]):
            return False
        norm_shape = self.g.tensor(x).shape[axes[0]:]
        last, params = div, []
        for op in ("Mul", "Add"):
            user = self.only_user(last.outputs[0])
            p = None if user is None or user.op != op else _param(self.g.const(_other(user, last.outputs[0])),
                                                                    norm_shape)
            if p is None or self.g.tensor(user.outputs[0]).shape != self.g.tensor(x).shape:
                break
            last, params = user, params + [p]
        if not params:
            params = [np.ones(norm_shape, self.g.tensor(x).dtype)]
        names = [self.g.add_const(np.ascontiguousarray(p.astype(self.g.tensor(x).dtype)), f"{div.name}_ln")
                 for p in params]
        self.rewrite(last, "LayerNorm", [x, *names], axis=axes[0], epsilon=eps)
        return True

    def run(self) -> None:
        for node in list(self.g.nodes):
            if self.g.tensor(node.outputs[0]).dtype.kind != "f":
                continue
            changed = False
            if node.op == "Mul" and node.attrs.get("activation", "NONE") == "NONE":
                changed = self.gate(node)
            elif node.op == "Erf":
                changed = self.gelu(node)
            elif node.op in ("Reciprocal", "Div"):
                changed = (node.op == "Div" and self.layer_norm(node)) or self.rsqrt(node)
            if changed:
                self.producers, self.consumers = self.g.producers(), self.g.consumers()


def fuse_patterns(graph: Graph) -> None:
    _Fuser(graph).run()
    remove_dead_nodes(graph)
