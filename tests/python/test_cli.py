"""The `mote` command line, run as a subprocess like a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_outputs_close, ort_run

import mote


def mote_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mote.converter.cli", *map(str, args)],
                          check=False, capture_output=True, text=True, cwd=cwd, timeout=300)


def assert_user_error(r: subprocess.CompletedProcess, *fragments: str) -> None:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("mote: error: "), r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    for f in fragments:
        assert f in r.stderr, (f, r.stderr)


@pytest.mark.parametrize("cmd", [[], ["convert"], ["run"], ["inspect"], ["bench"]])
def test_help(cmd):
    r = mote_cli(*cmd, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: mote"), r.stdout
    if not cmd:
        for sub in ("convert", "run", "inspect"):
            assert sub in r.stdout


def test_version():
    r = mote_cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"mote {mote.__version__}"


def test_no_command_is_a_usage_error():
    r = mote_cli()
    assert r.returncode == 2 and "usage: mote" in r.stderr


def test_convert_then_run(cnn, tmp_path, rng):
    out = tmp_path / "cnn.mote"
    r = mote_cli("convert", cnn.onnx_path, "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.is_file()
    line = r.stdout.strip()
    assert len(line.splitlines()) == 1, line
    assert str(out) in line and " ops" in line and "arena" in line, line

    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    out_dir = tmp_path / "outs"
    r = mote_cli("run", out, "--input", f"x={tmp_path / 'x.npy'}", "--output-dir", out_dir)
    assert r.returncode == 0, r.stderr
    assert "probs: (1, 10) float32" in r.stdout
    assert "argmax=" in r.stdout and "top5" in r.stdout
    got = np.load(out_dir / "probs.npy")
    assert_outputs_close({"probs": got}, ort_run(cnn.onnx_model, {"x": x}))
    assert f"argmax={int(np.argmax(got))}" in r.stdout


def test_convert_default_output_name(affine, tmp_path):
    src = tmp_path / "net.onnx"
    src.write_bytes(affine.onnx_path.read_bytes())
    r = mote_cli("convert", src)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "net.mote").is_file()


def test_convert_input_shape(dynamic_onnx, tmp_path):
    out = tmp_path / "fixed.mote"
    r = mote_cli("convert", dynamic_onnx, "-o", out, "--input-shape", "x=3x4")
    assert r.returncode == 0, r.stderr
    with mote.load(out) as model:
        assert model.inputs[0].shape == (3, 4)
        x = np.arange(12, dtype=np.float32).reshape(3, 4)
        np.testing.assert_array_equal(model.run(x)["y"], x + 1)


def test_run_single_input_without_name(affine, tmp_path, rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    r = mote_cli("run", affine.path, "--input", tmp_path / "in.npy", "--output-dir", tmp_path, "--threads", "2")
    assert r.returncode == 0, r.stderr
    assert "y: (1, 3, 8, 8) float32" in r.stdout
    assert "argmax" not in r.stdout  # not a vector
    assert_outputs_close({"y": np.load(tmp_path / "y.npy")}, ort_run(affine.onnx_model, {"x": x}))


def test_run_random_when_no_input(binary):
    r = mote_cli("run", binary.path)
    assert r.returncode == 0, r.stderr
    assert "random" in r.stdout
    assert "sum: (2, 3) float32" in r.stdout and "prod: (2, 3) float32" in r.stdout
    assert "min=" in r.stdout and "mean=" in r.stdout


def test_run_casts_float64_npy_with_a_note(affine, tmp_path):
    np.save(tmp_path / "x64.npy", np.zeros((1, 3, 8, 8)))
    r = mote_cli("run", affine.path, "--input", f"x={tmp_path / 'x64.npy'}")
    assert r.returncode == 0, r.stderr
    assert "casting float64" in r.stderr


def test_inspect(cnn):
    r = mote_cli("inspect", cnn.path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for fragment in ("operators", "tensors:", "arena:", "inputs:", "x: (1, 3, 8, 8) float32", "outputs:",
                     "probs: (1, 10) float32", "metadata:", "converter_version"):
        assert fragment in out, (fragment, out)


def test_bench(affine):
    r = mote_cli("bench", affine.path, "--iterations", "5", "--warmup", "1")
    assert r.returncode == 0, r.stderr
    assert "median" in r.stdout and "5 runs" in r.stdout


# -- errors: one line on stderr, exit status 1 ----------------------------


def test_error_missing_model(tmp_path):
    assert_user_error(mote_cli("run", tmp_path / "none.mote"), "none.mote")
    assert_user_error(mote_cli("inspect", tmp_path / "none.mote"), "none.mote")
    assert_user_error(mote_cli("convert", tmp_path / "none.onnx"), "none.onnx")


def test_error_garbage_model(tmp_path):
    bad = tmp_path / "bad.mote"
    bad.write_bytes(b"garbage" * 20)
    assert_user_error(mote_cli("run", bad), "MOTE_ERROR_INVALID_MODEL")
    assert_user_error(mote_cli("inspect", bad), "MOTE_ERROR_INVALID_MODEL")


def test_error_convert_not_onnx(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a protobuf at all \xff\xfe" * 5)
    assert_user_error(mote_cli("convert", bad, "-o", tmp_path / "bad.mote"))


def test_error_wrong_input_shape(affine, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((1, 3, 8, 9), np.float32))
    assert_user_error(mote_cli("run", affine.path, "--input", f"x={tmp_path / 'x.npy'}"),
                      "input 'x' expects shape (1, 3, 8, 8), got (1, 3, 8, 9)")


def test_error_unknown_input_name(binary, tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((2, 3), np.float32))
    assert_user_error(mote_cli("run", binary.path, "--input", f"c={tmp_path / 'a.npy'}"), "no input named 'c'")
    assert_user_error(mote_cli("run", binary.path, "--input", f"a={tmp_path / 'a.npy'}"), "missing --input for b")


def test_error_missing_input_file(affine, tmp_path):
    assert_user_error(mote_cli("run", affine.path, "--input", f"x={tmp_path / 'nope.npy'}"), "nope.npy")


def test_error_bad_input_shape_flag(affine):
    assert_user_error(mote_cli("convert", affine.onnx_path, "--input-shape", "x=1xAx3"), "bad shape")


def test_output_names_are_sanitised():
    from mote.converter.cli import safe_filename

    assert safe_filename("a/b:0") == "a_b_0"
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename("") == "output"
