"""`mote run / inspect / bench --delegate vulkan` on lavapipe."""

from __future__ import annotations

import numpy as np
import pytest
from model_zoo import lenet

import mote
from mote.converter.cli import main

LAVAPIPE = ["--delegate", "vulkan", "--delegate-option", "allow_cpu_device=true"]


@pytest.fixture(scope="module")
def lenet_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli_vk") / "lenet.mote"
    path.write_bytes(bytes(mote.convert(lenet(np.random.default_rng(3)))))
    return str(path)


def test_run_on_vulkan_writes_the_cpu_result(lenet_file, tmp_path, capsys, vulkan_device) -> None:
    assert main(["run", lenet_file, "--output-dir", str(tmp_path / "cpu")]) == 0
    assert main(["run", lenet_file, "--output-dir", str(tmp_path / "gpu"), *LAVAPIPE]) == 0
    out = capsys.readouterr().out
    assert "placement: vulkan (" in out and "8 of 8 ops in 1 partition" in out
    a, b = np.load(tmp_path / "cpu" / "logits.npy"), np.load(tmp_path / "gpu" / "logits.npy")
    assert np.abs(a - b).max() <= 1e-4 * np.abs(a).max()


def test_inspect_shows_where_each_op_runs(lenet_file, capsys, vulkan_device) -> None:
    assert main(["inspect", lenet_file, *LAVAPIPE]) == 0
    lines = capsys.readouterr().out.splitlines()
    ops = [line for line in lines if line.strip()[:1].isdigit() and ("gpu " in line or "cpu " in line)]
    assert len(ops) == 8 and all(" gpu  " in line for line in ops), lines


def test_bench_on_vulkan(lenet_file, capsys, vulkan_device) -> None:
    assert main(["bench", lenet_file, "--iterations", "3", "--warmup", "1", *LAVAPIPE]) == 0
    out = capsys.readouterr().out
    assert "placement: vulkan" in out and "median" in out


@pytest.mark.parametrize("argv, message", [
    (["--delegate-option", "required=true"], "needs --delegate"),
    (["--delegate", "vulkan", "--delegate-option", "required"], "KEY=VALUE"),
    (["--delegate", "vulkan", "--delegate-option", "colour=blue"], "unknown delegate option 'colour'"),
    (["--delegate", "vulkan", "--delegate-option", "min_ops=many"], "takes an integer"),
    (["--delegate", "vulkan", "--delegate-option", "required=maybe"], "takes true or false"),
])
def test_bad_delegate_flags(lenet_file, capsys, argv, message) -> None:
    assert main(["run", lenet_file, *argv]) == 1
    assert message in capsys.readouterr().err
