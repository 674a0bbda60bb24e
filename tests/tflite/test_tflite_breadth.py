"""The TFLite ops of the breadth set (unary math, min/max, reductions, arg max, slicing,
splitting, gathering), built directly, against LiteRT."""

from __future__ import annotations

import numpy as np
import pytest
from builder import ModelBuilder, options
from tflite_check import check

SHAPE = (2, 3, 4, 5)


def _single(op: str, inputs: dict, out_shape, opts=None, out_dtype=np.float32, consts: dict | None = None,
            version: int = 1) -> bytes:
    b = ModelBuilder()
    for name, (shape, dtype) in inputs.items():
        b.input(name, shape, dtype)
    for name, value in (consts or {}).items():
        b.const(name, value)
    b.op(op, [*inputs, *(consts or {})], [("y", out_shape)], opts, out_dtype=out_dtype, version=version)
    b.output("y")
    return b.build()


@pytest.mark.parametrize("op,positive", [("EXP", False), ("LOG", True), ("SQRT", True), ("RSQRT", True),
                                         ("ABS", False), ("NEG", False), ("FLOOR", False), ("CEIL", False),
                                         ("ROUND", False), ("SIN", False), ("COS", False)])
def test_unary_math(rng, op, positive):
    x = (3 * rng.standard_normal(SHAPE)).astype(np.float32)
    if positive:
        x = np.abs(x) + 0.1
    if op == "ROUND":
        x[0, 0, 0, :4] = [0.5, 1.5, -2.5, 2.5]  # ties go to even
    check(_single(op, {"x": (SHAPE, np.float32)}, SHAPE), rng, feeds={"x": x})


@pytest.mark.parametrize("op", ["MAXIMUM", "MINIMUM", "POW", "PRELU"])
def test_binary_math(rng, op):
    a = rng.standard_normal(SHAPE).astype(np.float32)
    b = rng.standard_normal((1, 1, 4, 5)).astype(np.float32)
    if op == "POW":
        a, b = np.abs(a) + 0.1, b.round(1)
    consts = {"b": b} if op == "PRELU" else None
    inputs = {"a": (SHAPE, np.float32)} if op == "PRELU" else {"a": (SHAPE, np.float32), "b": (b.shape, np.float32)}
    feeds = {"a": a} if op == "PRELU" else {"a": a, "b": b}
    check(_single(op, inputs, SHAPE, consts=consts), rng, feeds=feeds)


@pytest.mark.parametrize("op", ["SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"])
@pytest.mark.parametrize("axes,keep", [([1, 2], True), ([-1], False), ([0, 2, 3], False)])
def test_reduce(rng, op, axes, keep):
    norm = [a % 4 for a in axes]
    out = tuple(1 if i in norm else d for i, d in enumerate(SHAPE)) if keep else \
        tuple(d for i, d in enumerate(SHAPE) if i not in norm)
    x = rng.uniform(0.5, 1.5, SHAPE).astype(np.float32) if op == "REDUCE_PROD" else None
    check(_single(op, {"x": (SHAPE, np.float32)}, out, options("ReducerOptions", keepDims=keep),
                  consts={"axes": np.array(axes, np.int32)}), rng, feeds=None if x is None else {"x": x})


@pytest.mark.parametrize("op", ["ARG_MAX", "ARG_MIN"])
@pytest.mark.parametrize("axis", [3, 1, -1])
@pytest.mark.parametrize("out_type", [np.int32, np.int64])
def test_arg_max_min(rng, op, axis, out_type):
    out = tuple(d for i, d in enumerate(SHAPE) if i != axis % 4)
    opts = options("ArgMaxOptions" if op == "ARG_MAX" else "ArgMinOptions",
                   outputType=2 if out_type == np.int32 else 4)
    check(_single(op, {"x": (SHAPE, np.float32)}, out, opts, out_dtype=out_type,
                  consts={"axis": np.array([axis], np.int32)}), rng)


@pytest.mark.parametrize("case", [
    # begin, end, strides, masks (begin, end, shrink), output shape
    ([0, 1, 0, 0], [2, 3, 4, 5], [1, 1, 1, 1], (0, 0, 0), (2, 2, 4, 5)),
    ([0, 0, 1, 0], [0, 0, -1, 5], [1, 1, 2, 1], (3, 3, 0), (2, 3, 1, 5)),
    ([0, 0, 0, 4], [0, 0, 0, 0], [1, 1, 1, -1], (7, 15, 0), (2, 3, 4, 5)),
    ([0, 0, 0, -1], [0, 0, 0, 0], [1, 1, 1, 1], (7, 7, 8), (2, 3, 4)),
    ([1, 0], [2, 3], [1, 1], (0, 2, 1), (3, 4, 5)),
    ([0, 2, 3, 1], [2, -5, 0, 5], [1, -1, -2, 2], (0, 0, 0), (2, 3, 2, 2)),
])
def test_strided_slice(rng, case):
    begin, end, strides, (bm, em, sm), out = case
    opts = options("StridedSliceOptions", beginMask=bm, endMask=em, shrinkAxisMask=sm)
    check(_single("STRIDED_SLICE", {"x": (SHAPE, np.float32)}, out, opts,
                  consts={"b": np.array(begin, np.int32), "e": np.array(end, np.int32),
                          "s": np.array(strides, np.int32)}), rng)


def test_slice(rng):
    check(_single("SLICE", {"x": (SHAPE, np.float32)}, (1, 2, 4, 3),
                  consts={"b": np.array([1, 0, 0, 2], np.int32), "s": np.array([1, 2, -1, 3], np.int32)}), rng)


@pytest.mark.parametrize("axis", [0, 2, -1])
def test_gather_constant_indices(rng, axis):
    idx = np.array([[1, 0], [1, 1]], np.int32)
    a = axis % 4
    out = SHAPE[:a] + (2, 2) + SHAPE[a + 1:]
    check(_single("GATHER", {"x": (SHAPE, np.float32)}, out, options("GatherOptions", axis=axis),
                  consts={"i": idx}), rng)


def test_gather_embedding_lookup(rng):
    """Token ids at run time into a constant table: the embedding of a text model."""
    b = ModelBuilder()
    b.const("table", rng.standard_normal((10, 6)).astype(np.float32))
    b.input("ids", (2, 7), np.int32)
    b.op("GATHER", ["table", "ids"], [("y", (2, 7, 6))], options("GatherOptions", axis=0))
    b.output("y")
    check(b.build(), rng, feeds={"ids": rng.integers(0, 10, (2, 7)).astype(np.int32)})


@pytest.mark.parametrize("axis,n", [(3, 5), (1, 3), (-2, 2)])
def test_split(rng, axis, n):
    b = ModelBuilder()
    b.const("axis", np.array(axis, np.int32))
    b.input("x", SHAPE)
    part = list(SHAPE)
    part[axis] //= n
    b.op("SPLIT", ["axis", "x"], [(f"y{i}", tuple(part)) for i in range(n)], options("SplitOptions", numSplits=n))
    b.output(*[f"y{i}" for i in range(n)])
    check(b.build(), rng)


def test_split_v(rng):
    b = ModelBuilder()
    b.input("x", SHAPE)
    b.const("sizes", np.array([1, -1, 2], np.int32))
    b.const("axis", np.array([3], np.int32))
    b.op("SPLIT_V", ["x", "sizes", "axis"], [("a", (2, 3, 4, 1)), ("b", (2, 3, 4, 2)), ("c", (2, 3, 4, 2))],
         options("SplitVOptions", numSplits=3))
    b.output("a", "b", "c")
    check(b.build(), rng)


def test_unpack(rng):
    b = ModelBuilder()
    b.input("x", (3, 4, 2))
    b.op("UNPACK", ["x"], [(f"y{i}", (3, 2)) for i in range(4)], options("UnpackOptions", num=4, axis=1))
    b.output(*[f"y{i}" for i in range(4)])
    check(b.build(), rng)


def test_tile(rng):
    check(_single("TILE", {"x": ((2, 1, 3), np.float32)}, (4, 3, 3), consts={"m": np.array([2, 3, 1], np.int32)}),
          rng)


def test_broadcast_to(rng):
    check(_single("BROADCAST_TO", {"x": ((1, 3, 1), np.float32)}, (2, 3, 4),
                  consts={"s": np.array([2, 3, 4], np.int32)}, version=2), rng)


def test_cast_and_select(rng):
    b = ModelBuilder()
    b.input("x", (2, 6))
    b.input("z", (2, 6))
    b.op("GREATER", ["x", "z"], [("gt", (2, 6))], out_dtype=np.bool_)
    b.op("SELECT_V2", ["gt", "x", "z"], [("mx", (2, 6))])
    b.op("CAST", ["gt"], [("gt_f", (2, 6))])
    b.op("ADD", ["mx", "gt_f"], [("y", (2, 6))], options("AddOptions"))
    b.output("y")
    check(b.build(), rng)
