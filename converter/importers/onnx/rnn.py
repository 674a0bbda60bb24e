"""ONNX LSTM and GRU → IR ops with ONNX semantics (layout 0, default activations only). Every
output gets a tensor, used or not: a mote op writes all of its outputs."""

from __future__ import annotations

from collections.abc import Sequence

from .context import NodeContext

_DIRECTIONS = ("forward", "reverse", "bidirectional")


def _check(ctx: NodeContext, x: str, r: str, *, defaults: list[str], activations, activation_alpha,
           activation_beta, direction: str, hidden_size: int | None, layout: int) -> int:
    if layout != 0:
        raise ctx.error(f"attribute layout={layout} is not supported (only layout=0: [seq, batch, ...])")
    if direction not in _DIRECTIONS:
        raise ctx.error(f"unknown direction '{direction}'")
    dirs = 2 if direction == "bidirectional" else 1
    if activations is not None and [a.lower() for a in activations] != [d.lower() for d in defaults] * dirs:
        raise ctx.error(f"attribute activations={list(activations)} is not supported (only the defaults "
                        f"{defaults * dirs})")
    if activation_alpha is not None or activation_beta is not None:
        raise ctx.error("attributes activation_alpha / activation_beta are not supported")
    if ctx.rank(x) != 3:
        raise ctx.error(f"input rank {ctx.rank(x)} (X must be [seq, batch, input])")
    if hidden_size is None:
        hidden_size = ctx.shape(r)[-1]
    return int(hidden_size)


def LSTM(ctx: NodeContext, x: str, w: str, r: str, b: str | None = None, sequence_lens: str | None = None,
         initial_h: str | None = None, initial_c: str | None = None, p: str | None = None, *,
         activation_alpha: Sequence[float] | None = None, activation_beta: Sequence[float] | None = None,
         activations: Sequence[str] | None = None, clip: float | None = None, direction: str = "forward",
         hidden_size: int | None = None, input_forget: int = 0, layout: int = 0) -> None:
    hs = _check(ctx, x, r, defaults=["Sigmoid", "Tanh", "Tanh"], activations=activations,
                activation_alpha=activation_alpha, activation_beta=activation_beta, direction=direction,
                hidden_size=hidden_size, layout=layout)
    ctx.emit_multi("LSTM", [x, w, r, b, sequence_lens, initial_h, initial_c, p], 3, hidden_size=hs,
                   direction=direction, clip=float(clip or 0.0), input_forget=bool(input_forget))


def GRU(ctx: NodeContext, x: str, w: str, r: str, b: str | None = None, sequence_lens: str | None = None,
        initial_h: str | None = None, *, activation_alpha: Sequence[float] | None = None,
        activation_beta: Sequence[float] | None = None, activations: Sequence[str] | None = None,
        clip: float | None = None, direction: str = "forward", hidden_size: int | None = None,
        layout: int = 0, linear_before_reset: int = 0) -> None:
    hs = _check(ctx, x, r, defaults=["Sigmoid", "Tanh"], activations=activations,
                activation_alpha=activation_alpha, activation_beta=activation_beta, direction=direction,
                hidden_size=hidden_size, layout=layout)
    ctx.emit_multi("GRU", [x, w, r, b, sequence_lens, initial_h], 2, hidden_size=hs, direction=direction,
                   clip=float(clip or 0.0), linear_before_reset=bool(linear_before_reset))


HANDLERS = {
    "LSTM": LSTM,
    "GRU": GRU,
}
