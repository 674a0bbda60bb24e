"""Selective builds: `mote convert --emit-op-list` writes the op types a model uses; libmote built
with `-DMOTE_OPS=` that file runs the model (same outputs as the full build) and refuses a model
with another op, naming it; the selective library is smaller than the full one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from model_zoo import lenet, mlp

from mote.converter import convert

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import sys, numpy as np, mote
m = mote.load(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], list(m.run({m.inputs[0].name: x}).values())[0])
"""


def _stripped(lib: Path) -> int:
    out = subprocess.run([sys.executable, str(ROOT / "runtime_c" / "tools" / "report_size.py"), str(lib)],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split("stripped ")[1].split()[0])


def _build(tmp: Path, name: str, extra: list[str]) -> Path:
    build = tmp / name
    for cmd in (["cmake", "-S", str(ROOT / "runtime_c"), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                 "-DMOTE_BUILD_TESTS=OFF", *extra], ["cmake", "--build", str(build), "-j2", "--target", "mote"]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return next(build.glob("libmote.so*"))


def _run_with(lib: Path, model: Path, x: np.ndarray, tmp: Path) -> subprocess.CompletedProcess:
    np.save(tmp / "x.npy", x)
    return subprocess.run([sys.executable, "-c", _CHILD, str(model), str(tmp / "x.npy"), str(tmp / "y.npy")],
                          env=dict(os.environ, MOTE_LIBRARY=str(lib)), capture_output=True, text=True)


def test_selective_build_runs_its_model_and_refuses_others(tmp_path):
    rng = np.random.default_rng(1)
    model, other = tmp_path / "lenet.mote", tmp_path / "mlp.mote"
    ops_txt = tmp_path / "ops.txt"
    onnx_path = tmp_path / "lenet.onnx"
    onnx_path.write_bytes(lenet(rng).SerializeToString())
    proc = subprocess.run([sys.executable, "-m", "mote.converter.cli", "convert", str(onnx_path), "-o", str(model),
                           "--emit-op-list", str(ops_txt)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    ops = ops_txt.read_text().split()
    assert ops == sorted(ops) and "CONV_2D" in ops and "FULLY_CONNECTED" in ops and "SOFTMAX" not in ops, ops
    convert(mlp(rng), other)  # ends in a SOFTMAX, which lenet does not use

    full = _build(tmp_path, "full", [])
    small = _build(tmp_path, "small", [f"-DMOTE_OPS={ops_txt}"])
    x = rng.standard_normal((1, 1, 28, 28)).astype(np.float32)
    assert _run_with(full, model, x, tmp_path).returncode == 0
    want = np.load(tmp_path / "y.npy")
    proc = _run_with(small, model, x, tmp_path)
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), want)
    proc = _run_with(small, other, np.zeros((1, 20), np.float32), tmp_path)
    assert proc.returncode != 0
    assert "op SOFTMAX is not compiled into this build of libmote" in proc.stderr, proc.stderr[-2000:]
    assert _stripped(small) < 0.75 * _stripped(full)


def test_unknown_op_name_stops_the_configure_step(tmp_path):
    bad = tmp_path / "ops.txt"
    bad.write_text("CONV_2D\nCONV_3D\n")
    proc = subprocess.run(["cmake", "-S", str(ROOT / "runtime_c"), "-B", str(tmp_path / "b"),
                           "-DMOTE_BUILD_TESTS=OFF", f"-DMOTE_OPS={bad}"], capture_output=True, text=True)
    assert proc.returncode != 0 and "'CONV_3D'" in proc.stderr and "not an op of this libmote" in proc.stderr

