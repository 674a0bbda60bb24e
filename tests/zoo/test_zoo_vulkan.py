"""Whole models through the Vulkan delegate (lavapipe in CI), compared with libmote on the CPU:
MobileNetV2, ResNet18 and a face-landmark regressor run entirely on the GPU (partitioned models:
tests/vulkan/test_vulkan_partition.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vulkan"))
from vk_compare import GPU_OPTIONS, PRECISIONS, rel_error  # noqa: E402

import mote  # noqa: E402

WHOLE = ["mobilenet_v2", "resnet18", "face_landmarks"]


@pytest.fixture(scope="module")
def vulkan_ready() -> None:
    from mote.runtime.delegate import get_delegate

    try:
        get_delegate("vulkan", dict(GPU_OPTIONS))
    except mote.MoteError as exc:
        pytest.fail(f"no Vulkan device ({exc}); install mesa-vulkan-drivers (lavapipe)")


@pytest.mark.parametrize("precision", list(PRECISIONS))
@pytest.mark.parametrize("name", WHOLE)
def test_model_runs_on_vulkan_like_cpu(name: str, precision: str, zoo, vulkan_ready) -> None:
    exported = zoo[name]
    data = exported.mote()
    cpu = mote.load(data)
    extra, tol = PRECISIONS[precision]
    gpu = mote.load(data, delegate="vulkan", delegate_options={**GPU_OPTIONS, **extra})
    assert all(gpu.node_placement()), gpu.delegate_report
    feeds = dict(exported.spec.inputs)
    want = cpu.run(feeds)
    if precision == "fp16":
        # how much this model's outputs move when only its input is rounded to float16: random
        # weights can amplify rounding (seeded MobileNetV2: 0.7%, ResNet18: 0.07%), so the bound
        # is 1e-2 or four times that sensitivity, whichever is larger
        rounded = cpu.run({k: v.astype(np.float16).astype(np.float32) for k, v in feeds.items()})
        sensitivity = max(rel_error(rounded[k], want[k]) for k in want)
        tol = max(tol, 4 * sensitivity)
    for _ in range(2):  # the second run reuses the recorded command buffer
        got = gpu.run(feeds)
        for key in want:
            err = rel_error(got[key], want[key])
            print(f"{name} {precision} {key}: {err:.3g} (bound {tol:.3g})")
            assert err <= tol, f"{name} output {key}: {err:.3g} relative to the CPU ({gpu.delegate_report})"
            cos = float(np.dot(got[key].ravel(), want[key].ravel()) /
                        (np.linalg.norm(got[key]) * np.linalg.norm(want[key])))
            assert cos >= 0.999, (key, cos)
    # and it stays close to the source framework (ONNX Runtime), like the CPU path
    for key, ref in exported.expected.items():
        assert rel_error(got[key], ref) <= max(1e-3, tol)

