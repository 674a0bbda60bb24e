"""Run one .mote model on the CPU and through the Vulkan delegate and compare."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

import mote

FP32_REL = 1e-4  # issue 7: fp32 results within 1e-4 of the CPU's, relative to the output's scale
FP16_REL = 1e-2  # and with float16 storage (delegate option fp16) within 1e-2
GPU_OPTIONS = {"allow_cpu_device": True, "required": True}
# precision name -> (extra delegate options, tolerance)
PRECISIONS = {"fp32": ({}, FP32_REL), "fp16": ({"fp16": True}, FP16_REL)}


def rel_error(got: np.ndarray, want: np.ndarray) -> float:
    """max |got - want| / max |want| (NaN and inf must sit at the same places)."""
    want64, got64 = want.astype(np.float64), got.astype(np.float64)
    finite = np.isfinite(want64)
    assert np.array_equal(np.isnan(got64), np.isnan(want64)), "NaN positions differ"
    assert np.array_equal(got64[~finite & ~np.isnan(want64)], want64[~finite & ~np.isnan(want64)]), "inf differs"
    if not finite.any():
        return 0.0
    scale = max(float(np.abs(want64[finite]).max()), 1e-30)
    return float(np.abs(got64[finite] - want64[finite]).max()) / scale


def run_both(data: bytes, feeds: Mapping[str, np.ndarray], precision: str = "fp32") -> tuple[dict, dict, mote.Model]:
    cpu = mote.load(data)
    gpu = mote.load(data, delegate="vulkan", delegate_options={**GPU_OPTIONS, **PRECISIONS[precision][0]})
    if precision == "fp16":
        assert "fp16 storage" in gpu.delegate_report, gpu.delegate_report
    return cpu.run(dict(feeds)), gpu.run(dict(feeds)), gpu


def worst_error(data: bytes, feeds: Mapping[str, np.ndarray], precision: str = "fp32") -> tuple[float, mote.Model]:
    want, got, gpu = run_both(data, feeds, precision)
    assert want.keys() == got.keys()
    return max(rel_error(got[k], want[k]) for k in want), gpu
