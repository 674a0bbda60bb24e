"""The breadth ops that name an axis or a spatial layout, placed after a Conv: mote keeps the
conv output NHWC, so the layout pass must remap each one (or transpose around it) to give the
NCHW answer ONNX Runtime gives."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model_for
from onnx import helper

N, C_IN, H, W = 1, 3, 6, 8
C = 8  # conv output channels; 3x3 pad 1 keeps H, W


def i64(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.int64)


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, **attrs)


def conv_chain(rng, tail, inits=None, outputs=("y",), opset=17, n=N):
    """x [n, 3, 6, 8] -> Conv(3x3, pad 1) -> 'c' [n, 8, 6, 8] -> tail nodes."""
    x = f32(rng, n, C_IN, H, W)
    all_inits = {"w": f32(rng, C, C_IN, 3, 3), "b": f32(rng, C)}
    all_inits.update(inits or {})
    conv = node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    model = make_model_for([conv, *tail], {"x": x}, list(outputs), all_inits, opset)
    return model, {"x": x}


def check(rng, tail, inits=None, outputs=("y",), opset=17, n=N):
    model, feeds = conv_chain(rng, tail, inits, outputs, opset, n)
    assert_close_to_ort(model, feeds)


@pytest.mark.parametrize("mode", ["nearest", "linear", "cubic"])
@pytest.mark.parametrize("kind", ["scales", "sizes"])
def test_conv_resize(rng, mode, kind):
    if kind == "scales":
        inits, names = {"r": np.zeros(0, np.float32), "s": np.array([1, 1, 2, 1.5], np.float32)}, ["c", "r", "s"]
    else:
        inits, names = {"r": np.zeros(0, np.float32), "s": i64(N, C, 9, 5)}, ["c", "r", "", "s"]
    check(rng, [node("Resize", names, ["y"], mode=mode)], inits, opset=13)


def test_conv_resize_conv(rng):
    """An FPN / segmentation-head step: upsample x2 then conv, all inside NHWC."""
    tail = [
        node("Resize", ["c", "", "s"], ["u"], mode="nearest"),
        node("Conv", ["u", "w2", "b2"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    inits = {"s": np.array([1, 1, 2, 2], np.float32), "w2": f32(rng, 4, C, 3, 3), "b2": f32(rng, 4)}
    check(rng, tail, inits, opset=13)


@pytest.mark.parametrize("op", ["ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2"])
@pytest.mark.parametrize("axes", [[1], [2, 3], [1, 3], [-1]], ids=str)
@pytest.mark.parametrize("keepdims", [0, 1])
def test_conv_reduce(rng, op, axes, keepdims):
    tail = [node(op, ["c", "axes"], ["y"], keepdims=keepdims)]
    check(rng, tail, {"axes": i64(*axes)}, opset=18)


@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("axis", [1, 2, -1])
@pytest.mark.parametrize("keepdims", [0, 1])
def test_conv_arg(rng, op, axis, keepdims):
    check(rng, [node(op, ["c"], ["y"], axis=axis, keepdims=keepdims)], opset=13)


@pytest.mark.parametrize("axis,split", [(1, [3, 5]), (1, [4, 4]), (2, [2, 4]), (3, [1, 7]), (-1, [4, 4])], ids=str)
def test_conv_split(rng, axis, split):
    tail = [node("Split", ["c", "s"], ["y0", "y1"], axis=axis)]
    check(rng, tail, {"s": i64(*split)}, outputs=("y0", "y1"), opset=13)


def test_conv_split_glu(rng):
    """GLU: split channels in two halves, a * sigmoid(b)."""
    tail = [
        node("Split", ["c"], ["a", "g"], axis=1, num_outputs=2),
        node("Sigmoid", ["g"], ["s"]),
        node("Mul", ["a", "s"], ["y"]),
    ]
    check(rng, tail, opset=18)


@pytest.mark.parametrize(
    "starts,ends,axes,steps",
    [([2], [6], [1], [1]), ([0], [8], [1], [2]), ([-1], [-100], [1], [-1]), ([1, 2], [5, 7], [2, 3], [1, 2]),
     ([0, 1], [4, 3], [1, 2], [1, 1])],
    ids=str,
)
def test_conv_slice(rng, starts, ends, axes, steps):
    inits = {"s": i64(*starts), "e": i64(*ends), "a": i64(*axes), "st": i64(*steps)}
    check(rng, [node("Slice", ["c", "s", "e", "a", "st"], ["y"])], inits, opset=13)


@pytest.mark.parametrize("axis,indices", [(1, [0, 5, 2]), (1, 3), (2, [-1, 0]), (3, [[1, 2], [3, 4]]), (-1, 7)], ids=str)
def test_conv_gather(rng, axis, indices):
    check(rng, [node("Gather", ["c", "i"], ["y"], axis=axis)], {"i": np.array(indices, np.int64)})


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
def test_conv_depth_to_space(rng, mode):
    """Sub-pixel upsampling (ESPCN / PixelShuffle)."""
    check(rng, [node("DepthToSpace", ["c"], ["y"], blocksize=2, mode=mode)], opset=13)


def test_conv_space_to_depth(rng):
    check(rng, [node("SpaceToDepth", ["c"], ["y"], blocksize=2)], opset=13)


def test_conv_instance_norm(rng):
    check(rng, [node("InstanceNormalization", ["c", "s", "t"], ["y"])], {"s": f32(rng, C), "t": f32(rng, C)})


@pytest.mark.parametrize("axis,k", [(1, 3), (2, 2), (-1, 8)], ids=str)
@pytest.mark.parametrize("largest", [1, 0])
def test_conv_topk(rng, axis, k, largest):
    tail = [node("TopK", ["c", "k"], ["v", "i"], axis=axis, largest=largest)]
    check(rng, tail, {"k": i64(k)}, outputs=("v", "i"), opset=11)


@pytest.mark.parametrize("repeats", [(1, 2, 1, 1), (2, 1, 2, 3)], ids=str)
def test_conv_tile(rng, repeats):
    check(rng, [node("Tile", ["c", "r"], ["y"])], {"r": i64(*repeats)})


def test_conv_expand(rng):
    """Expand a pooled [1, C, 1, 1] back over H and W (squeeze-excite as some exporters write it)."""
    tail = [node("GlobalAveragePool", ["c"], ["p"]), node("Expand", ["p", "s"], ["e"]), node("Mul", ["c", "e"], ["y"])]
    check(rng, tail, {"s": i64(N, C, H, W)})


def test_conv_where_channel_mask(rng):
    """Where with a per-channel [C, 1, 1] condition."""
    mask = (np.arange(C) % 3 == 0).reshape(C, 1, 1)
    check(rng, [node("Where", ["m", "c", "z"], ["y"])], {"m": mask, "z": np.array(0.0, np.float32)})


@pytest.mark.parametrize("op", ["Max", "Min", "Sum", "Mean"])
def test_conv_variadic_with_channel_constant(rng, op):
    check(rng, [node(op, ["c", "k", "c"], ["y"])], {"k": f32(rng, C, 1, 1)})


def test_conv_pow_channel_exponent(rng):
    tail = [node("Abs", ["c"], ["a"]), node("Pow", ["a", "p"], ["y"])]
    check(rng, tail, {"p": np.linspace(0.5, 2.0, C).astype(np.float32).reshape(C, 1, 1)})


def test_conv_transpose_after_conv(rng):
    tail = [node("ConvTranspose", ["c", "wt", "bt"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                 output_padding=[1, 1])]
    check(rng, tail, {"wt": f32(rng, C, 4, 3, 3), "bt": f32(rng, 4)})


def test_conv_einsum_channels(rng):
    """A 1x1 conv written as einsum over channels."""
    check(rng, [node("Einsum", ["c", "m"], ["y"], equation="bchw,cd->bdhw")], {"m": f32(rng, C, 5)}, opset=12)


def test_conv_flatten_lstm(rng):
    """CRNN: conv features [N, C, H, W] -> [W, N, C*H] sequence -> LSTM."""
    hid = 4
    tail = [
        node("Transpose", ["c"], ["t"], perm=[3, 0, 1, 2]),
        node("Reshape", ["t", "shape"], ["seq"]),
        node("LSTM", ["seq", "Wl", "Rl", "Bl"], ["Y"], hidden_size=hid),
        node("Squeeze", ["Y", "ax"], ["y"]),
    ]
    inits = {"shape": i64(W, N, C * H), "Wl": f32(rng, 1, 4 * hid, C * H) * 0.2, "Rl": f32(rng, 1, 4 * hid, hid) * 0.5,
             "Bl": f32(rng, 1, 8 * hid) * 0.5, "ax": i64(1)}
    check(rng, tail, inits, opset=14)


def test_conv_batch2_layout_ops(rng):
    """Batch 2 through resize, slice and argmax: the batch axis stays the batch axis."""
    tail = [
        node("Resize", ["c", "", "s"], ["u"], mode="linear"),
        node("Slice", ["u", "st", "en", "ax"], ["sl"]),
        node("ArgMax", ["sl"], ["y"], axis=1, keepdims=0),
    ]
    inits = {"s": np.array([1, 1, 2, 2], np.float32), "st": i64(1), "en": i64(7), "ax": i64(1)}
    check(rng, tail, inits, opset=13, n=2)
