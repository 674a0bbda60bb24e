"""Accuracy-guarded mixed precision: int8 everywhere the model can afford it.

`convert(..., quantize="int8", min_sqnr=DB)`: the layers are ranked by measured sensitivity
(each one alone fake-quantized in the float graph: the SQNR of the model's outputs), then the
fewest most-sensitive layers are kept in float such that the converted int8 model, run by
libmote, reaches `min_sqnr` dB on the calibration samples against the float model
(`max_accuracy_drop` with labelled data does the same with accuracy). What was kept is recorded
in the model's metadata and returned.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mote.converter.errors import ConversionError
from mote.converter.evaluate import eval_node
from mote.converter.ir import Graph

from .static import Calibration, _assign_params, _int8_capable, _weights, apply_int8, int8_candidates
from .weights import quantize_int8_symmetric


def sqnr_db(ref: list[dict[str, np.ndarray]], got: list[dict[str, np.ndarray]]) -> float:
    """Signal to quantization-noise ratio over all outputs of all samples, in dB."""
    signal = noise = 0.0
    for r, q in zip(ref, got):
        for k in r:
            a, b = np.asarray(r[k], np.float64), np.asarray(q[k], np.float64)
            signal += float((a * a).sum())
            noise += float(((a - b) ** 2).sum())
    if noise == 0.0:
        return float("inf")
    return 10.0 * np.log10(max(signal, 1e-30) / noise)


def _fake(x: np.ndarray, scale: float, zp: int) -> np.ndarray:
    return ((np.clip(np.round(x / scale) + zp, -128, 127) - zp) * scale).astype(np.float32)


def _run(g: Graph, feed: dict[str, np.ndarray], hook_node: int = -1, hook: Callable | None = None,
         weights: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    env = {n: t.data for n, t in g.tensors.items() if t.is_const}
    if weights:
        env.update(weights)
    env.update(feed)
    for k, node in enumerate(g.nodes):
        outs = eval_node(node, [None if i is None else env[i] for i in node.inputs])
        if k == hook_node and hook is not None:
            outs = [hook(o) for o in outs]
        env.update(zip(node.outputs, outs))
    return {o: env[o] for o in g.outputs}


def layer_sensitivity(g: Graph, cal: Calibration, samples: int = 8) -> list[tuple[int, float]]:
    """(node index, output SQNR in dB with only that node int8), most sensitive first."""
    feeds = cal.samples[:samples]
    ref = [_run(g, f) for f in feeds]
    cands = int8_candidates(g)
    params = _assign_params(g, {id(g.nodes[k]) for k in cands}, cal.ranges)
    out: list[tuple[int, float]] = []
    for k in cands:
        node = g.nodes[k]
        p = params.get(node.outputs[0])
        weights = {}
        slot = _weights(g, node)
        if slot is not None:
            w = g.tensor(slot[0]).data
            q, scales = quantize_int8_symmetric(w, slot[1])
            shape = [1] * w.ndim
            shape[slot[1]] = -1
            weights[slot[0]] = (q.astype(np.float32) * scales.reshape(shape)).astype(np.float32)
        hook = None if p is None else (lambda o, s=float(p.scale[0]), z=int(p.zero_point[0]): _fake(o, s, z))
        got = [_run(g, f, k, hook, weights) for f in feeds]
        out.append((k, sqnr_db(ref, got)))
    out.sort(key=lambda kv: kv[1])
    return out


@dataclass
class MixedResult:
    data: bytes
    kept_float: list[str] = field(default_factory=list)  # "Op 'name'" of the layers kept in float
    metric: float = 0.0   # SQNR (dB) or accuracy reached
    int8_layers: int = 0


def search(float_graph: Graph, cal: Calibration, build: Callable[[Graph], bytes],
           score: Callable[[bytes], float], target: float, progress: bool = True) -> MixedResult:
    """The fewest most-sensitive layers kept in float for which score(model) >= target."""
    ranking = [k for k, _ in layer_sensitivity(float_graph, cal)]
    tried: dict[int, tuple[bytes, float, list[str], int]] = {}
    # keeping a layer in float must also keep its output unquantized: an int8 consumer would
    # quantize it again, so the layers reading it stay float too
    index = {id(n): k for k, n in enumerate(float_graph.nodes)}
    consumers = float_graph.consumers()

    def keep_set(n_float: int) -> frozenset[int]:
        keep: set[int] = set()
        for k in ranking[:n_float]:
            keep.add(k)
            for out in float_graph.nodes[k].outputs:
                keep.update(index[id(c)] for c in consumers.get(out, []))
        return frozenset(keep)

    def attempt(n_float: int) -> float:
        if n_float not in tried:
            g = copy.deepcopy(float_graph)
            keep = keep_set(n_float)
            report = apply_int8(g, cal, keep_float=keep)
            kept = [f"{float_graph.nodes[k].op} '{float_graph.nodes[k].name}'" for k in sorted(keep)
                    if _int8_capable(float_graph, float_graph.nodes[k])]
            meta = json.loads(g.metadata["quantization"])
            meta.update(kept_float_for_accuracy=kept, target=target)
            g.metadata["quantization"] = json.dumps(meta)
            data = build(g)
            tried[n_float] = (data, score(data), kept, len(report.int8_nodes))
            if progress:
                print(f"  {n_float:3d} most sensitive layer(s) and their consumers in float ({len(kept)} layers): "
                      f"{tried[n_float][1]:.4g}", flush=True)
        return tried[n_float][1]

    if attempt(0) < target:
        lo, hi = 0, len(ranking)  # lo fails; find the smallest hi that passes
        if attempt(hi) < target:
            raise ConversionError(f"the target cannot be met even with every layer in float "
                                  f"({tried[hi][1]:.4g} < {target:g})")
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if attempt(mid) >= target:
                hi = mid
            else:
                lo = mid
        best = hi
    else:
        best = 0
    data, metric, kept, n_int8 = tried[best]
    return MixedResult(data, kept, metric, n_int8)

