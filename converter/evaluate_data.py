"""numpy kernels of the data-movement IR ops (evaluate.py merges them into KERNELS)."""

from __future__ import annotations

from typing import Callable

import numpy as np

Kernel = Callable[..., object]


def _split(x, axis, sizes):
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _slice(x, starts, ends, steps):
    for a, (b, e, st) in enumerate(zip(starts, ends, steps)):
        x = np.take(x, np.arange(b, e, st, dtype=np.int64), axis=a)
    return x


def _gather(x, idx, axis=0):
    idx = np.where(idx < 0, idx + x.shape[axis], idx)
    return np.take(x, idx, axis=axis)


def _topk(x, k, axis=-1, largest=True):
    key = -x if largest else x
    order = np.argsort(key, axis=axis, kind="stable")
    idx = np.take(order, np.arange(k), axis=axis)
    return np.take_along_axis(x, idx, axis=axis), idx.astype(np.int64)


def _nchw(x, fmt):
    return x.transpose(0, 3, 1, 2) if fmt == "NHWC" else x


def _back(y, fmt):
    return y.transpose(0, 2, 3, 1) if fmt == "NHWC" else y


def _depth_to_space(x, block_size, mode="DCR", data_format="NCHW"):
    x = _nchw(x, data_format)
    n, c, h, w = x.shape
    b = block_size
    if mode == "DCR":
        y = x.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        y = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return _back(y.reshape(n, c // (b * b), h * b, w * b), data_format)


def _space_to_depth(x, block_size, mode="DCR", data_format="NCHW"):
    x = _nchw(x, data_format)
    n, c, h, w = x.shape
    b = block_size
    y = x.reshape(n, c, h // b, b, w // b, b)
    y = y.transpose(0, 3, 5, 1, 2, 4) if mode == "DCR" else y.transpose(0, 1, 3, 5, 2, 4)
    return _back(y.reshape(n, c * b * b, h // b, w // b), data_format)


KERNELS: dict[str, Kernel] = {
    "Split": _split,
    "Slice": _slice,
    "Gather": _gather,
    "Tile": lambda x, multiples: np.tile(x, tuple(multiples)),
    "BroadcastTo": lambda x, shape: np.broadcast_to(x, tuple(shape)).copy(),
    "TopK": _topk,
    "DepthToSpace": _depth_to_space,
    "SpaceToDepth": _space_to_depth,
}
