"""Weight-only quantization of a converted IR graph (after the pass pipeline, before lowering):
`dynamic` stores FullyConnected / MatMul weights as int8 (symmetric, one scale per output
feature) and the runtime quantizes activations on the fly; `fp16` stores Conv, FullyConnected
and MatMul weights as float16, widened once when a model is loaded. The representation is
docs/quantization-format.md's; what changed is recorded in the model's metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from mote.converter.errors import ConversionError
from mote.converter.ir import Graph, Node, QuantParams

MODES = ("dynamic", "fp16")


@dataclass
class WeightReport:
    mode: str
    layers: list[str] = field(default_factory=list)  # nodes whose weights changed
    bytes_before: int = 0
    bytes_after: int = 0
    max_rel_error: float = 0.0  # worst per-channel |w - dequant(q(w))| / max |w| over the changed weights

    def to_metadata(self) -> str:
        return json.dumps({"mode": self.mode, "layers": len(self.layers), "weight_bytes_before": self.bytes_before,
                           "weight_bytes_after": self.bytes_after, "max_weight_rel_error": self.max_rel_error})


def quantize_int8_symmetric(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel symmetric int8 along `axis`: scale = max|w| / 127 (1 for an all-zero channel),
    values in [-127, 127]. Returns (q, scales)."""
    w = np.asarray(w, np.float32)
    reduce = tuple(d for d in range(w.ndim) if d != axis)
    amax = np.abs(w).max(axis=reduce) if reduce else np.abs(w)
    scales = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scales.reshape(shape)), -127, 127).astype(np.int8)
    return q, scales


def _weight_slot(g: Graph, node: Node, mode: str) -> tuple[str, int] | None:
    """(weight tensor, its output-channel axis) for a node whose weights `mode` may change."""
    if node.op == "FullyConnected":
        return node.inputs[1], 0  # [out, in]
    if node.op == "MatMul" and not node.attrs.get("adj_a"):
        b = g.const(node.inputs[1])
        if b is not None and b.ndim == 2:  # lowered to FULLY_CONNECTED
            return node.inputs[1], 0 if node.attrs.get("adj_b") else 1
        return None
    if node.op == "Conv" and mode == "fp16":
        return node.inputs[1], 0  # OIHW
    return None


def quantize_weights(g: Graph, mode: str) -> WeightReport:
    if mode not in MODES:
        raise ConversionError(f"unknown quantization mode {mode!r}; choose from {', '.join(MODES)} "
                              "(full int8 with calibration is not available yet)")
    report = WeightReport(mode)
    consumers = g.consumers()
    eligible: dict[str, int] = {}
    for node in g.nodes:
        slot = _weight_slot(g, node, mode)
        if slot is None:
            continue
        name, axis = slot
        t = g.tensor(name)
        if t.data is None or t.data.dtype != np.float32 or t.quant is not None or name in g.outputs:
            continue
        # every consumer must read it as weights (a constant shared with another op stays float)
        if all(_weight_slot(g, c, mode) == slot for c in consumers.get(name, [])):
            eligible[name] = axis
            report.layers.append(node.name)
    for name, axis in eligible.items():
        t = g.tensor(name)
        w = t.data
        report.bytes_before += w.nbytes
        if mode == "fp16":
            q = w.astype(np.float16)
            err = np.abs(q.astype(np.float32) - w).max() / max(float(np.abs(w).max()), 1e-30)
            t.set_data(q)
        else:
            q, scales = quantize_int8_symmetric(w, axis)
            shape = [1] * w.ndim
            shape[axis] = -1
            err = np.abs(q.astype(np.float32) * scales.reshape(shape) - w).max() / max(float(np.abs(w).max()), 1e-30)
            t.set_data(q)
            t.quant = QuantParams(scales, np.zeros(scales.shape, np.int64), axis)
        report.bytes_after += t.data.nbytes
        report.max_rel_error = max(report.max_rel_error, float(err))
    g.metadata["quantization"] = report.to_metadata()
    return report
