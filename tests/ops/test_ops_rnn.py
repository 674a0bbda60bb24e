"""ONNX LSTM and GRU vs ONNX Runtime: directions, bias, initial states, linear_before_reset,
batch and sequence sizes, and the output subsets exporters use."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model
from onnx import helper

IN, HID = 4, 3
DIRECTIONS = {"forward": 1, "reverse": 1, "bidirectional": 2}


def f32(rng, *shape: int, scale: float = 1.0) -> np.ndarray:
    return (scale * rng.standard_normal(shape)).astype(np.float32)


def rnn_model(rng, op, direction, bias, initial, batch, seq, outputs=("Y", "Y_h", "Y_c"), **attrs):
    """W, R, B constant; X and the initial states are model inputs."""
    gates = 4 if op == "LSTM" else 3
    d = DIRECTIONS[direction]
    inits = {"W": f32(rng, d, gates * HID, IN, scale=0.5), "R": f32(rng, d, gates * HID, HID, scale=0.5)}
    inputs = {"X": (seq, batch, IN)}
    names = ["X", "W", "R", "B" if bias else "", "", "h0" if initial else ""]
    if bias:
        inits["B"] = f32(rng, d, 2 * gates * HID, scale=0.5)
    if initial:
        inputs["h0"] = (d, batch, HID)
    if op == "LSTM":
        names.append("c0" if initial else "")
        if initial:
            inputs["c0"] = (d, batch, HID)
    else:
        outputs = tuple(o for o in outputs if o != "Y_c")
    while names and names[-1] == "":
        names.pop()
    node = helper.make_node(op, names, list(outputs), hidden_size=HID, direction=direction, **attrs)
    model = make_model([node], inputs, [o for o in outputs if o], inits, 14)
    feeds = {"X": f32(rng, seq, batch, IN)}
    if initial:
        feeds["h0"] = f32(rng, d, batch, HID)
        if op == "LSTM":
            feeds["c0"] = f32(rng, d, batch, HID)
    return model, feeds


@pytest.mark.parametrize("direction", list(DIRECTIONS))
@pytest.mark.parametrize("bias", [True, False], ids=["B", "noB"])
@pytest.mark.parametrize("initial", [True, False], ids=["h0", "noh0"])
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("seq", [1, 5])
def test_lstm(rng, direction, bias, initial, batch, seq):
    model, feeds = rnn_model(rng, "LSTM", direction, bias, initial, batch, seq)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("direction", list(DIRECTIONS))
@pytest.mark.parametrize("bias", [True, False], ids=["B", "noB"])
@pytest.mark.parametrize("initial", [True, False], ids=["h0", "noh0"])
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("seq", [1, 5])
@pytest.mark.parametrize("lbr", [0, 1], ids=["lbr0", "lbr1"])
def test_gru(rng, direction, bias, initial, batch, seq, lbr):
    model, feeds = rnn_model(rng, "GRU", direction, bias, initial, batch, seq, linear_before_reset=lbr)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", ["LSTM", "GRU"])
@pytest.mark.parametrize("outputs", [("Y",), ("", "Y_h"), ("Y", "Y_h")], ids=str)
def test_rnn_output_subsets(rng, op, outputs):
    """PyTorch exports keep only the outputs the model uses; absent ones are ''."""
    model, feeds = rnn_model(rng, op, "bidirectional", True, False, 2, 4, outputs=outputs)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", ["LSTM", "GRU"])
def test_rnn_clip(rng, op):
    model, feeds = rnn_model(rng, op, "forward", True, True, 2, 6, clip=0.5)
    feeds["X"] *= 4
    assert_close_to_ort(model, feeds)


def test_lstm_input_forget(rng):
    model, feeds = rnn_model(rng, "LSTM", "forward", True, True, 2, 4, input_forget=1)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("op", ["LSTM", "GRU"])
def test_rnn_constant_initial_state(rng, op):
    """Initial states as zeros initializers, as exporters write them for a fresh sequence."""
    d, batch = 2, 2
    gates = 4 if op == "LSTM" else 3
    inits = {"W": f32(rng, d, gates * HID, IN, scale=0.5), "R": f32(rng, d, gates * HID, HID, scale=0.5),
             "B": f32(rng, d, 2 * gates * HID, scale=0.5), "h0": np.zeros((d, batch, HID), np.float32)}
    names = ["X", "W", "R", "B", "", "h0"]
    outputs = ["Y", "Y_h"]
    if op == "LSTM":
        names.append("c0")
        inits["c0"] = np.zeros((d, batch, HID), np.float32)
    node = helper.make_node(op, names, outputs, hidden_size=HID, direction="bidirectional")
    model = make_model([node], {"X": (5, batch, IN)}, outputs, inits, 14)
    assert_close_to_ort(model, {"X": f32(rng, 5, batch, IN)})


def test_lstm_sequence_model(rng):
    """PyTorch's nn.LSTM export: Transpose(batch-first) -> LSTM -> Squeeze(dir) -> Gemm on the
    last step (a keyword-spotting style classifier head)."""
    seq, batch, hid = 6, 2, 5
    inits = {
        "W": f32(rng, 1, 4 * hid, IN, scale=0.5), "R": f32(rng, 1, 4 * hid, hid, scale=0.5),
        "B": f32(rng, 1, 8 * hid, scale=0.5), "axes": np.array([0], np.int64),
        "fw": f32(rng, 3, hid), "fb": f32(rng, 3),
    }
    nodes = [
        helper.make_node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
        helper.make_node("LSTM", ["xt", "W", "R", "B"], ["Y", "Y_h", "Y_c"], hidden_size=hid),
        helper.make_node("Squeeze", ["Y_h", "axes"], ["h"]),
        helper.make_node("Gemm", ["h", "fw", "fb"], ["y"], transB=1),
    ]
    model = make_model(nodes, {"x": (batch, seq, IN)}, ["y"], inits, 14)
    assert_close_to_ort(model, {"x": f32(rng, batch, seq, IN)})
