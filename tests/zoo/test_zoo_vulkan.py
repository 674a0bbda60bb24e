"""Whole models through the Vulkan delegate (lavapipe in CI), compared with libmote on the CPU:
MobileNetV2, ResNet18 and a face-landmark regressor run entirely on the GPU (partitioned models:
tests/vulkan/test_vulkan_partition.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vulkan"))
from vk_compare import FP32_REL, GPU_OPTIONS, rel_error  # noqa: E402

import mote  # noqa: E402

WHOLE = ["mobilenet_v2", "resnet18", "face_landmarks"]


@pytest.fixture(scope="module")
def vulkan_ready() -> None:
    from mote.runtime.delegate import get_delegate

    try:
        get_delegate("vulkan", dict(GPU_OPTIONS))
    except mote.MoteError as exc:
        pytest.fail(f"no Vulkan device ({exc}); install mesa-vulkan-drivers (lavapipe)")


@pytest.mark.parametrize("name", WHOLE)
def test_model_runs_on_vulkan_like_cpu(name: str, zoo, vulkan_ready) -> None:
    exported = zoo[name]
    data = exported.mote()
    cpu = mote.load(data)
    gpu = mote.load(data, delegate="vulkan", delegate_options=GPU_OPTIONS)
    assert all(gpu.node_placement()), gpu.delegate_report
    want = cpu.run(dict(exported.spec.inputs))
    for _ in range(2):  # the second run reuses the recorded command buffer
        got = gpu.run(dict(exported.spec.inputs))
        for key in want:
            err = rel_error(got[key], want[key])
            assert err <= FP32_REL, f"{name} output {key}: {err:.3g} relative to the CPU ({gpu.delegate_report})"
    # and it stays close to the source framework (ONNX Runtime), like the CPU path
    for key, ref in exported.expected.items():
        assert rel_error(got[key], ref) <= 1e-3

