"""Run every ONNX node test of the ops mote claims and report, per op, what passes and why
the rest fail; `--write` regenerates enabled.txt from the passes.

    python tests/onnx_node/survey.py [--write] [--op Resize ...] [-v]

The claimed ops are the ONNX op types the converter's registry handles. A test belongs to the
op of its (non-expanded) node; a function-expanded test (`*_expanded*`) belongs to the same op,
and is also run for an unclaimed op when mote claims every op in its body (ops the importer
folds at convert time, such as Shape of a static tensor, need no claim).

Each test is tried as given (every input a runtime input); if that fails, with the integer and
bool inputs frozen to initializers, then with only the first input left dynamic (see
node_runner.py); a case whose reference data is written with few digits may pass with onnx's
bound only (`tol:onnx`, listed in the output). Cases run in worker subprocesses so that a
crash or a hang in libmote costs one test, not the survey.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import enabled_list  # noqa: E402
from node_data import UnsupportedCase, base_name, ensure_data, load_case, op_types  # noqa: E402

PER_TEST_TIMEOUT_S = 60
# ops the ONNX importer evaluates itself (constant folding) rather than through a handler
FOLDED = {"Constant"}


def claimed_ops() -> set[str]:
    from mote.converter.importers.onnx.registry import HANDLERS

    return set(HANDLERS)


def variants(case) -> list[tuple[str, ...] | None]:
    """Input sets to try, the least frozen first."""
    import numpy as np

    names = [vi.name for vi in case.model.graph.input]
    out: list[tuple[str, ...] | None] = [None]
    floats = tuple(n for n, v in zip(names, case.inputs) if np.issubdtype(v.dtype, np.floating))
    if floats and len(floats) < len(names):
        out.append(floats)
    if len(names) > 1 and names[:1] != list(floats):
        out.append(tuple(names[:1]))
    return out


def worker(node_dir: Path, names: list[str]) -> None:
    """Child process: one JSON line per test on stdout ("start" first, so a crash is blamed)."""
    from node_runner import CaseFailure, run_case

    for name in names:
        print(json.dumps({"start": name}), flush=True)
        try:
            case = load_case(node_dir, name)
        except UnsupportedCase as e:
            print(json.dumps({"name": name, "ok": False, "reason": f"setup: {e}"}), flush=True)
            continue
        result = None
        reason = ""  # the most frozen variant's: it comes closest to passing
        near_misses = []  # variants that failed only mote's float bound
        for dyn in variants(case):
            try:
                run_case(case, dyn)
            except CaseFailure as e:
                reason = str(e)
                if e.stage == "compare":
                    near_misses.append(dyn)
                continue
            except Exception as e:  # noqa: BLE001  (a harness or converter bug: report it)
                reason = f"error: {type(e).__name__}: {e}"
                continue
            result = {"name": name, "ok": True, "dynamic": list(dyn) if dyn is not None else None, "onnx_tol": False}
            break
        for dyn in near_misses if result is None else []:
            try:
                run_case(case, dyn, onnx_tol=True)
            except Exception:  # noqa: BLE001
                continue
            result = {"name": name, "ok": True, "dynamic": list(dyn) if dyn is not None else None, "onnx_tol": True,
                      "strict_failure": reason}
            break
        if result is None:
            result = {"name": name, "ok": False, "reason": reason}
        print(json.dumps(result), flush=True)


def run_all(node_dir: Path, names: list[str], jobs: int) -> dict[str, dict]:
    """Run `names` in `jobs` worker processes; a worker that crashes or hangs is replaced and
    the test it was on is recorded as a crash or a hang."""
    results: dict[str, dict] = {}
    lock = threading.Lock()

    def drive(todo: list[str]) -> None:
        while todo:
            proc = subprocess.Popen([sys.executable, __file__, "--worker", str(node_dir), *todo],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            lines: queue.Queue = queue.Queue()
            threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
            started, done = None, set()
            while True:
                try:
                    line = lines.get(timeout=PER_TEST_TIMEOUT_S)
                except queue.Empty:
                    proc.kill()
                    with lock:
                        results[started or todo[0]] = {"name": started or todo[0], "ok": False,
                                                       "reason": f"hang: no result in {PER_TEST_TIMEOUT_S} s"}
                    done.add(started or todo[0])
                    break
                if line is None:
                    break
                msg = json.loads(line)
                if "start" in msg:
                    started = msg["start"]
                else:
                    with lock:
                        results[msg["name"]] = msg
                    done.add(msg["name"])
            proc.wait()
            if started is not None and started not in done:
                why = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
                with lock:
                    results[started] = {"name": started, "ok": False, "reason": f"crash: worker died ({why})"}
                done.add(started)
            todo = [n for n in todo if n not in done]

    threads = [threading.Thread(target=drive, args=(names[i::jobs],)) for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def classify(node_dir: Path, names: list[str], claimed: set[str]) -> dict[str, str]:
    """test name -> the op it tests, for the tests this survey runs."""
    import onnx

    def ops_of(name: str) -> list[str]:
        return op_types(onnx.load(str(node_dir / name / "model.onnx"), load_external_data=False))

    chosen = {}
    for name in names:
        base = base_name(name)
        base_ops = ops_of(base) if (node_dir / base).is_dir() else ops_of(name)
        op = base_ops[0] if len(base_ops) == 1 else "/".join(sorted(set(base_ops)))
        # a function-expanded test counts for its op, and for the survey also when mote claims
        # every op of the body (it then tests an op mote lacks through ones it has)
        if op not in claimed and (name == base or not set(ops_of(name)) <= claimed | FOLDED):
            continue
        chosen[name] = op
    return chosen


def short_reason(reason: str) -> str:
    return reason if len(reason) <= 200 else reason[:197] + "..."


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="rewrite enabled.txt with the passing tests")
    ap.add_argument("--op", action="append", help="survey only these op types")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", type=Path, help="also write every result to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every failing test with its reason")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1:])
        return 0

    import onnx

    node_dir = ensure_data()
    every = sorted(p.name for p in node_dir.iterdir() if (p / "model.onnx").is_file())
    claimed = claimed_ops()
    chosen = classify(node_dir, every, claimed)
    if args.op:
        chosen = {n: op for n, op in chosen.items() if op in args.op}
    t0 = time.monotonic()
    results = run_all(node_dir, sorted(chosen), args.jobs)

    by_op: dict[str, list[dict]] = collections.defaultdict(list)
    for name, op in chosen.items():
        by_op[op].append(results[name])
    passed = [r for r in results.values() if r["ok"]]
    own = [n for n, op in chosen.items() if op in claimed]
    own_ok = sum(results[n]["ok"] for n in own)
    extra = len(chosen) - len(own)
    print(f"onnx {onnx.__version__}: {len(every)} node tests. {len(own)} test the {len(claimed)} ops mote claims "
          f"(their function-expanded variants included): {own_ok} pass. {extra} function-expanded tests of other "
          f"ops whose body mote claims: {len(passed) - own_ok} pass. Enabled: {len(passed)} "
          f"({time.monotonic() - t0:.0f} s)\n")
    for op in sorted(by_op):
        rs = sorted(by_op[op], key=lambda r: r["name"])
        ok = sum(r["ok"] for r in rs)
        print(f"{op}: {ok}/{len(rs)}")
        for r in rs:
            if r["ok"] and r["onnx_tol"]:
                print(f"    (passes onnx's bound, not mote's) {r['name']}: {short_reason(r['strict_failure'])}")
        reasons = collections.Counter(_reason_key(r["reason"]) for r in rs if not r["ok"])
        for why, n in reasons.most_common():
            print(f"    {n:3d} x {short_reason(why)}")
        if args.verbose:
            for r in rs:
                if not r["ok"]:
                    print(f"      {r['name']}: {short_reason(r['reason'])}")
    unclaimed = sorted(set(claimed) - set(by_op))
    if unclaimed and not args.op:
        print(f"\nclaimed ops with no node test: {', '.join(unclaimed)}")
    if args.json:
        args.json.write_text(json.dumps({"chosen": chosen, "results": results}, indent=1, sort_keys=True))
    if args.write:
        write_enabled(by_op, len(every), len(own), own_ok)
        print(f"\nwrote {enabled_list.ENABLED} ({len(passed)} tests)")
    return 0


def _reason_key(reason: str) -> str:
    """Group failures that differ only in numbers and names."""
    import re

    key = re.sub(r"'[^']*'", "'…'", reason)
    key = re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", key)
    return key


def write_enabled(by_op: dict[str, list[dict]], total: int, own: int, own_ok: int) -> None:
    import onnx

    ok_total = sum(r["ok"] for rs in by_op.values() for r in rs)
    lines = [
        "# ONNX backend node tests that mote passes; tests/onnx_node/test_onnx_node.py runs them.",
        f"# Generated by `python tests/onnx_node/survey.py --write` (onnx {onnx.__version__}, {total} node tests):",
        f"# {own_ok} of the {own} tests of the ops mote claims pass, and {ok_total - own_ok} function-expanded tests",
        f"# of other ops whose body mote claims; {ok_total} enabled.",
        "# `input:NAME` keeps only the named inputs dynamic; the others become initializers (node_runner.py).",
        "# `tol:onnx`: floats checked with onnx's bound only (reference data written with four digits).",
        "# Excluded tests follow each op's entries as comments, with the reason.",
    ]
    for op in sorted(by_op):
        rs = sorted(by_op[op], key=lambda r: r["name"])
        lines.append("")
        lines.append(f"# {op}: {sum(r['ok'] for r in rs)}/{len(rs)}")
        for r in rs:
            if r["ok"]:
                dyn = tuple(r["dynamic"]) if r["dynamic"] is not None else None
                lines.append(enabled_list.Entry(r["name"], dyn, r["onnx_tol"]).line())
        for r in rs:
            if not r["ok"]:
                lines.append(f"#  excluded {r['name']}: {short_reason(r['reason'])}")
    enabled_list.ENABLED.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
