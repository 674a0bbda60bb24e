"""Real architectures exported from PyTorch, converted by mote, compared with ONNX Runtime (issue 3, item 5).

Bound: max |mote - ORT| <= 1e-4 * max |ORT| on every output, with one and two threads.
"""

from __future__ import annotations

import numpy as np
import pytest
from zoo_export import ZOO_REL, compare, op_mix, ort_run
from zoo_models import zoo_specs

NAMES = sorted(zoo_specs())


def other_feeds(feeds: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A second input set: fresh float data; integer ids and masks rolled along the sequence (the
    padding moves to the front), so nothing input-dependent can have been folded at convert time."""
    return {k: rng.standard_normal(v.shape).astype(v.dtype) if np.issubdtype(v.dtype, np.floating)
            else np.roll(v, 5, axis=-1) for k, v in feeds.items()}


@pytest.mark.parametrize("name", NAMES)
def test_matches_onnxruntime(zoo, name, rng, record_property):
    import mote

    m = zoo[name]
    for out, ref in m.expected.items():
        peak, spread = float(np.max(np.abs(ref))), float(np.std(ref))
        # random weights must still give outputs that vary, or the comparison means little
        assert peak > 1e-6 and spread > 1e-3 * peak, f"{name}: ORT output {out!r} is degenerate (std {spread:.3g})"
    data = m.mote()
    second = other_feeds(m.spec.inputs, rng)
    runs = [(m.spec.inputs, m.expected, 1), (m.spec.inputs, m.expected, 2), (second, ort_run(m.onnx_path, second), 1)]
    for i, (feeds, expected, threads) in enumerate(runs):
        with mote.load(data, num_threads=threads) as model:
            got = model.run(dict(feeds))
        result = compare(name, data, expected, got)
        ratio = result.worst_ratio
        record_property(f"ratio_{i}", ratio)
        detail = ", ".join(f"{k}: {d:.3g} / {r:.3g}" for k, (d, r) in result.per_output.items())
        assert ratio <= ZOO_REL, \
            f"{name} (inputs {i}, {threads} threads): max |diff| / max |ref| = {ratio:.3g} > {ZOO_REL} ({detail})"


@pytest.mark.parametrize("name", NAMES)
def test_layout_has_no_stray_transposes(zoo, name):
    """NHWC inside (DESIGN.md 2): convnets keep no Transpose at all; models whose architecture
    permutes (channel shuffle, attention heads, sequence-first RNNs) keep no more than it needs."""
    m = zoo[name]
    mix = op_mix(m.mote())
    inner, limit = mix.inner_transposes, m.spec.max_transposes
    count = len(inner)
    assert count <= limit, \
        f"{name}: {count} TRANSPOSE ops inside the model (at most {limit}): " \
        f"{', '.join(inner[:6])}{', ...' if len(inner) > 6 else ''}; op mix {mix.counts}"
