"""Lowering of the neural-network IR ops of the breadth set (lower.py merges LOWER into its
table). ConvTranspose weights change layout here: ONNX [C, O/groups, KH, KW] → mote
[O, KH, KW, C/groups]."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .errors import ConversionError
from .fbs.Activation import Activation
from .fbs.CoordinateTransform import CoordinateTransform
from .fbs.NearestMode import NearestMode
from .fbs.ResizeMode import ResizeMode
from .fbs.RnnDirection import RnnDirection
from .ir import Graph, Node

Lowered = tuple[str, list, str | None, dict[str, Any]]


def _nhwc(n: Node) -> None:
    if n.attrs.get("data_format") != "NHWC":
        raise ConversionError(f"internal: {n.op} left in {n.attrs.get('data_format')} at {n.where()}")


def _resize(g: Graph, n: Node, c) -> Lowered:
    _nhwc(n)
    a = n.attrs
    return "RESIZE", [n.inputs[0]], "ResizeOptions", {
        "mode": getattr(ResizeMode, a["mode"].upper()),
        "coordinate_transform": getattr(CoordinateTransform, a["coordinate_transform"].upper()),
        "nearest_mode": getattr(NearestMode, a["nearest_mode"].upper()),
        "cubic_coeff_a": float(a["cubic_coeff_a"]), "exclude_outside": bool(a["exclude_outside"]),
        "extrapolation_value": float(a["extrapolation_value"]),
        "scale_h": float(a["scale_h"]), "scale_w": float(a["scale_w"])}


def transpose_conv_weights(w: np.ndarray, group: int) -> np.ndarray:
    """ONNX ConvTranspose weights [C, O/g, KH, KW] → mote [O, KH, KW, C/g]."""
    ci, og, kh, kw = w.shape
    wg = w.reshape(group, ci // group, og, kh, kw).transpose(0, 2, 3, 4, 1)
    return np.ascontiguousarray(wg.reshape(group * og, kh, kw, ci // group))


def _conv_transpose(g: Graph, n: Node, const) -> Lowered:
    _nhwc(n)
    w = g.const(n.inputs[1])
    if w is None:
        raise ConversionError(f"ConvTranspose with run-time weights is not supported at {n.where()}")
    a = n.attrs
    t, left, b, r = a["pads"]
    wm = const(transpose_conv_weights(w, a.get("group", 1)), f"{n.inputs[1]}_ohwi")
    bias = n.inputs[2] if len(n.inputs) > 2 else None
    return "TRANSPOSE_CONV_2D", [n.inputs[0], wm, bias], "TransposeConv2DOptions", {
        "stride_h": a["strides"][0], "stride_w": a["strides"][1],
        "dilation_h": a["dilations"][0], "dilation_w": a["dilations"][1],
        "pad_top": t, "pad_left": left, "pad_bottom": b, "pad_right": r,
        "output_padding_h": a["output_padding"][0], "output_padding_w": a["output_padding"][1],
        "activation": getattr(Activation, a.get("activation", "NONE"))}


def _instance_norm(g: Graph, n: Node, c) -> Lowered:
    _nhwc(n)
    return "INSTANCE_NORM", list(n.inputs), "NormOptions", {"epsilon": float(n.attrs["epsilon"])}


def _layer_norm(g: Graph, n: Node, c) -> Lowered:
    ins = list(n.inputs) + [None] * (3 - len(n.inputs))
    return "LAYER_NORM", ins, "NormOptions", {"axis": int(n.attrs["axis"]), "epsilon": float(n.attrs["epsilon"])}


def _rnn(opcode: str, n_inputs: int) -> Callable:
    def lower(g: Graph, n: Node, c) -> Lowered:
        a = n.attrs
        opts = {"hidden_size": int(a["hidden_size"]), "direction": getattr(RnnDirection, a["direction"].upper()),
                "clip": float(a.get("clip", 0.0))}
        if opcode == "LSTM":
            opts["input_forget"] = bool(a.get("input_forget", False))
        else:
            opts["linear_before_reset"] = bool(a.get("linear_before_reset", False))
        return opcode, list(n.inputs) + [None] * (n_inputs - len(n.inputs)), "RnnOptions", opts
    return lower


LOWER: dict[str, Callable] = {
    "Resize": _resize,
    "ConvTranspose": _conv_transpose,
    "InstanceNorm": _instance_norm,
    "LayerNorm": _layer_norm,
    "LSTM": _rnn("LSTM", 8),
    "GRU": _rnn("GRU", 6),
}
