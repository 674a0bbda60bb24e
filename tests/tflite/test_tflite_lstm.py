"""UNIDIRECTIONAL_SEQUENCE_LSTM, built directly (all 24 inputs), against LiteRT."""

from __future__ import annotations

import numpy as np
import pytest
from builder import ModelBuilder, options
from tflite_check import check

from mote.converter import ConversionError, convert


def _lstm(rng, *, batch=2, seq=5, n_in=3, hidden=4, time_major=False, cifg=False, peephole=False,
          clip=0.0) -> bytes:
    b = ModelBuilder()
    x_shape = (seq, batch, n_in) if time_major else (batch, seq, n_in)
    b.input("x", x_shape)

    def const(name, shape):
        return b.const(name, (0.5 * rng.standard_normal(shape)).astype(np.float32))

    ins: list[str | None] = ["x"]
    ins += [None if cifg and g == "i" else const(f"w_{g}", (hidden, n_in)) for g in "ifco"]
    ins += [None if cifg and g == "i" else const(f"r_{g}", (hidden, hidden)) for g in "ifco"]
    ins += [const(f"p_{g}", (hidden,)) if peephole and not (cifg and g == "i") else None for g in "ifo"]
    ins += [None if cifg and g == "i" else const(f"b_{g}", (hidden,)) for g in "ifco"]
    ins += [None, None]  # projection
    b.tensor("h0", (batch, hidden), variable=True)  # LiteRT wants the state in variable tensors
    b.tensor("c0", (batch, hidden), variable=True)
    ins += ["h0", "c0"]
    ins += [None] * 4  # layer norm
    y_shape = (seq, batch, hidden) if time_major else (batch, seq, hidden)
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [("y", y_shape)],
         options("UnidirectionalSequenceLSTMOptions", fusedActivationFunction=4, timeMajor=time_major, cellClip=clip),
         version=1)
    b.output("y")
    return b.build()


@pytest.mark.parametrize("time_major", [False, True])
@pytest.mark.parametrize("cifg,peephole", [(False, False), (True, False), (False, True), (True, True)])
def test_lstm(rng, time_major, cifg, peephole):
    check(_lstm(rng, time_major=time_major, cifg=cifg, peephole=peephole), rng)


def test_lstm_cell_clip_that_cannot_act(rng):
    """TensorFlow's converter gives Keras LSTMs cell_clip=10; from a zero state |c_t| < t, so on 5
    steps the clip never acts and the model converts."""
    check(_lstm(rng, clip=10.0, seq=5), rng)


def test_lstm_cell_clip_that_may_act_is_refused(rng):
    with pytest.raises(ConversionError, match=r"cell_clip=3 may act on a sequence of 5 steps.*"
                                              r"UNIDIRECTIONAL_SEQUENCE_LSTM' \(operator 0"):
        convert(_lstm(rng, clip=3.0, seq=5))
