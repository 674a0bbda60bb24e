"""UNIDIRECTIONAL_SEQUENCE_LSTM as the IR's LSTM (ONNX semantics and layouts).

TFLite gives one weight tensor per gate (input, forget, cell, output); ONNX stacks them in the
order i, o, f, c. A TFLite LSTM keeps its state in variable tensors that persist between
invokes; mote starts every invoke from zero state, as a fresh LiteRT interpreter does.
"""

from __future__ import annotations

import numpy as np

from .context import OpContext

# input indices of UNIDIRECTIONAL_SEQUENCE_LSTM
_W = {"i": 1, "f": 2, "c": 3, "o": 4}
_R = {"i": 5, "f": 6, "c": 7, "o": 8}
_P = {"i": 9, "f": 10, "o": 11}
_B = {"i": 12, "f": 13, "c": 14, "o": 15}
_PROJECTION, _H0, _C0, _LAYER_NORM = (16, 17), 18, 19, range(20, 24)
_ONNX_ORDER = "iofc"


def unidirectional_sequence_lstm(ctx: OpContext) -> None:
    if ctx.opt("fusedActivationFunction", 4) != 4:
        raise ctx.error("only the TANH cell activation is supported")
    if ctx.opt("projClip", 0.0):
        raise ctx.error("proj_clip is not supported")
    if any(ctx.inp(i) is not None for i in (*_PROJECTION, *_LAYER_NORM)):
        raise ctx.error("LSTM with projection or layer normalisation is not supported")
    x = ctx.x(0, "input")
    xs = ctx.shape(x)
    if len(xs) != 3:
        raise ctx.error(f"input of shape {xs} (expected 3-D)")
    time_major = bool(ctx.opt("timeMajor", False))

    def weight(i: int, what: str) -> np.ndarray | None:
        return None if ctx.inp(i) is None else ctx.require_const(ctx.inp(i), what).astype(np.float32)

    w = {g: weight(i, f"input-to-{g} weights") for g, i in _W.items()}
    r = {g: weight(i, f"recurrent-to-{g} weights") for g, i in _R.items()}
    b = {g: weight(i, f"{g} gate bias") for g, i in _B.items()}
    p = {g: weight(i, f"cell-to-{g} weights") for g, i in _P.items()}
    cifg = w["i"] is None  # coupled input and forget gates: i = 1 - f
    if any(w[g] is None or r[g] is None or b[g] is None for g in "fco") or \
            (not cifg and (r["i"] is None or b["i"] is None)):
        raise ctx.error("a gate's weights or bias are missing")
    hidden, n_in = w["f"].shape
    peephole = any(v is not None for v in p.values())
    if peephole and (p["f"] is None or p["o"] is None or (not cifg and p["i"] is None)):
        raise ctx.error("peephole weights are incomplete")
    if cifg:
        # TFLite derives i = 1 - f from the forget gate; ONNX's input_forget derives f = 1 - i from the
        # input gate. 1 - sigmoid(z) = sigmoid(-z): the negated forget parameters drive ONNX's input gate.
        for params in (w, r, b, p):
            params["i"] = None if params["f"] is None else -params["f"]
            params["f"] = None if params["f"] is None else np.zeros_like(params["f"])

    def add(value: np.ndarray, what: str) -> str:
        return ctx.add_const(np.ascontiguousarray(value[None].astype(np.float32)), f"{ctx.out()}_{what}")

    W = add(np.concatenate([w[g] for g in _ONNX_ORDER]), "W")  # [1, 4H, in]
    R = add(np.concatenate([r[g] for g in _ONNX_ORDER]), "R")
    B = add(np.concatenate([b[g] for g in _ONNX_ORDER] + [np.zeros(4 * hidden, np.float32)]), "B")
    P = add(np.concatenate([np.zeros(hidden, np.float32) if p[g] is None else p[g] for g in "iof"]), "P") \
        if peephole else None
    seq_first = x if time_major else ctx.emit("Transpose", [x], perm=(1, 0, 2))
    batch = ctx.shape(seq_first)[1]
    states = []
    for i in (_H0, _C0):
        s = ctx.inp(i)
        states.append(None if s is None or _is_zero(ctx, s) else
                      ctx.emit("Reshape", [s], shape=(1, batch, hidden)))
    _check_clip(ctx, float(ctx.opt("cellClip", 0.0)), xs[0] if time_major else xs[1], states == [None, None])
    if n_in != xs[2]:
        raise ctx.error(f"input-to-gate weights {w['f'].shape} do not fit input {xs}")
    outs = [ctx.graph.unique_name(f"{ctx.out()}_{k}") for k in ("y", "y_h", "y_c")]
    ctx.emit_n("LSTM", [seq_first, W, R, B, None, states[0], states[1], P], outs, hidden_size=int(hidden),
               direction="forward", clip=0.0, input_forget=cifg)
    seq = ctx.shape(seq_first)[0]
    if time_major:
        ctx.emit("Reshape", [outs[0]], ctx.out(), shape=(seq, batch, hidden))
    else:
        y = ctx.emit("Reshape", [outs[0]], shape=(seq, batch, hidden))
        ctx.emit("Transpose", [y], ctx.out(), perm=(1, 0, 2))


def _check_clip(ctx: OpContext, clip: float, seq_len: int, zero_start: bool) -> None:
    """TFLite clips the cell state to ±cell_clip; mote's LSTM has no such clip. From a zero state
    |c_t| < t (c_t = f·c_{t-1} + i·g with f, i, |g| < 1), so a clip of at least seq_len never acts."""
    if clip and (seq_len > clip or not zero_start):
        raise ctx.error(f"cell_clip={clip:g} may act on a sequence of {seq_len} steps and mote's LSTM has no "
                        f"cell-state clip: convert with sequences of at most {int(clip)} steps from a zero "
                        "state, or without the clip")


def _is_zero(ctx: OpContext, name: str) -> bool:
    v = ctx.const(name)
    return v is not None and not np.any(v)


HANDLERS = {"UNIDIRECTIONAL_SEQUENCE_LSTM": unidirectional_sequence_lstm}
