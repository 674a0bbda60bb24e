"""`mote bench` against peers: the same model timed in one process on mote (converted) and on
ONNX Runtime / LiteRT (the source model), in alternating blocks, with load time and peak RSS
(each runtime alone in a fresh child process). Used by the CLI and by benchmarks/run_suite.py.

Timing rules (FIELD-NOTES): warm-up first; runtimes alternate in blocks of a few runs so that
neither gets a quieter stretch of the machine; medians and ratios are what to quote. ONNX
Runtime's idle threads spin for a while after each run, so blocks (not single runs) alternate.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PEERS = ("onnxruntime", "litert")


@dataclass
class Timing:
    runtime: str
    median_ms: float
    p10_ms: float
    p90_ms: float
    runs: int
    load_ms: float | None = None
    peak_rss_mb: float | None = None


@dataclass
class BenchResult:
    model: str
    threads: int
    timings: list[Timing] = field(default_factory=list)

    def ratio(self, peer: str) -> float | None:
        """mote's median / the peer's median (< 1: mote is faster)."""
        by = {t.runtime: t for t in self.timings}
        if "mote" not in by or peer not in by:
            return None
        return by["mote"].median_ms / by[peer].median_ms

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ratios"] = {t.runtime: self.ratio(t.runtime) for t in self.timings if t.runtime != "mote"}
        return d


def source_kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".onnx":
        return "onnx"
    if suffix == ".tflite":
        return "tflite"
    if suffix == ".mote":
        return "mote"
    raise ValueError(f"{path}: expected a .onnx, .tflite or .mote file")


def peer_for(path: str | Path) -> str:
    return {"onnx": "onnxruntime", "tflite": "litert"}[source_kind(path)]


# -- runners: each returns (load seconds, run(feeds) -> None, input specs [(name, shape, dtype)])

Runner = tuple[float, Callable[[dict[str, np.ndarray]], Any], list[tuple[str, tuple[int, ...], np.dtype]]]


def _mote_runner(model: bytes | str, threads: int, **load_kwargs: Any) -> Runner:
    import mote

    t0 = time.perf_counter()
    m = mote.load(model, num_threads=threads, **load_kwargs)  # a path is mmapped, bytes are copied once
    if load_kwargs.get("delegate"):
        print(f"mote placement: {m.delegate_report}")
    load = time.perf_counter() - t0
    specs = [(s.name, tuple(s.shape), np.dtype(s.dtype)) for s in m.inputs]
    return load, m.run, specs


def _ort_runner(path: str, threads: int) -> Runner:
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    t0 = time.perf_counter()
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    load = time.perf_counter() - t0
    type_map = {"tensor(float)": np.float32, "tensor(int64)": np.int64, "tensor(int32)": np.int32,
                "tensor(uint8)": np.uint8, "tensor(int8)": np.int8, "tensor(bool)": np.bool_}
    specs = [(i.name, tuple(int(d) if isinstance(d, int) else 1 for d in i.shape), np.dtype(type_map[i.type]))
             for i in sess.get_inputs()]
    return load, lambda feeds: sess.run(None, feeds), specs


def _litert_runner(path: str, threads: int) -> Runner:
    from ai_edge_litert.interpreter import Interpreter

    t0 = time.perf_counter()
    it = Interpreter(model_path=path, num_threads=threads)
    it.allocate_tensors()
    load = time.perf_counter() - t0
    details = it.get_input_details()
    specs = [(d["name"], tuple(int(s) for s in d["shape"]), np.dtype(d["dtype"])) for d in details]
    index = {d["name"]: d["index"] for d in details}

    def run(feeds: dict[str, np.ndarray]) -> None:
        for name, arr in feeds.items():
            it.set_tensor(index[name], arr)
        it.invoke()

    return load, run, specs


def make_runner(runtime: str, path: str, threads: int, mote_bytes: bytes | None = None) -> Runner:
    if runtime == "mote":
        return _mote_runner(mote_bytes if mote_bytes is not None else path, threads)
    if runtime == "onnxruntime":
        return _ort_runner(path, threads)
    if runtime == "litert":
        return _litert_runner(path, threads)
    raise ValueError(f"unknown runtime {runtime!r}; choose from mote, {', '.join(PEERS)}")


def random_feeds(specs: Sequence[tuple[str, tuple[int, ...], np.dtype]], seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    feeds = {}
    for name, shape, dtype in specs:
        if dtype.kind == "f":
            feeds[name] = rng.standard_normal(shape).astype(dtype)
        elif dtype.kind == "b":
            feeds[name] = rng.integers(0, 2, size=shape).astype(dtype)
        else:  # token ids, indices: small non-negative values are valid for every model here
            feeds[name] = rng.integers(0, 2, size=shape).astype(dtype)
    return feeds


def time_interleaved(runs: dict[str, Callable[[], Any]], n: int, warmup: int = 5, block: int = 5,
                     pause: float = 0.0) -> dict[str, list[float]]:
    """Run each callable `warmup` times, then alternate blocks of `block` timed runs until each
    has `n`; returns seconds per run. `pause` seconds between blocks let another runtime's
    spinning worker threads go to sleep before the next one is timed."""
    times: dict[str, list[float]] = {k: [] for k in runs}
    while any(len(v) < n for v in times.values()):
        for name, fn in runs.items():
            if pause:
                time.sleep(pause)
            if not times[name]:
                for _ in range(warmup):
                    fn()
            for _ in range(min(block, n - len(times[name]))):
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
    return times


# peak RSS from /proc (VmHWM starts afresh at exec; ru_maxrss would carry the forking
# parent's high-water mark into the child)
_RSS_CHILD = r"""
import json, resource, sys
def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.path[:0] = json.loads(sys.argv[4])
import numpy as np
runtime, path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
from mote.converter.bench import make_runner, random_feeds
base = peak_kb()
load, run, specs = make_runner(runtime, path, threads)
feeds = random_feeds(specs)
for _ in range(3):
    run(feeds)
print(json.dumps({"peak_kb": peak_kb(), "base_kb": base}))
"""


def peak_rss_mb(runtime: str, path: str, threads: int) -> float | None:
    """Peak RSS (MiB) of a fresh Python process that loads `path` on `runtime` and runs it 3
    times (Python + numpy included: compare runtimes with each other, not with zero)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", _RSS_CHILD, runtime, path, str(threads), json.dumps(sys.path)],
                          capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])["peak_kb"] / 1024.0


def bench(model_path: str | Path, peers: Sequence[str] = (), threads: int = 1, runs: int = 30, warmup: int = 5,
          rss: bool = True, mote_path: str | Path | None = None, delegate: str | None = None,
          delegate_options: dict[str, Any] | None = None) -> BenchResult:
    """Time mote on `model_path` (a .mote, or a source model converted here) against `peers`
    running the source model. `delegate` runs mote's side through a GPU delegate (its peak RSS
    is then not measured)."""
    from .api import convert

    model_path = str(model_path)
    kind = source_kind(model_path)
    if kind == "mote":
        if peers:
            raise ValueError("peers run the source model: give the .onnx or .tflite file, not the .mote")
        mote_bytes = Path(model_path).read_bytes()
    elif mote_path is not None:
        mote_bytes = Path(mote_path).read_bytes()
    else:
        mote_bytes = convert(model_path)
    for p in peers:
        if p not in PEERS:
            raise ValueError(f"unknown peer {p!r}; choose from {', '.join(PEERS)}")
        if p != peer_for(model_path):
            raise ValueError(f"{p} does not run {Path(model_path).suffix} files (use {peer_for(model_path)})")
    if delegate:
        runners = {"mote": _mote_runner(mote_bytes, threads, delegate=delegate, delegate_options=delegate_options)}
    else:
        runners = {"mote": make_runner("mote", model_path, threads, mote_bytes)}
    for p in peers:
        runners[p] = make_runner(p, model_path, threads)
    base = random_feeds(runners["mote"][2])
    base_list = list(base.values())
    calls = {}
    for name, (_, run, specs) in runners.items():
        # the same data everywhere: by input name, else by position (TFLite signature names)
        feeds = {n: (base[n] if n in base else base_list[i]).reshape(shape) for i, (n, shape, _) in enumerate(specs)}
        calls[name] = (lambda r=run, f=feeds: r(f))
    # with several threads each runtime's idle workers spin for a while after a run (ONNX Runtime's
    # for milliseconds): longer blocks with a pause between them keep them off the other's cores
    times = time_interleaved(calls, runs, warmup, block=5 if threads == 1 else 10, pause=0.0 if threads == 1 else 0.2)
    result = BenchResult(Path(model_path).name, threads)
    tmp_mote = None
    for name, ts in times.items():
        ms = sorted(t * 1e3 for t in ts)
        timing = Timing(name, statistics.median(ms), ms[len(ms) // 10], ms[min(len(ms) - 1, (9 * len(ms)) // 10)],
                        len(ms), load_ms=runners[name][0] * 1e3)
        if rss and not (delegate and name == "mote"):
            target = model_path
            if name == "mote":
                if kind == "mote":
                    target = model_path
                else:
                    import tempfile

                    tmp_mote = tempfile.NamedTemporaryFile(suffix=".mote", delete=False)
                    tmp_mote.write(mote_bytes)
                    tmp_mote.close()
                    target = tmp_mote.name
            timing.peak_rss_mb = peak_rss_mb(name, target, threads)
        result.timings.append(timing)
    if tmp_mote is not None:
        os.unlink(tmp_mote.name)
    return result


def format_result(r: BenchResult) -> str:
    lines = [f"{r.model}: {r.threads} thread(s)"]
    for t in r.timings:
        ratio = "" if t.runtime == "mote" else f"   mote/{t.runtime} = {r.ratio(t.runtime):.2f}"
        rss = f", peak RSS {t.peak_rss_mb:.0f} MiB" if t.peak_rss_mb is not None else ""
        load = f", load {t.load_ms:.1f} ms" if t.load_ms is not None else ""
        lines.append(f"  {t.runtime:12s} median {t.median_ms:8.3f} ms (p10 {t.p10_ms:.3f}, p90 {t.p90_ms:.3f}, "
                     f"{t.runs} runs){load}{rss}{ratio}")
    return "\n".join(lines)
