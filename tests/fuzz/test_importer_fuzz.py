"""Importer fuzzing in CI (bounded, derandomized): mutated ONNX and TFLite models must convert, or
raise ConversionError with a message; never any other exception. tests/fuzz/run_long.py runs the
same mutators over 100,000+ inputs per importer by hand (docs/hardening-python.md)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

pytest.importorskip("ai_edge_litert", reason="the TFLite seeds need ai-edge-litert (the test extra)")

ONNX_SEEDS = seeds.onnx_seeds()
TFLITE_SEEDS = seeds.tflite_seeds()
FUZZ = settings(max_examples=600, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("i", range(len(ONNX_SEEDS)))
def test_onnx_seed_converts(i: int) -> None:
    assert harness.check(ONNX_SEEDS[i].SerializeToString()) == "ok"


@pytest.mark.parametrize("i", range(len(TFLITE_SEEDS)))
def test_tflite_seed_converts(i: int) -> None:
    assert harness.check(TFLITE_SEEDS[i]) == "ok"


@FUZZ
@given(seed=st.integers(0, len(ONNX_SEEDS) - 1), salt=st.integers(0, 2**32))
def test_onnx_mutations(seed: int, salt: int) -> None:
    harness.check(mutate.mutate_onnx(ONNX_SEEDS[seed], random.Random(salt)))


@FUZZ
@given(seed=st.integers(0, len(TFLITE_SEEDS) - 1), salt=st.integers(0, 2**32))
def test_tflite_mutations(seed: int, salt: int) -> None:
    harness.check(mutate.mutate_tflite(TFLITE_SEEDS[seed], random.Random(salt)))


@FUZZ
@given(data=st.binary(max_size=256))
def test_random_bytes(data: bytes) -> None:
    harness.check(data)
    harness.check(data[:4] + b"TFL3" + data[8:])  # past the TFLite sniffing, into the flatbuffer reader


def test_long_run_first_inputs() -> None:
    """The first inputs of run_long.py, so a bug it reports by index stays fixed."""
    for i in range(300):
        harness.check(mutate.mutate_onnx(ONNX_SEEDS[i % len(ONNX_SEEDS)], random.Random(i)))
        harness.check(mutate.mutate_tflite(TFLITE_SEEDS[i % len(TFLITE_SEEDS)], random.Random(i)))
