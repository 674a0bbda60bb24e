"""`mote run/bench --input-shape` and what `mote inspect` says about the op mix and fusions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_outputs_close, convert, ort_run
from test_cli import assert_user_error, mote_cli
from test_resize import fcn_model, flatten_gemm_model


@pytest.fixture(scope="module")
def fcn_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("resize_cli") / "fcn.mote"
    path.write_bytes(convert(fcn_model(), input_shapes={"x": (1, 3, 16, 16)}))
    return path


def test_run_with_input_shape(fcn_path, tmp_path, rng):
    x = rng.standard_normal((2, 3, 20, 12)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    r = mote_cli("run", fcn_path, "--input-shape", "x=2x3x20x12", "--input", f"x={tmp_path / 'x.npy'}",
                 "--output-dir", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert "probs: (2, 6, 5, 3) float32" in r.stdout and "ap: (2, 6, 5, 3) float32" in r.stdout, r.stdout
    got = {n: np.load(tmp_path / "out" / f"{n}.npy") for n in ("probs", "ap")}
    assert_outputs_close(got, ort_run(fcn_model(), {"x": x}))


def test_run_random_data_at_new_shape(fcn_path):
    r = mote_cli("run", fcn_path, "--input-shape", "x=1,3,9,9")
    assert r.returncode == 0, r.stderr
    assert "random data for 'x' (1, 3, 9, 9)" in r.stdout and "probs: (1, 6, 2, 2)" in r.stdout, r.stdout


def test_bench_with_input_shape(fcn_path):
    r = mote_cli("bench", fcn_path, "--iterations", "3", "--warmup", "1", "--input-shape", "x=1x3x32x32")
    assert r.returncode == 0, r.stderr
    assert "3 runs" in r.stdout


def test_run_input_shape_errors(fcn_path, tmp_path):
    assert_user_error(mote_cli("run", fcn_path, "--input-shape", "y=1x3x8x8"),
                      "--input-shape: the model has no input named 'y'; its inputs are: x")
    assert_user_error(mote_cli("run", fcn_path, "--input-shape", "x=1x3x8"), "has rank 4")
    assert_user_error(mote_cli("run", fcn_path, "--input-shape", "x=0x3x8x8"), "dimensions must be >= 1")
    np.save(tmp_path / "x.npy", np.zeros((1, 3, 10, 12), np.float32))
    assert_user_error(mote_cli("run", fcn_path, "--input", f"x={tmp_path / 'x.npy'}"),
                      "input 'x' expects shape (1, 3, 16, 16), got (1, 3, 10, 12)",
                      "--input-shape x=1x3x10x12")


def test_run_refused_shape(tmp_path):
    path = tmp_path / "fg.mote"
    path.write_bytes(convert(flatten_gemm_model(), input_shapes={"x": (1, 3, 8, 8)}))
    assert_user_error(mote_cli("run", path, "--input-shape", "x=1x3x10x10"),
                      "cannot resize input 0 ('x') to [1,3,10,10]", "cannot take that shape", "(node '")


def test_inspect_op_mix_and_fusions(fcn_path):
    r = mote_cli("inspect", fcn_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    start = lines.index("op mix (11 ops, 7 types):")
    mix = {ln.split()[0]: ln.split()[1:] for ln in lines[start + 1:start + 8]}
    assert mix["CONV_2D"][:3] == ["3", "fused:", "RELU"], mix
    assert mix["TRANSPOSE"] == ["3"] and mix["MAX_POOL_2D"] == ["1"], mix
    assert "fused activations: 1 of 11 ops (RELU x1)" in lines
    # the converter records what it fused: the Relu went into the conv
    assert "converter optimizations:" in r.stdout
    assert any("fused_activations" in ln and "Relu" in ln for ln in lines), r.stdout


def test_inspect_no_fusion(tmp_path):
    path = tmp_path / "fg.mote"
    path.write_bytes(convert(flatten_gemm_model(), input_shapes={"x": (1, 3, 8, 8)}, optimize=False))
    r = mote_cli("inspect", path)
    assert r.returncode == 0, r.stderr
    assert "fused activations: none" in r.stdout


def test_inspect_shows_recorded_optimizations(tmp_path):
    """A converter that records what it folded and fused under metadata 'optimizations' (JSON)."""
    from mote.converter.importers.onnx import import_onnx
    from mote.converter.lower import lower
    from mote.converter.passes import run_pipeline
    from mote.converter.planner import plan
    from mote.converter.writer import write

    graph = import_onnx(fcn_model(), {"x": (1, 3, 16, 16)})
    run_pipeline(graph, optimize=True)
    prog = lower(graph)
    plan(prog)
    prog.metadata["optimizations"] = json.dumps(
        {"fused_activations": ["Relu_1 into Conv_0"], "folded_affine": ["Mul_7 into Conv_6"], "constants_folded": 0})
    path = tmp_path / "opt.mote"
    path.write_bytes(write(prog))
    r = mote_cli("inspect", path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "converter optimizations:\n  fused_activations: Relu_1 into Conv_0\n" in out, out
    assert "  folded_affine: Mul_7 into Conv_6\n  constants_folded: 0\n" in out, out
    assert "optimizations: {" not in out  # not repeated raw under metadata
