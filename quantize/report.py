"""The accuracy report of a quantized model: `mote convert ... --quantize int8 --report r.html`.

What a user needs to trust (or not) an int8 model: the observer and data it was calibrated
with, the output error of the real int8 model (run by libmote) against the float one on the
calibration samples (SQNR, cosine, worst absolute error), and the layers ranked by how much
their own quantization costs (each alone fake-quantized in the float graph), the worst first,
with the layers kept in float marked. A text summary goes to the terminal; the HTML page adds a
plot (matplotlib, when installed).
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mote.converter.ir import Graph

from .mixed import layer_sensitivity, sqnr_db
from .static import Calibration


@dataclass
class LayerLine:
    op: str
    name: str
    sqnr_db: float
    kept_float: bool = False


@dataclass
class AccuracyReport:
    observer: str
    samples: int
    output_sqnr_db: float
    output_cosine: float
    output_max_abs_error: float
    layers: list[LayerLine] = field(default_factory=list)
    float_bytes: int = 0
    int8_bytes: int = 0

    def text(self, top: int = 10) -> str:
        lines = [f"accuracy report ({self.observer} observer, {self.samples} calibration samples): output SQNR "
                 f"{self.output_sqnr_db:.1f} dB, cosine {self.output_cosine:.5f}, worst |error| "
                 f"{self.output_max_abs_error:.3g}; file {self.int8_bytes / max(self.float_bytes, 1):.2f}x float"]
        if self.layers:
            lines.append("most sensitive layers (output SQNR with only that layer int8):")
            for ln in self.layers[:top]:
                lines.append(f"  {ln.sqnr_db:7.1f} dB  {ln.op} '{ln.name}'{'  (kept float)' if ln.kept_float else ''}")
        return "\n".join(lines)

    def html(self) -> str:
        rows = "".join(f"<tr><td>{i + 1}</td><td>{html.escape(ln.op)}</td><td>{html.escape(ln.name)}</td>"
                       f"<td>{ln.sqnr_db:.1f}</td><td>{'float' if ln.kept_float else 'int8'}</td></tr>"
                       for i, ln in enumerate(self.layers))
        plot = self._plot()
        img = f'<img alt="per-layer SQNR" src="data:image/png;base64,{plot}">' if plot else \
            "<p>(install matplotlib for the plot)</p>"
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>mote quantization report</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:left}"
            "table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}</style></head><body>"
            "<h1>mote int8 quantization report</h1>"
            f"<p>Observer: <b>{html.escape(self.observer)}</b>; calibration samples: {self.samples}.</p>"
            "<h2>Output of the int8 model against the float model</h2>"
            f"<ul><li>SQNR: <b>{self.output_sqnr_db:.2f} dB</b></li><li>cosine similarity (worst sample): "
            f"<b>{self.output_cosine:.5f}</b></li><li>worst absolute error: {self.output_max_abs_error:.4g}</li>"
            f"<li>file: {self.int8_bytes} bytes, {self.int8_bytes / max(self.float_bytes, 1):.2f}x the float "
            f"model's {self.float_bytes}</li></ul>"
            f"<h2>Layers, most sensitive first</h2>{img}"
            "<p>SQNR of the model's outputs when only that layer (its weights and output) is quantized, "
            "in the float graph: the lower, the more the layer costs.</p>"
            f"<table><tr><th>#</th><th>op</th><th>layer</th><th>SQNR (dB)</th><th>runs in</th></tr>{rows}</table>"
            "</body></html>")

    def _plot(self) -> str | None:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            return None
        shown = self.layers[:40]
        fig, ax = plt.subplots(figsize=(8, 0.25 * len(shown) + 1.2))
        ax.barh(range(len(shown)), [ln.sqnr_db for ln in shown],
                color=["#999" if ln.kept_float else "#3572b0" for ln in shown])
        ax.set_yticks(range(len(shown)), [f"{ln.op} {ln.name}"[:40] for ln in shown], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("output SQNR with only this layer int8 (dB)")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        return base64.b64encode(buf.getvalue()).decode()


def build_report(float_graph: Graph, cal: Calibration, float_data: bytes, int8_data: bytes,
                 samples: int = 16) -> AccuracyReport:
    """Run both models with libmote on the calibration samples and rank the layers."""
    import mote

    feeds = cal.samples[:samples]
    fm, qm = mote.load(float_data), mote.load(int8_data)
    ref = [fm.run(dict(f)) for f in feeds]
    got = [qm.run(dict(f)) for f in feeds]
    cos, worst = 1.0, 0.0
    for r, q in zip(ref, got):
        for k in r:
            a, b = np.asarray(r[k], np.float64).ravel(), np.asarray(q[k], np.float64).ravel()
            denom = np.linalg.norm(a) * np.linalg.norm(b)
            cos = min(cos, float(a @ b / denom) if denom > 0 else 1.0)
            worst = max(worst, float(np.abs(a - b).max()) if a.size else 0.0)
    meta: dict[str, Any] = json.loads(qm.metadata.get("quantization", "{}"))
    kept = set(meta.get("kept_float_for_accuracy") or []) | set(meta.get("float_ops") or [])
    layers = []
    for k, s in layer_sensitivity(float_graph, cal):
        n = float_graph.nodes[k]
        layers.append(LayerLine(n.op, n.name, s, f"{n.op} '{n.name}'" in kept))
    return AccuracyReport(cal.observer, len(cal.samples), sqnr_db(ref, got), cos, worst, layers,
                          len(float_data), len(int8_data))
