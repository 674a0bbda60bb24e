"""numpy kernels of the neural-network IR ops of the breadth set: Resize, ConvTranspose,
InstanceNorm, LayerNorm, LSTM, GRU. Written from the ONNX specification, in float64, as an
oracle independent of the C kernels."""

from __future__ import annotations

from typing import Callable

import numpy as np

Kernel = Callable[..., object]


def _to_nchw(x, fmt):
    return x.transpose(0, 3, 1, 2) if fmt == "NHWC" else x


def _from_nchw(y, fmt):
    return y.transpose(0, 2, 3, 1) if fmt == "NHWC" else y


# ---- Resize ----------------------------------------------------------------------------

def source_coord(x: np.ndarray, n_in: int, n_out: int, scale: float, mode: str) -> np.ndarray:
    """ONNX coordinate_transformation_mode: output index -> input coordinate."""
    s = scale if scale > 0 else n_out / n_in
    if mode == "half_pixel":
        return (x + 0.5) / s - 0.5
    if mode == "half_pixel_symmetric":
        adjustment = n_out / (s * n_in)
        center = n_in / 2
        return center * (1 - adjustment) + (x + 0.5) / s - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) / s - 0.5 if n_out > 1 else np.zeros_like(x)
    if mode == "align_corners":
        return np.zeros_like(x) if n_out == 1 else x * (n_in - 1) / (n_out - 1)
    if mode == "asymmetric":
        return x / s
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) / s
    raise ValueError(f"coordinate transform {mode}")


def _nearest(c: np.ndarray, mode: str) -> np.ndarray:
    if mode == "floor":
        r = np.floor(c)
    elif mode == "ceil":
        r = np.ceil(c)
    else:
        half = np.abs(c - np.floor(c) - 0.5) < 1e-9  # exact .5 after float64 arithmetic
        r = np.where(half, np.floor(c) if mode == "round_prefer_floor" else np.ceil(c), np.floor(c + 0.5))
    return r


def _cubic_weights(t: np.ndarray, a: float) -> np.ndarray:
    def near(d):  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], axis=-1)


def resize_matrix(n_in: int, n_out: int, scale: float, mode: str, coord: str, nearest_mode: str,
                  cubic_coeff_a: float, exclude_outside: bool) -> np.ndarray:
    """[n_out, n_in] interpolation matrix along one axis."""
    c = source_coord(np.arange(n_out, dtype=np.float64), n_in, n_out, scale, coord)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if mode == "nearest":
        m[rows, np.clip(_nearest(c, nearest_mode), 0, n_in - 1).astype(np.int64)] = 1
        return m
    if mode == "linear":
        c = np.clip(c, 0, n_in - 1)
        lo = np.floor(c)
        t = c - lo
        for idx, w in ((lo, 1 - t), (lo + 1, t)):
            np.add.at(m, (rows, np.clip(idx, 0, n_in - 1).astype(np.int64)), w)
        return m
    lo = np.floor(c)
    w = _cubic_weights(c - lo, cubic_coeff_a)
    idx = lo[:, None] + np.arange(-1, 3)[None, :]
    if exclude_outside:
        w = np.where((idx >= 0) & (idx < n_in), w, 0)
        w = w / w.sum(axis=1, keepdims=True)
    for j in range(4):
        np.add.at(m, (rows, np.clip(idx[:, j], 0, n_in - 1).astype(np.int64)), w[:, j])
    return m


def _resize(x, *, size, mode="nearest", coordinate_transform="half_pixel", nearest_mode="round_prefer_floor",
            cubic_coeff_a=-0.75, exclude_outside=False, extrapolation_value=0.0, scale_h=0.0, scale_w=0.0,
            data_format="NCHW"):
    xc = _to_nchw(x, data_format).astype(np.float64)
    _, _, h, w = xc.shape
    args = (mode, coordinate_transform, nearest_mode, cubic_coeff_a, exclude_outside)
    mh = resize_matrix(h, size[0], scale_h, *args)
    mw = resize_matrix(w, size[1], scale_w, *args)
    y = np.einsum("oh,nchw,pw->ncop", mh, xc, mw)
    return _from_nchw(y.astype(x.dtype), data_format)


# ---- ConvTranspose -----------------------------------------------------------------------

def _conv_transpose(x, w, b=None, *, strides=(1, 1), dilations=(1, 1), pads=(0, 0, 0, 0), output_padding=(0, 0),
                    group=1, activation="NONE", data_format="NCHW"):
    xc = _to_nchw(x, data_format).astype(np.float64)
    n, c, h, wd = xc.shape
    _, og, kh, kw = w.shape
    sh, sw = strides
    dh, dw = dilations
    t, left, bt, r = pads
    oh = (h - 1) * sh - t - bt + dh * (kh - 1) + 1 + output_padding[0]
    ow = (wd - 1) * sw - left - r + dw * (kw - 1) + 1 + output_padding[1]
    full = np.zeros((n, og * group, max(t + oh, (h - 1) * sh + dh * (kh - 1) + 1),
                     max(left + ow, (wd - 1) * sw + dw * (kw - 1) + 1)))
    cg = c // group
    for g in range(group):
        xg = xc[:, g * cg:(g + 1) * cg]
        wg = w[g * cg:(g + 1) * cg].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                contrib = np.einsum("nchw,co->nohw", xg, wg[:, :, i, j])
                full[:, g * og:(g + 1) * og, i * dh:i * dh + (h - 1) * sh + 1:sh,
                     j * dw:j * dw + (wd - 1) * sw + 1:sw] += contrib
    y = full[:, :, t:t + oh, left:left + ow]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    if activation == "RELU":
        y = np.maximum(y, 0)
    elif activation == "RELU6":
        y = np.clip(y, 0, 6)
    return _from_nchw(y.astype(x.dtype), data_format)


# ---- normalisation -----------------------------------------------------------------------

def _instance_norm(x, scale, bias, *, epsilon=1e-5, data_format="NCHW"):
    xd = x.astype(np.float64)
    if data_format == "NHWC":  # channel last
        axes = tuple(range(1, x.ndim - 1))
        shape = (1,) * (x.ndim - 1) + (-1,)
    else:
        axes = tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = xd.mean(axis=axes, keepdims=True)
    var = ((xd - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (xd - mean) / np.sqrt(var + epsilon) * scale.reshape(shape) + bias.reshape(shape)
    return y.astype(x.dtype)


def _layer_norm(x, scale, bias=None, *, axis=-1, epsilon=1e-5):
    xd = x.astype(np.float64)
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = xd.mean(axis=axes, keepdims=True)
    var = ((xd - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (xd - mean) / np.sqrt(var + epsilon) * scale
    if bias is not None:
        y = y + bias
    return y.astype(x.dtype)


# ---- recurrent ---------------------------------------------------------------------------

def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def _run_rnn(x, w, r, b, seq_lens, h0, c0, p, *, hidden_size, direction, clip, cell):
    seq, batch, _ = x.shape
    dirs = w.shape[0]
    hs = hidden_size
    lens = np.full(batch, seq) if seq_lens is None else np.asarray(seq_lens).astype(np.int64)
    y = np.zeros((seq, dirs, batch, hs))
    y_h = np.zeros((dirs, batch, hs))
    y_c = np.zeros((dirs, batch, hs))
    for d in range(dirs):
        reverse = direction == "reverse" or (direction == "bidirectional" and d == 1)
        h = np.zeros((batch, hs)) if h0 is None else h0[d].astype(np.float64)
        c = np.zeros((batch, hs)) if c0 is None else c0[d].astype(np.float64)
        for bi in range(batch):
            hb, cb = h[bi:bi + 1], c[bi:bi + 1]
            steps = range(lens[bi] - 1, -1, -1) if reverse else range(lens[bi])
            for t in steps:
                hb, cb = cell(x[t, bi:bi + 1].astype(np.float64), hb, cb, w[d], r[d],
                              None if b is None else b[d], None if p is None else p[d], clip)
                y[t, d, bi] = hb[0]
            y_h[d, bi], y_c[d, bi] = hb[0], cb[0]
    return y, y_h, y_c


def _clipped(v, clip):
    return np.clip(v, -clip, clip) if clip else v


def _lstm_cell(input_forget: bool):
    def cell(xt, h, c, w, r, b, p, clip):
        hs = h.shape[1]
        gates = xt @ w.T + h @ r.T
        if b is not None:
            gates = gates + b[:4 * hs] + b[4 * hs:]
        gi, go, gf, gc = (gates[:, k * hs:(k + 1) * hs] for k in range(4))
        pi, po, pf = (np.zeros(hs),) * 3 if p is None else (p[:hs], p[hs:2 * hs], p[2 * hs:])
        i = _sigmoid(_clipped(gi + pi * c, clip))
        f = 1 - i if input_forget else _sigmoid(_clipped(gf + pf * c, clip))
        ct = np.tanh(_clipped(gc, clip))
        c_new = f * c + i * ct
        o = _sigmoid(_clipped(go + po * c_new, clip))
        return o * np.tanh(c_new), c_new
    return cell


def _gru_cell(linear_before_reset: bool):
    def cell(xt, h, c, w, r, b, p, clip):
        hs = h.shape[1]
        wb = np.zeros(3 * hs) if b is None else b[:3 * hs]
        rb = np.zeros(3 * hs) if b is None else b[3 * hs:]
        xw = xt @ w.T + wb
        z = _sigmoid(_clipped(xw[:, :hs] + h @ r[:hs].T + rb[:hs], clip))
        rr = _sigmoid(_clipped(xw[:, hs:2 * hs] + h @ r[hs:2 * hs].T + rb[hs:2 * hs], clip))
        if linear_before_reset:
            hh = xw[:, 2 * hs:] + rr * (h @ r[2 * hs:].T + rb[2 * hs:])
        else:
            hh = xw[:, 2 * hs:] + (rr * h) @ r[2 * hs:].T + rb[2 * hs:]
        hh = np.tanh(_clipped(hh, clip))
        return (1 - z) * hh + z * h, c
    return cell


def _lstm(x, w, r, b=None, seq_lens=None, h0=None, c0=None, p=None, *, hidden_size, direction="forward",
          clip=0.0, input_forget=False):
    y, y_h, y_c = _run_rnn(x, w, r, b, seq_lens, h0, c0, p, hidden_size=hidden_size, direction=direction,
                           clip=clip, cell=_lstm_cell(input_forget))
    return tuple(v.astype(x.dtype) for v in (y, y_h, y_c))


def _gru(x, w, r, b=None, seq_lens=None, h0=None, *, hidden_size, direction="forward", clip=0.0,
         linear_before_reset=False):
    y, y_h, _ = _run_rnn(x, w, r, b, seq_lens, h0, None, None, hidden_size=hidden_size, direction=direction,
                         clip=clip, cell=_gru_cell(linear_before_reset))
    return y.astype(x.dtype), y_h.astype(x.dtype)


KERNELS: dict[str, Kernel] = {
    "Resize": _resize,
    "ConvTranspose": _conv_transpose,
    "InstanceNorm": _instance_norm,
    "LayerNorm": _layer_norm,
    "LSTM": _lstm,
    "GRU": _gru,
}
