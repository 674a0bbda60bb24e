"""Convert a .tflite model with mote and compare with LiteRT on the same random inputs."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from builder import input_names, litert_run
from helpers import ABS_FLOOR, REL, assert_exactly_equal, mote_run

MODEL_REL = 1e-4  # whole models; single ops use helpers.REL (1e-5)


def random_inputs(data: bytes, rng: np.random.Generator, scale: float = 1.0) -> dict[str, np.ndarray]:
    feeds = {}
    for name, shape, dtype in input_names(data):
        if dtype.kind == "f":
            feeds[name] = (scale * rng.standard_normal(shape)).astype(dtype)
        else:
            feeds[name] = rng.integers(0, 4, shape).astype(dtype)
    return feeds


def assert_close(got: Mapping[str, np.ndarray], ref: Mapping[str, np.ndarray], rel: float,
                 what: str = "mote vs LiteRT") -> float:
    """Names, shapes and dtypes equal; floats within rel × max|ref| (floor helpers.ABS_FLOOR), others
    exact. Returns the worst error relative to max|ref|."""
    assert set(got) == set(ref), f"output names {sorted(got)} != LiteRT's {sorted(ref)}"
    worst = 0.0
    for name, exp in ref.items():
        out = np.asarray(got[name])
        assert out.shape == exp.shape and out.dtype == exp.dtype, \
            f"output {name!r}: {out.shape} {out.dtype} != LiteRT's {exp.shape} {exp.dtype}"
        if exp.size == 0:
            continue
        if exp.dtype.kind != "f":
            assert_exactly_equal(out, exp, f"{what}: output {name!r}")
            continue
        peak = float(np.max(np.abs(exp)))
        diff = float(np.max(np.abs(out.astype(np.float64) - exp)))
        assert diff <= max(rel * peak, ABS_FLOOR), \
            f"{what}: output {name!r} {exp.shape}: max diff {diff:.3g} > {rel:g} x max|ref| {peak:.3g}"
        worst = max(worst, diff / peak if peak else diff)
    return worst


def check(data: bytes, rng: np.random.Generator, feeds: Mapping[str, np.ndarray] | None = None,
          rel: float = REL, **convert_kwargs) -> float:
    """mote's outputs equal LiteRT's within the bound; returns the worst relative error.

    The imported graph, after the converter's passes, is first run by the IR's numpy evaluator:
    a mismatch there is the importer's (or a pass's), one only after conversion is the runtime's."""
    from mote.converter import convert
    from mote.converter.evaluate import run_graph
    from mote.converter.importers.tflite import import_tflite
    from mote.converter.passes import run_pipeline

    feeds = dict(feeds) if feeds is not None else random_inputs(data, rng)
    ref = litert_run(data, feeds)
    graph = import_tflite(data, convert_kwargs.get("input_shapes"))
    run_pipeline(graph, optimize=convert_kwargs.get("optimize", True))
    assert_close(run_graph(graph, feeds), ref, rel, "IR (numpy) vs LiteRT")
    got = mote_run(convert(data, **convert_kwargs), feeds)
    return assert_close(got, ref, rel)
