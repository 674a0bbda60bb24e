"""mote.load's resource caps: max_model_bytes (before reading) and max_arena_bytes (create, resize)."""

from __future__ import annotations

import numpy as np
import pytest

import mote
from mote.runtime import MoteError


def test_max_model_bytes(cnn):
    size = len(cnn.data)
    for source in (cnn.path, cnn.data):
        with pytest.raises(MoteError, match=f"{size} bytes, over max_model_bytes {size - 1}") as e:
            mote.load(source, max_model_bytes=size - 1)
        assert e.value.status_name == "MOTE_ERROR_INVALID_MODEL"
        with mote.load(source, max_model_bytes=size) as m:
            assert m.run(np.zeros((1, 3, 8, 8), np.float32))["probs"].shape == (1, 10)


def test_max_arena_bytes(cnn):
    with pytest.raises(MoteError, match="arena, over max_arena_bytes 64") as e:
        mote.load(cnn.path, max_arena_bytes=64)
    assert e.value.status_name == "MOTE_ERROR_OUT_OF_MEMORY"
    with mote.load(cnn.path, max_arena_bytes=1 << 20) as m:
        x = np.random.default_rng(0).standard_normal((1, 3, 8, 8)).astype(np.float32)
        want = mote.load(cnn.path).run(x)["probs"]
        np.testing.assert_array_equal(m.run(x)["probs"], want)
        # the cap holds for clones and for resizing: 1 MiB is far below a 1x3x512x512 plan
        with m.clone() as c, pytest.raises(MoteError, match="over max_arena_bytes"):
            c.resize_input(0, (1, 3, 512, 512))
        np.testing.assert_array_equal(m.run(x)["probs"], want)


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_limits_validated(cnn, bad):
    for key in ("max_arena_bytes", "max_model_bytes"):
        with pytest.raises((TypeError, ValueError), match=key):
            mote.load(cnn.path, **{key: bad})
