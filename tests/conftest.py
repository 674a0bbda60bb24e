"""Fixtures shared by the test suites."""

from __future__ import annotations

import zlib

import numpy as np
import pytest


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A generator seeded from the test's id: data is the same on every run and in any order."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
