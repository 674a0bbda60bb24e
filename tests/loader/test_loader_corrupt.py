"""Corrupted .mote files: every variant must load and run, or fail with MoteError and a message.
Never a crash, a hang or another exception. Variants run in child processes (runner.py)."""

from __future__ import annotations

import numpy as np
import pytest
from corrupt import (
    Variant,
    byte_flips,
    header_damage,
    random_corruption,
    runs,
    structured,
    truncations,
)
from helpers import convert
from model_zoo import lenet, mlp, mobilenet_block, tiny, two_in_two_out
from runner import Report, run_variants

MAX_LISTED = 40


@pytest.fixture(scope="module")
def models() -> dict[str, bytes]:
    """Real converted models, smallest first."""
    built = {}
    makers = (("tiny", tiny), ("mlp", mlp), ("two_io", two_in_two_out), ("mobilenet", mobilenet_block), ("lenet", lenet))
    for name, make in makers:
        built[name] = convert(make(np.random.default_rng(20240611)))
    return built


def check(title: str, variants: list[Variant], report: Report, minimum: int) -> None:
    print("\n" + report.summary(title))
    problems = list(report.failures)
    for i, v in enumerate(variants):
        if v.must_reject and report.verdicts.get(i) == "ok":
            problems.append(f"{v.id}: loaded and ran, but this file is invalid and must be rejected")
    assert not problems, f"{title}: {len(problems)} bad outcomes of {len(variants)}:\n" + "\n".join(
        problems[:MAX_LISTED])
    assert len(variants) >= minimum, f"{title}: only {len(variants)} variants generated"
    tested = report.counts["ok"] + report.counts["rejected"]
    assert tested == len(variants), f"{title}: {tested} of {len(variants)} variants reported back"
    assert report.counts["rejected"] > 0, f"{title}: nothing was rejected: are the variants corrupt at all?"


def test_truncations(models):
    """Every shorter length of the small models; a spread of lengths for the larger ones."""
    variants = [
        *truncations("tiny", models["tiny"], every=True),
        *truncations("mlp", models["mlp"], every=True),
        *truncations("two_io", models["two_io"], every=False),
        *truncations("lenet", models["lenet"], every=False),
    ]
    check("truncations", variants, run_variants(variants), minimum=3000)


def test_single_byte_flips(models):
    """Each byte of the smallest model flipped three ways; each byte of the MLP inverted."""
    variants = [*byte_flips("tiny", models["tiny"], (0x01, 0x80, 0xFF)), *byte_flips("mlp", models["mlp"], (0xFF,))]
    check("byte flips", variants, run_variants(variants), minimum=3000)


def test_random_corruption_runs_and_headers(models):
    variants: list[Variant] = []
    for seed, (name, data) in enumerate(models.items()):
        variants += random_corruption(name, data, count=600, seed=seed)
        variants += runs(name, data, steps=60 if name == "lenet" else 120)
        variants += header_damage(name, data)
    check("random, runs, headers", variants, run_variants(variants), minimum=4000)


def test_structured_corruption(models):
    """Field-level edits made through the schema: bad dims, indices, offsets, enums, options."""
    variants = [
        *structured("tiny", models["tiny"]),
        *structured("two_io", models["two_io"]),
        *structured("mobilenet", models["mobilenet"], swap_opcodes=False),
        *structured("lenet", models["lenet"], swap_opcodes=False),
    ]
    check("structured", variants, run_variants(variants, threads=2), minimum=2000)
