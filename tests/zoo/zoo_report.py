"""Print the zoo's figures (issue 3's closing note): per model, whether it converts, the worst
max |mote - ORT| / max |ORT| over outputs, mote's op count and Transposes left, or the failure.

    python tests/zoo/zoo_report.py [name ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zoo_export import compare, export, ort_run  # noqa: E402
from zoo_models import zoo_specs  # noqa: E402


def main(names: list[str]) -> int:
    import mote
    from mote.converter import convert

    specs = zoo_specs()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(specs):
            spec = specs[name]
            t0 = time.perf_counter()
            try:
                path = Path(tmp) / f"{name}.onnx"
                model = export(name, spec, path)
                expected = ort_run(path, spec.inputs)
                t1 = time.perf_counter()
                data = bytes(convert(model))
                t2 = time.perf_counter()
                with mote.load(data) as m:
                    got = m.run(dict(spec.inputs))
                r = compare(name, data, expected, got)
            except Exception as e:  # the report names every failure and goes on
                failed += 1
                print(f"{name:28s} FAILED  {type(e).__name__}: {e}", flush=True)
                continue
            refs = ", ".join(f"{k} |d| {d:.2e} / |ref| {p:.3g}" for k, (d, p) in r.per_output.items())
            mix = ", ".join(f"{k} {v}" for k, v in sorted(r.ops.counts.items(), key=lambda kv: -kv[1]))
            print(f"{name:28s} ok  ratio {r.worst_ratio:.2e}  ops {r.ops.total:4d}  "
                  f"transposes inside {len(r.ops.inner_transposes)} (+{r.ops.boundary_transposes} at inputs/outputs)  "
                  f"(export+ORT {t1 - t0:.1f}s, convert {t2 - t1:.1f}s)\n    {refs}\n    {mix}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
