"""A numpy interpreter of the canonical IR: constant folding uses it per node, tests use it
to check that passes keep a graph's meaning. Written for clarity, not speed."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from . import evaluate_data, evaluate_math, evaluate_nn
from .errors import ConversionError
from .evaluate_math import _erf
from .ir import Graph, Node
from .passes.spatial import explicit_pads, spatial_out

Kernel = Callable[..., np.ndarray]


def _act(y: np.ndarray, activation: str = "NONE") -> np.ndarray:
    if activation == "RELU":
        return np.maximum(y, 0).astype(y.dtype)
    if activation == "RELU6":
        return np.clip(y, 0, 6).astype(y.dtype)
    return y


def _binary(fn: Callable) -> Kernel:
    def k(a, b, activation="NONE"):
        return _act(np.asarray(fn(a, b)).astype(np.result_type(a, b)), activation)
    return k


def _div(a, b):
    if np.issubdtype(np.result_type(a, b), np.integer):
        return np.trunc(a / b)  # onnx integer Div truncates
    return a / b


def _gelu(x, approximate=False):
    xd = x.astype(np.float64)
    if approximate:
        y = 0.5 * xd * (1 + np.tanh(math.sqrt(2 / math.pi) * (xd + 0.044715 * xd**3)))
    else:
        y = 0.5 * xd * (1 + _erf(xd / math.sqrt(2)))
    return y.astype(x.dtype)


def _to_nchw(x, fmt):
    return x.transpose(0, 3, 1, 2) if fmt == "NHWC" else x


def _from_nchw(y, fmt):
    return y.transpose(0, 2, 3, 1) if fmt == "NHWC" else y


def _conv(x, w, b=None, *, strides=(1, 1), dilations=(1, 1), pads=(0, 0, 0, 0), auto_pad="NOTSET",
          group=1, activation="NONE", data_format="NCHW"):
    x = _to_nchw(x, data_format)
    n, c, h, wd = x.shape
    o, ci, kh, kw = w.shape
    attrs = {"strides": strides, "dilations": dilations, "pads": pads, "auto_pad": auto_pad}
    oh, ow = spatial_out((h, wd), attrs, (kh, kw))
    t, left, _, _ = explicit_pads((h, wd), attrs, (kh, kw))
    sh, sw = strides
    dh, dw = dilations
    need_h, need_w = (oh - 1) * sh + (kh - 1) * dh + 1, (ow - 1) * sw + (kw - 1) * dw + 1
    xp = np.zeros((n, c, max(need_h, h + t), max(need_w, wd + left)), np.float64)
    xp[:, :, t:t + h, left:left + wd] = x
    xg = xp.reshape(n, group, c // group, xp.shape[2], xp.shape[3])
    wg = w.astype(np.float64).reshape(group, o // group, ci, kh, kw)
    y = np.zeros((n, group, o // group, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xg[:, :, :, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
            y += np.einsum("ngchw,goc->ngohw", patch, wg[:, :, :, i, j])
    y = y.reshape(n, o, oh, ow)
    if b is not None:
        y += b.reshape(1, o, 1, 1)
    return _from_nchw(_act(y.astype(x.dtype), activation), data_format)


def _pool(kind: str) -> Kernel:
    def k(x, *, kernel, strides=(1, 1), dilations=(1, 1), pads=(0, 0, 0, 0), auto_pad="NOTSET",
          ceil_mode=False, count_include_pad=False, activation="NONE", data_format="NCHW"):
        x = _to_nchw(x, data_format)
        n, c, h, w = x.shape
        kh, kw = kernel
        attrs = {"strides": strides, "dilations": dilations, "pads": pads, "auto_pad": auto_pad, "ceil_mode": ceil_mode}
        oh, ow = spatial_out((h, w), attrs, (kh, kw))
        t, left, b, r = explicit_pads((h, w), attrs, (kh, kw))
        sh, sw = strides
        dh, dw = dilations
        need_h = max((oh - 1) * sh + (kh - 1) * dh + 1, h + t + b)
        need_w = max((ow - 1) * sw + (kw - 1) * dw + 1, w + left + r)
        fill = -np.inf if kind == "max" else 0.0
        xp = np.full((n, c, need_h, need_w), fill)
        xp[:, :, t:t + h, left:left + w] = x
        inside = np.zeros((need_h, need_w))
        inside[t:t + h, left:left + w] = 1
        if count_include_pad:
            inside[:h + t + b, :w + left + r] = 1
        acc = np.full((n, c, oh, ow), fill)
        cnt = np.zeros((oh, ow))
        for i in range(kh):
            for j in range(kw):
                sl = (slice(i * dh, i * dh + (oh - 1) * sh + 1, sh), slice(j * dw, j * dw + (ow - 1) * sw + 1, sw))
                patch = xp[(slice(None), slice(None)) + sl]
                acc = np.maximum(acc, patch) if kind == "max" else acc + patch
                cnt += inside[sl]
        y = acc if kind == "max" else acc / np.maximum(cnt, 1)
        return _from_nchw(_act(y.astype(x.dtype), activation), data_format)
    return k


def _softmax(x, axis=-1, beta=1.0):
    x = x * np.asarray(beta, x.dtype) if beta != 1.0 else x
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def _pad(x, *, pads, mode="constant", value=0.0):
    r = x.ndim
    width = [(pads[i], pads[i + r]) for i in range(r)]
    if mode == "constant":
        return np.pad(x, width, mode="constant", constant_values=value)
    return np.pad(x, width, mode=mode)


def _matmul(a, b, adj_a=False, adj_b=False):
    if adj_a:
        a = np.swapaxes(a, -1, -2)
    if adj_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def _fc(x, w, b=None, activation="NONE"):
    y = x @ w.T
    if b is not None:
        y = y + b
    return _act(y.astype(x.dtype), activation)


def _bn(x, scale, bias, mean, var, epsilon=1e-5):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    inv = scale / np.sqrt(var + epsilon)
    return ((x - mean.reshape(shape)) * inv.reshape(shape) + bias.reshape(shape)).astype(x.dtype)


KERNELS: dict[str, Kernel] = {
    "Add": _binary(np.add),
    "Sub": _binary(np.subtract),
    "Mul": _binary(np.multiply),
    "Div": _binary(_div),
    "Relu": lambda x: np.maximum(x, 0).astype(x.dtype),
    "Clip": lambda x, min=-np.inf, max=np.inf: np.clip(x, min, max).astype(x.dtype),
    "LeakyRelu": lambda x, alpha=0.01: np.where(x >= 0, x, alpha * x).astype(x.dtype),
    "Sigmoid": lambda x: (1 / (1 + np.exp(-x))).astype(x.dtype),
    "Tanh": np.tanh,
    "HardSwish": lambda x: (x * np.clip(x + 3, 0, 6) / 6).astype(x.dtype),
    "Gelu": _gelu,
    "Identity": lambda x: x,
    "Conv": _conv,
    "MaxPool": _pool("max"),
    "AveragePool": _pool("avg"),
    "ReduceMean": lambda x, axes, keepdims=True: np.mean(x, axis=tuple(axes), keepdims=bool(keepdims)).astype(
        x.dtype),
    "Softmax": _softmax,
    "Reshape": lambda x, shape: x.reshape(shape),
    "Concat": lambda *xs, axis, activation="NONE": _act(np.concatenate(xs, axis=axis), activation),
    "Pad": _pad,
    "Transpose": lambda x, perm: np.transpose(x, perm),
    "MatMul": _matmul,
    "FullyConnected": _fc,
    "BatchNormalization": _bn,
    **evaluate_math.KERNELS,
    **evaluate_data.KERNELS,
    **evaluate_nn.KERNELS,
}


def eval_node(node: Node, inputs: list[np.ndarray | None]) -> list[np.ndarray]:
    k = KERNELS.get(node.op)
    if k is None:
        raise ConversionError(f"internal: cannot evaluate IR op '{node.op}'")
    args = list(inputs)
    while args and args[-1] is None:
        args.pop()
    with np.errstate(all="ignore"):  # IEEE results (inf, nan) are the answer, not a problem
        out = k(*args, **node.attrs)
    if isinstance(out, tuple):
        return [np.asarray(o) for o in out]
    return [np.asarray(out)]


def run_graph(graph: Graph, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run the whole graph in numpy; returns the graph outputs by name."""
    env: dict[str, np.ndarray] = {n: t.data for n, t in graph.tensors.items() if t.is_const}
    env.update(feeds)
    for node in graph.nodes:
        outs = eval_node(node, [None if i is None else env[i] for i in node.inputs])
        env.update(zip(node.outputs, outs))
    return {o: env[o] for o in graph.outputs}
