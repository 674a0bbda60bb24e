"""numpy kernels of the elementwise, comparison, logical and reduction IR ops (evaluate.py
merges them into KERNELS)."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

Kernel = Callable[..., np.ndarray]

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _f(fn: Callable) -> Kernel:
    """A float unary op computed in float64, returned in the input's dtype."""
    def k(x):
        return np.asarray(fn(x.astype(np.float64))).astype(x.dtype)
    return k


def _softplus(x):
    return np.logaddexp(0.0, x)


def _same_dtype(fn: Callable) -> Kernel:
    def k(*xs):
        return np.asarray(fn(*xs)).astype(xs[0].dtype)
    return k


def _hard_sigmoid(x, alpha=0.2, beta=0.5):
    return np.clip(alpha * x.astype(np.float64) + beta, 0, 1).astype(x.dtype)


def _reduce(fn: Callable) -> Kernel:
    def k(x, axes, keepdims=True):
        y = fn(x.astype(np.float64) if x.dtype.kind == "f" else x, axis=tuple(axes), keepdims=bool(keepdims))
        return np.asarray(y).astype(x.dtype)
    return k


def _l2(x, axis, keepdims):
    return np.sqrt(np.sum(np.square(x), axis=axis, keepdims=keepdims))


def _arg(fn: Callable) -> Kernel:
    def k(x, axis, keepdims=True, select_last_index=False):
        if select_last_index:
            n = x.shape[axis]
            idx = n - 1 - fn(np.flip(x, axis), axis=axis)
        else:
            idx = fn(x, axis=axis)
        if keepdims:
            idx = np.expand_dims(idx, axis)
        return np.asarray(idx, np.int64)
    return k


def _cmp(fn: Callable) -> Kernel:
    return lambda a, b: np.asarray(fn(a, b), np.bool_)


def _cast(x, to):
    return x.astype(np.dtype(to))


KERNELS: dict[str, Kernel] = {
    "Exp": _f(np.exp), "Log": _f(np.log), "Sqrt": _f(np.sqrt), "Rsqrt": _f(lambda x: 1 / np.sqrt(x)),
    "Abs": np.abs, "Neg": np.negative, "Reciprocal": _f(lambda x: 1 / x),
    "Floor": np.floor, "Ceil": np.ceil, "Round": np.round, "Erf": _f(_erf),
    "Softplus": _f(_softplus), "Swish": _f(lambda x: x / (1 + np.exp(-x))),
    "Mish": _f(lambda x: x * np.tanh(_softplus(x))), "HardSigmoid": _hard_sigmoid,
    "Sin": _f(np.sin), "Cos": _f(np.cos),
    "Pow": _same_dtype(np.power), "Minimum": _same_dtype(np.minimum), "Maximum": _same_dtype(np.maximum),
    "PRelu": _same_dtype(lambda x, s: np.where(x < 0, x * s, x)),
    "Equal": _cmp(np.equal), "NotEqual": _cmp(np.not_equal), "Less": _cmp(np.less),
    "LessEqual": _cmp(np.less_equal), "Greater": _cmp(np.greater), "GreaterEqual": _cmp(np.greater_equal),
    "And": _cmp(np.logical_and), "Or": _cmp(np.logical_or), "Not": lambda x: np.logical_not(x),
    "Where": lambda c, a, b: np.where(c, a, b).astype(a.dtype),
    "Cast": _cast,
    "ReduceSum": _reduce(np.sum), "ReduceMax": _reduce(np.max), "ReduceMin": _reduce(np.min),
    "ReduceProd": _reduce(np.prod), "ReduceL2": _reduce(_l2),
    "ArgMax": _arg(np.argmax), "ArgMin": _arg(np.argmin),
}
