"""`mote.kernel_info()` / `mote inspect --kernels`: the CPU features libmote detected, the
MOTE_ISA cap, and the kernel each op family runs on; the portable set under MOTE_ISA=scalar."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from model_zoo import lenet

import mote
from mote.converter import convert


def test_kernel_info_names_a_kernel_per_family():
    info = mote.kernel_info()
    lines = dict(line.split(": ", 1) for line in info.strip().splitlines())
    assert set(lines) >= {"cpu features", "CONV_2D, FULLY_CONNECTED, BATCH_MATMUL", "DEPTHWISE_CONV_2D"}
    assert lines["CONV_2D, FULLY_CONNECTED, BATCH_MATMUL"].startswith("f32-gemm-")


def test_scalar_cap_in_a_fresh_process():
    env = dict(os.environ, MOTE_ISA="scalar")
    out = subprocess.run([sys.executable, "-c", "import mote; print(mote.kernel_info())"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "used (MOTE_ISA=scalar): none (portable C)" in out, out
    assert "f32-gemm-4x8-scalar" in out and "f32-dwconv-c4-scalar" in out, out


def test_inspect_kernels_counts_the_models_ops(tmp_path):
    path = tmp_path / "lenet.mote"
    convert(lenet(np.random.default_rng(0)), path)
    out = subprocess.run([sys.executable, "-m", "mote.converter.cli", "inspect", "--kernels", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert "kernels on this machine:" in out
    conv_line = next(line for line in out.splitlines() if "x CONV_2D" in line)
    assert conv_line.split()[0] == "2" and "f32-gemm-" in conv_line, out
