"""Multi-op models against ONNX Runtime, at batch 1 and 2."""

from __future__ import annotations

import pytest
from helpers import assert_close_to_ort, random_feeds
from model_zoo import ZOO


@pytest.mark.parametrize("batch", [1, 2])
@pytest.mark.parametrize("name", sorted(ZOO))
def test_model_vs_ort(rng, name, batch):
    model = ZOO[name](rng, batch=batch)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("name", sorted(ZOO))
def test_model_vs_ort_two_threads(rng, name):
    model = ZOO[name](rng, batch=2)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=2)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_model_without_optimizations(rng, name):
    """optimize=False keeps the graph as imported (no folding / fusion): same results."""
    model = ZOO[name](rng, batch=1)
    assert_close_to_ort(model, random_feeds(model, rng), optimize=False)
