"""Without Vulkan, everything still loads and runs on the CPU: libvulkan hidden (a directory
of empty libvulkan files first on LD_LIBRARY_PATH, so the real loader is never reached), a
loader without drivers, only a CPU-type device, a library that is not a Vulkan loader. Each
case warns once and gives the CPU's results; `required=True` raises instead."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers import make_model
from model_zoo import lenet, mlp, mobilenet_block, two_in_two_out
from onnx import helper

import mote

CHILD = textwrap.dedent("""
    import json, sys, warnings
    import numpy as np
    import mote
    out = {"warnings": [], "reports": [], "outputs": []}
    for path in sys.argv[2:]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m = mote.load(path, delegate="vulkan", delegate_options=json.loads(sys.argv[1]))
        out["warnings"] += [str(w.message) for w in caught]
        out["reports"].append(m.delegate_report)
        rng = np.random.default_rng(0)
        feeds = {s.name: rng.standard_normal(s.shape).astype(s.dtype) for s in m.inputs}
        out["outputs"].append({k: v.tolist() for k, v in m.run(feeds).items()})
    print(json.dumps(out))
""")


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("novk_models")
    rng = np.random.default_rng(5)
    models = [lenet(rng), mlp(rng), mobilenet_block(rng), two_in_two_out(rng),
              make_model([helper.make_node("Resize", ["x", "", "scales"], ["y"], mode="linear")],
                         {"x": (1, 3, 4, 4)}, ["y"], {"scales": np.array([1, 1, 2, 2], np.float32)})]
    paths = []
    for i, m in enumerate(models):
        p = folder / f"m{i}.mote"
        p.write_bytes(bytes(mote.convert(m)))
        paths.append(p)
    return paths


def _cpu_outputs(paths: list[Path]) -> list[dict]:
    res = []
    for p in paths:
        m = mote.load(p)
        rng = np.random.default_rng(0)
        feeds = {s.name: rng.standard_normal(s.shape).astype(s.dtype) for s in m.inputs}
        res.append({k: v.tolist() for k, v in m.run(feeds).items()})
    return res


def _run_child(paths: list[Path], options: dict, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-c", CHILD, json.dumps(options), *map(str, paths)], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hidden_vulkan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """LD_LIBRARY_PATH whose libvulkan files are empty: dlopen finds them first and fails."""
    folder = tmp_path_factory.mktemp("no_vulkan")
    for name in ("libvulkan.so.1", "libvulkan.so"):
        (folder / name).write_bytes(b"")
    prev = os.environ.get("LD_LIBRARY_PATH")
    return {"LD_LIBRARY_PATH": f"{folder}{os.pathsep + prev if prev else ''}"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="hides libvulkan through the ELF loader")
def test_hidden_libvulkan_runs_every_model_on_the_cpu(model_files, hidden_vulkan) -> None:
    r = _run_child(model_files, {"allow_cpu_device": True}, hidden_vulkan)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert all(rep.startswith("cpu: all") for rep in out["reports"]), out["reports"]
    # a warning per model, saying what is missing and how to fix it
    assert len(out["warnings"]) == len(model_files) and len(set(out["warnings"])) == 1, out["warnings"]
    assert "could not load libvulkan" in out["warnings"][0] and "running on the CPU" in out["warnings"][0]
    assert "mesa-vulkan-drivers" in out["warnings"][0]
    assert out["outputs"] == _cpu_outputs(model_files)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="hides libvulkan through the ELF loader")
def test_hidden_libvulkan_required_raises(model_files, hidden_vulkan) -> None:
    r = _run_child(model_files[:1], {"allow_cpu_device": True, "required": True}, hidden_vulkan)
    assert r.returncode != 0
    assert "MoteError" in r.stderr and "MOTE_ERROR_UNSUPPORTED" in r.stderr and "libvulkan" in r.stderr


def _lavapipe_icd() -> str:
    icds = sorted(glob.glob("/usr/share/vulkan/icd.d/lvp_icd*.json"))
    if not icds:
        pytest.fail("Mesa's lavapipe ICD (mesa-vulkan-drivers) is not installed")
    return icds[0]


def test_loader_without_driver(model_files) -> None:
    r = _run_child(model_files[:2], {"allow_cpu_device": True}, {"VK_ICD_FILENAMES": "/nonexistent/icd.json",
                                                                 "VK_DRIVER_FILES": "/nonexistent/icd.json"})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert all(rep.startswith("cpu: all") for rep in out["reports"])
    assert len(out["warnings"]) == 2 and "running on the CPU" in out["warnings"][0]
    assert out["outputs"] == _cpu_outputs(model_files[:2])


def test_cpu_type_device_needs_permission(model_files) -> None:
    """Only lavapipe present: a GPU delegate on a software rasteriser is slower than mote's CPU
    kernels, so it is refused unless allowed (ncnn users hit that silently)."""
    icd = _lavapipe_icd()
    env = {"VK_ICD_FILENAMES": icd, "VK_DRIVER_FILES": icd}
    r = _run_child(model_files[:1], {}, env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["reports"][0].startswith("cpu: all")
    assert "no GPU found" in out["warnings"][0] and "allow_cpu_device" in out["warnings"][0]
    r = _run_child(model_files[:1], {"allow_cpu_device": True}, env)
    out = json.loads(r.stdout)
    assert out["reports"][0].startswith("vulkan (llvmpipe"), out["reports"]
    assert out["warnings"] == []


def test_not_a_vulkan_loader(model_files) -> None:
    libm = next((p for p in ("/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6",
                             "/lib/aarch64-linux-gnu/libm.so.6", "/lib64/libm.so.6") if Path(p).exists()), None)
    assert libm, "no libm.so.6 found to stand in for a wrong library"
    with pytest.raises(mote.MoteError, match="not a Vulkan loader"):
        mote.load(model_files[0], delegate="vulkan", delegate_options={"library_path": libm, "required": True})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = mote.load(model_files[0], delegate="vulkan", delegate_options={"library_path": "/nonexistent/libvk.so"})
    assert m.delegate_report.startswith("cpu: all")
    assert any("/nonexistent/libvk.so" in str(w.message) for w in caught)


@pytest.mark.parametrize("kwargs, error", [
    ({"delegate": "metal"}, ValueError),
    ({"delegate": 3}, TypeError),
    ({"delegate": "vulkan", "delegate_options": {"allow_cpu": True}}, ValueError),
    ({"delegate": "vulkan", "delegate_options": {"device_index": "0"}}, TypeError),
    ({"delegate": "vulkan", "delegate_options": {"required": 1}}, TypeError),
    ({"delegate": "vulkan", "delegate_options": ["required"]}, TypeError),
    ({"delegate_options": {"required": True}}, ValueError),
])
def test_bad_delegate_arguments(model_files, kwargs, error) -> None:
    with pytest.raises(error):
        mote.load(model_files[0], **kwargs)


def test_negative_limits_rejected(model_files) -> None:
    with pytest.raises(mote.MoteError, match="min_ops"):
        mote.load(model_files[0], delegate="vulkan", delegate_options={"min_ops": -1, "allow_cpu_device": True,
                                                                       "required": True})
