"""TFLite shape and data-movement ops, built directly, against LiteRT."""

from __future__ import annotations

import numpy as np
import pytest
from builder import ModelBuilder, options
from tflite_check import check


@pytest.mark.parametrize("target,out", [([2, -1], (2, 60)), ([4, 30], (4, 30)), ([-1, 5, 4, 3, 2], (1, 5, 4, 3, 2))])
@pytest.mark.parametrize("how", ["input", "option"])
def test_reshape(rng, target, out, how):
    b = ModelBuilder()
    b.input("x", (2, 5, 4, 3))
    if how == "input":
        b.const("shape", np.array(target, np.int32))
        b.op("RESHAPE", ["x", "shape"], [("y", out)])
    else:
        b.op("RESHAPE", ["x"], [("y", out)], options("ReshapeOptions", newShape=target))
    b.output("y")
    check(b.build(), rng)


def test_reshape_of_computed_shape(rng):
    """SHAPE → STRIDED_SLICE → PACK → RESHAPE, the shape arithmetic TensorFlow leaves behind."""
    b = ModelBuilder()
    b.input("x", (2, 3, 4, 5))
    b.op("SHAPE", ["x"], [("s", (4,))], options("ShapeOptions", outType=2), out_dtype=np.int32)
    b.const("begin", np.array([0], np.int32))
    b.const("end", np.array([1], np.int32))
    b.const("one", np.array([1], np.int32))
    b.op("STRIDED_SLICE", ["s", "begin", "end", "one"], [("n", ())],
         options("StridedSliceOptions", shrinkAxisMask=1), out_dtype=np.int32)
    b.const("m1", np.array(-1, np.int32))
    b.op("PACK", ["n", "m1"], [("target", (2,))], options("PackOptions", valuesCount=2, axis=0), out_dtype=np.int32)
    b.op("RESHAPE", ["x", "target"], [("y", (2, 60))])
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("dims,out", [([], (3, 4)), ([0], (3, 1, 4)), ([-2], (1, 3, 4))])
def test_squeeze(rng, dims, out):
    b = ModelBuilder()
    b.input("x", (1, 3, 1, 4))
    b.op("SQUEEZE", ["x"], [("y", out)], options("SqueezeOptions", squeezeDims=dims))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("axis,out", [(0, (1, 3, 4)), (-1, (3, 4, 1)), (1, (3, 1, 4))])
def test_expand_dims(rng, axis, out):
    b = ModelBuilder()
    b.input("x", (3, 4))
    b.const("axis", np.array([axis], np.int32))
    b.op("EXPAND_DIMS", ["x", "axis"], [("y", out)])
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("axis", [3, -1, 1, 0])
def test_concatenation(rng, axis):
    shapes = [(1, 4, 4, 3), (1, 4, 4, 3), (1, 4, 4, 3)]
    out = list(shapes[0])
    out[axis] *= 3
    b = ModelBuilder()
    for i, s_ in enumerate(shapes):
        b.input(f"x{i}", s_)
    b.op("CONCATENATION", ["x0", "x1", "x2"], [("y", tuple(out))], options("ConcatenationOptions", axis=axis))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_pack(rng, axis):
    out = [3, 4]
    out.insert(axis % 3, 2)
    b = ModelBuilder()
    b.input("a", (3, 4))
    b.input("b", (3, 4))
    b.op("PACK", ["a", "b"], [("y", tuple(out))], options("PackOptions", valuesCount=2, axis=axis))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("op", ["PAD", "PADV2"])
def test_pad(rng, op):
    pads = np.array([[0, 0], [1, 2], [2, 0], [0, 1]], np.int32)
    b = ModelBuilder()
    b.input("x", (1, 4, 5, 3))
    b.const("p", pads)
    ins = ["x", "p"]
    if op == "PADV2":
        b.const("v", np.array([1.5], np.float32))
        ins.append("v")
    b.op(op, ins, [("y", (1, 7, 7, 4))])
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("mode,pads", [(0, [[0, 0], [2, 1], [1, 3], [0, 0]]), (1, [[0, 0], [1, 1], [0, 1], [0, 0]])])
def test_mirror_pad(rng, mode, pads):
    p = np.array(pads, np.int32)
    shape = (1, 5, 6, 2)
    out = tuple(int(d + a + c) for d, (a, c) in zip(shape, p))
    b = ModelBuilder()
    b.input("x", shape)
    b.const("p", p)
    b.op("MIRROR_PAD", ["x", "p"], [("y", out)], options("MirrorPadOptions", mode=mode))
    b.output("y")
    check(b.build(), rng)


@pytest.mark.parametrize("perm", [(0, 3, 1, 2), (0, 2, 1, 3), (3, 2, 1, 0)])
def test_transpose(rng, perm):
    shape = (2, 3, 4, 5)
    b = ModelBuilder()
    b.input("x", shape)
    b.const("perm", np.array(perm, np.int32))
    b.op("TRANSPOSE", ["x", "perm"], [("y", tuple(shape[p] for p in perm))])
    b.output("y")
    check(b.build(), rng)
