"""Output shapes of the neural-network ops of the breadth set: Resize, ConvTranspose,
InstanceNorm, LayerNorm, LSTM, GRU."""

from __future__ import annotations

from ..errors import ConversionError
from .spatial import effective_kernel

Shape = tuple[int, ...]


def _nchw(shape: Shape, fmt: str) -> tuple[int, int, int, int]:
    if len(shape) != 4:
        raise ConversionError(f"expected a 4-D input, got shape {shape}")
    return (shape[0], shape[3], shape[1], shape[2]) if fmt == "NHWC" else tuple(shape)


def _join(n: int, c: int, h: int, w: int, fmt: str) -> Shape:
    return (n, h, w, c) if fmt == "NHWC" else (n, c, h, w)


def _resize(ins: list, attrs: dict) -> list[Shape]:
    fmt = attrs.get("data_format", "NCHW")
    n, c, _, _ = _nchw(ins[0], fmt)
    oh, ow = attrs["size"]
    return [_join(n, c, int(oh), int(ow), fmt)]


def conv_transpose_out(n: int, k: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                       output_padding: int) -> int:
    return (n - 1) * stride - pad_before - pad_after + effective_kernel(k, dilation) + output_padding


def _conv_transpose(ins: list, attrs: dict) -> list[Shape]:
    fmt = attrs.get("data_format", "NCHW")
    n, c, h, w = _nchw(ins[0], fmt)
    ci, og, kh, kw = ins[1]
    g = attrs.get("group", 1)
    if ci != c or c % g:
        raise ConversionError(f"ConvTranspose weights {ins[1]} do not match {c} input channels, group {g}")
    sh, sw = attrs["strides"]
    dh, dw = attrs["dilations"]
    t, left, b, r = attrs["pads"]
    oph, opw = attrs.get("output_padding", (0, 0))
    oh = conv_transpose_out(h, kh, sh, dh, t, b, oph)
    ow = conv_transpose_out(w, kw, sw, dw, left, r, opw)
    if oh <= 0 or ow <= 0:
        raise ConversionError(f"ConvTranspose output {oh}x{ow} is empty")
    return [_join(n, og * g, oh, ow, fmt)]


def _rnn(gates: int, outputs: int):
    def fn(ins: list, attrs: dict) -> list[Shape]:
        x, w = ins[0], ins[1]
        if len(x) != 3 or len(w) != 3:
            raise ConversionError(f"RNN input {x} and weights {w} must be 3-D")
        seq, batch, _ = x
        dirs, hsz = w[0], attrs["hidden_size"]
        if w[1] != gates * hsz:
            raise ConversionError(f"RNN weights {w} do not match hidden_size {hsz}")
        state = (dirs, batch, hsz)
        return [(seq, dirs, batch, hsz)] + [state] * (outputs - 1)
    return fn


SHAPE_FNS = {
    "Resize": _resize,
    "ConvTranspose": _conv_transpose,
    "InstanceNorm": lambda ins, attrs: [ins[0]],
    "LayerNorm": lambda ins, attrs: [ins[0]],
    "LSTM": _rnn(4, 3),
    "GRU": _rnn(3, 2),
}
