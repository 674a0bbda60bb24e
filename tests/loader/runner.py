"""Run corrupted variants in child processes; a crash or hang fails the variant, not pytest."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corrupt import Variant

CHILD = Path(__file__).with_name("child.py")
MAX_RESTARTS = 60  # after this many crashes / hangs, stop and report what was found
# path of a libmote built with -DMOTE_SANITIZE=ON: the children then run it under ASan + UBSan,
# so an out-of-bounds read that happens not to crash still fails its variant
SANITIZED_ENV = "MOTE_TEST_SANITIZED_LIBRARY"


def child_env() -> dict[str, str]:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHILD.parent), env.get("PYTHONPATH", "")]))
    lib = os.environ.get(SANITIZED_ENV)
    if lib:
        asan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True, check=True)
        env.update(
            MOTE_LIBRARY=lib,
            LD_PRELOAD=asan.stdout.strip(),
            ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:max_allocation_size_mb=3072",
            UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1",
        )
    return env


@dataclass
class Report:
    total: int = 0
    counts: Counter = field(default_factory=Counter)  # ok / rejected / failed / crashed / hung / untested
    failures: list[str] = field(default_factory=list)
    verdicts: dict[int, str] = field(default_factory=dict)

    def summary(self, title: str) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        return f"{title}: {self.total} variants: {parts}"


def _why(stderr: str) -> str:
    """The sanitizer's own line if there is one (the stack below it is noise here), else the tail."""
    for line in stderr.splitlines():
        if "runtime error:" in line or "ERROR: AddressSanitizer" in line or "Fatal Python error" in line:
            return line.strip()[:400]
    return stderr.strip()[-300:]


def _signal_name(rc: int) -> str:
    try:
        return signal.Signals(-rc).name
    except ValueError:
        return f"signal {-rc}"


def run_variants(variants: list[Variant], *, threads: int = 1, timeout_s: float = 240.0) -> Report:
    report = Report(total=len(variants))
    env = child_env()
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "variants.pkl"
        blob.write_bytes(pickle.dumps([v.data for v in variants], protocol=pickle.HIGHEST_PROTOCOL))
        start, restarts = 0, 0
        while start < len(variants):
            cmd = [sys.executable, str(CHILD), str(blob), str(start), str(threads)]
            hung = False
            try:
                proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout_s, env=env)
                stdout, stderr, rc = proc.stdout, proc.stderr, proc.returncode
            except subprocess.TimeoutExpired as e:
                stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
                stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
                rc, hung = None, True
            begun = None
            for line in stdout.splitlines():
                tag, _, rest = line.partition(" ")
                if tag == "B":
                    begun = int(rest)
                elif tag == "E":
                    idx_s, _, verdict = rest.partition(" ")
                    idx = int(idx_s)
                    report.verdicts[idx] = verdict
                    begun = None
                    if verdict == "ok":
                        report.counts["ok"] += 1
                    elif verdict.startswith("rej"):
                        report.counts["rejected"] += 1
                    else:
                        report.counts["failed"] += 1
                        report.failures.append(f"{variants[idx].id}: {verdict}")
            if rc == 0 and stdout.rstrip().endswith("DONE"):
                break
            if begun is None:  # died outside any variant: the harness itself is broken
                raise RuntimeError(f"corruption child failed (rc={rc}) outside a variant:\n{stderr[-3000:]}")
            hung = hung or rc == -signal.SIGALRM
            what = "hung" if hung else ("crashed" if rc is not None and rc < 0 else "exited")
            how = "time limit" if hung else (_signal_name(rc) if rc < 0 else f"exit code {rc}")
            report.counts[what] += 1
            report.verdicts[begun] = what
            report.failures.append(f"{variants[begun].id}: child {what} ({how}): {_why(stderr)}")
            start = begun + 1
            restarts += 1
            if restarts >= MAX_RESTARTS:
                report.counts["untested"] += len(variants) - start
                report.failures.append(f"stopped after {restarts} crashes/hangs; {len(variants) - start} untested")
                break
    return report
