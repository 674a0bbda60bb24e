"""Long importer fuzz run (by hand, not in CI): N mutated inputs per importer, one process.

    python tests/fuzz/run_long.py --count 100000 [--which onnx tflite] [--start 0] [--out DIR]

Input i of an importer is mutate_<importer>(seed i % len(seeds), random.Random(i)), so every
finding is reproduced from its index alone. Prints the outcome counts and every distinct bug
(exception type and innermost frame), and writes each bug's first input to --out.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402


def run(which: str, count: int, start: int, out: Path | None) -> int:
    if which == "onnx":
        pool, fn = seeds.onnx_seeds(), mutate.mutate_onnx
    else:
        pool, fn = seeds.tflite_seeds(), mutate.mutate_tflite
    outcomes: collections.Counter = collections.Counter()
    bugs: dict[tuple[str, str], list] = {}
    t0 = time.time()
    for i in range(start, start + count):
        data = fn(pool[i % len(pool)], random.Random(i))
        try:
            outcomes[harness.check(data)] += 1
        except harness.ImporterBug as e:
            outcomes["bug"] += 1
            cause = e.__cause__
            frames = traceback.extract_tb(cause.__traceback__) if cause is not None else []
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            key = (str(e).split(":")[0], where)
            if key not in bugs:
                bugs[key] = [0, i, str(e)[:300]]
                if out is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    (out / f"{which}-{i}.bin").write_bytes(data)
            bugs[key][0] += 1
        done = i - start + 1
        if done % 10000 == 0:
            print(f"{which}: {done} inputs, {time.time() - t0:.0f} s, {dict(outcomes)}", flush=True)
    print(f"{which}: {count} inputs (indices {start}..{start + count - 1}) in {time.time() - t0:.0f} s: "
          f"{dict(outcomes)}; {len(bugs)} distinct bug(s)", flush=True)
    for (kind, where), (n, first, msg) in sorted(bugs.items(), key=lambda kv: -kv[1][0]):
        print(f"  {n}x {kind} at {where}, first input {first}: {msg}", flush=True)
    return len(bugs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--which", nargs="+", choices=["onnx", "tflite"], default=["onnx", "tflite"])
    ap.add_argument("--out", type=Path, default=None, help="write each distinct bug's first input here")
    args = ap.parse_args()
    found = sum(run(w, args.count, args.start, args.out) for w in args.which)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
