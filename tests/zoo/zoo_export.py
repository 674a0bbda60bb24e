"""Export a zoo model to ONNX (seeded random weights, recalibrated BatchNorm), convert it with mote,
compare with ONNX Runtime.

Export follows FIELD-NOTES.md: torch.onnx.export(..., opset_version=17, dynamo=False); BatchNorm
running statistics are re-estimated on random batches (momentum=None: a cumulative average) so
activations keep a sane scale through deep nets and error ratios mean something.
"""

from __future__ import annotations

import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn
from zoo_models import Spec

# the bound for whole models: max |mote - ORT| <= ZOO_REL * max |ORT|
ZOO_REL = 1e-4


def seed_for(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def recalibrate_batchnorm(model: nn.Module, inputs: dict[str, np.ndarray], batches: int = 2, batch: int = 2) -> None:
    """Replace the random-init running statistics (mean 0, var 1: vanishing activations after a few
    layers) by the statistics of random batches shaped like the example input."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    (example,) = inputs.values()  # only single-input nets have BatchNorm here
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(batch, *example.shape[1:]))


def export(name: str, spec: Spec, path: Path,
           dynamic_axes: dict[str, dict[int, str]] | None = None) -> onnx.ModelProto:
    """Export with seeded weights; `dynamic_axes` (input name -> {axis: symbol}) leaves dims symbolic."""
    torch.manual_seed(seed_for(name))
    model = spec.build()
    recalibrate_batchnorm(model, spec.inputs)
    model.eval()
    args = tuple(torch.from_numpy(v) for v in spec.inputs.values())
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(model, args, str(path), opset_version=17, dynamo=False,
                          input_names=list(spec.inputs), output_names=list(spec.outputs), dynamic_axes=dynamic_axes)
    return onnx.load(str(path))


@dataclass
class Comparison:
    name: str
    worst_ratio: float  # max over outputs of max |mote - ORT| / max |ORT|
    per_output: dict[str, tuple[float, float]]  # name -> (max |diff|, max |ref|)
    ops: OpMix


@dataclass
class OpMix:
    counts: dict[str, int]  # opcode -> ops in the .mote model
    # Transposes inside the model; those that only take a graph input to NHWC or an output back to
    # the source layout (the model's inputs and outputs keep it: DESIGN.md 2) are counted apart
    inner_transposes: list[str]
    boundary_transposes: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def ort_run(model_path: Path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, feeds)))


def op_mix(data: bytes) -> OpMix:
    from mote.converter.reader import read

    summary = read(data)
    edges = set(summary["inputs"]) | set(summary["outputs"])
    counts: dict[str, int] = {}
    inner: list[str] = []
    boundary = 0
    for op in summary["ops"]:
        counts[op["opcode"]] = counts.get(op["opcode"], 0) + 1
        if op["opcode"] == "TRANSPOSE":
            if op["inputs"][0] in edges or op["outputs"][0] in edges:
                boundary += 1
            else:
                inner.append(op["name"])
    return OpMix(counts, inner, boundary)


def compare(name: str, data: bytes, expected: dict[str, np.ndarray], got: dict[str, np.ndarray]) -> Comparison:
    """Ratios per output; shapes, dtypes and names must agree (asserted)."""
    assert set(got) == set(expected), f"{name}: outputs {sorted(got)} != ORT's {sorted(expected)}"
    per: dict[str, tuple[float, float]] = {}
    for k, ref in expected.items():
        out = np.asarray(got[k])
        assert out.shape == ref.shape and out.dtype == ref.dtype, \
            f"{name}: output {k!r} {out.shape} {out.dtype} != ORT's {ref.shape} {ref.dtype}"
        diff = np.abs(out.astype(np.float64) - ref.astype(np.float64))
        per[k] = (float(np.max(diff)) if not np.isnan(diff).any() else float("inf"), float(np.max(np.abs(ref))))
    worst = max(d / r if r > 0 else (0.0 if d == 0 else float("inf")) for d, r in per.values())
    return Comparison(name, worst, per, op_mix(data))
