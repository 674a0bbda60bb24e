"""Lowering of the elementwise, comparison, logical and reduction IR ops (lower.py merges
LOWER into its table)."""

from __future__ import annotations

from typing import Any, Callable

from .fbs.Activation import Activation
from .ir import Graph, Node

Lowered = tuple[str, list, str | None, dict[str, Any]]

_UNARY = {
    "Exp": "EXP", "Log": "LOG", "Sqrt": "SQRT", "Rsqrt": "RSQRT", "Abs": "ABS", "Neg": "NEG",
    "Reciprocal": "RECIPROCAL", "Floor": "FLOOR", "Ceil": "CEIL", "Round": "ROUND", "Erf": "ERF",
    "Softplus": "SOFTPLUS", "Swish": "SWISH", "Mish": "MISH", "Sin": "SIN", "Cos": "COS",
    "Not": "LOGICAL_NOT", "Cast": "CAST",
}
_BINARY = {"Pow": "POW", "Minimum": "MINIMUM", "Maximum": "MAXIMUM", "PRelu": "PRELU"}
_NO_OPTIONS = {
    "Equal": "EQUAL", "NotEqual": "NOT_EQUAL", "Less": "LESS", "LessEqual": "LESS_EQUAL", "Greater": "GREATER",
    "GreaterEqual": "GREATER_EQUAL", "And": "LOGICAL_AND", "Or": "LOGICAL_OR", "Where": "WHERE",
}
_REDUCE = {"ReduceSum": "REDUCE_SUM", "ReduceMax": "REDUCE_MAX", "ReduceMin": "REDUCE_MIN",
           "ReduceProd": "REDUCE_PROD", "ReduceL2": "REDUCE_L2"}


def _plain(opcode: str) -> Callable:
    return lambda g, n, c: (opcode, list(n.inputs), None, {})


def _binary(opcode: str) -> Callable:
    def lower(g: Graph, n: Node, c) -> Lowered:
        return opcode, list(n.inputs), "BinaryOptions", {"activation": getattr(Activation, n.attrs.get("activation",
                                                                                                   "NONE"))}
    return lower


def _reduce(opcode: str) -> Callable:
    def lower(g: Graph, n: Node, c) -> Lowered:
        return opcode, [n.inputs[0]], "ReduceOptions", {"axes": list(n.attrs["axes"]),
                                                         "keep_dims": bool(n.attrs["keepdims"])}
    return lower


def _arg(opcode: str) -> Callable:
    def lower(g: Graph, n: Node, c) -> Lowered:
        return opcode, [n.inputs[0]], "ArgOptions", {"axis": int(n.attrs["axis"]),
                                                      "keep_dims": bool(n.attrs["keepdims"]),
                                                      "select_last_index": bool(n.attrs["select_last_index"])}
    return lower


LOWER: dict[str, Callable] = {
    **{op: _plain(code) for op, code in _UNARY.items()},
    **{op: _binary(code) for op, code in _BINARY.items()},
    **{op: _plain(code) for op, code in _NO_OPTIONS.items()},
    **{op: _reduce(code) for op, code in _REDUCE.items()},
    "HardSigmoid": lambda g, n, c: ("HARD_SIGMOID", [n.inputs[0]], "HardSigmoidOptions",
                                    {"alpha": float(n.attrs["alpha"]), "beta": float(n.attrs["beta"])}),
    "ArgMax": _arg("ARG_MAX"), "ArgMin": _arg("ARG_MIN"),
}
