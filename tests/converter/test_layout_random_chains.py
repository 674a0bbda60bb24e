"""Random chains of layout-sensitive breadth ops after a Conv (so they start NHWC inside mote):
slices, reductions, transposes, tiles, broadcasts with constants of random shape, split+concat,
gathers, softmax, top-k, resize, depth/space, norms, arg-max. Each chain runs as IR (numpy)
and, where libmote is built, end to end, against ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx_builders import check_ir_vs_ort, runtime_available, typed_model

N = helper.make_node
Shape = tuple[int, int, int, int]


class Chain:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.nodes: list = []
        self.inits: dict[str, np.ndarray] = {}
        self.k = 0

    def name(self, hint: str) -> str:
        self.k += 1
        return f"{hint}{self.k}"

    def const(self, value: np.ndarray, hint: str = "k") -> str:
        n = self.name(hint)
        self.inits[n] = value
        return n

    def f32(self, *shape: int) -> np.ndarray:
        return self.rng.standard_normal(shape).astype(np.float32)

    def add(self, op: str, inputs: list[str], n_out: int = 1, **attrs) -> str:
        outs = [self.name(op.lower()) for _ in range(n_out)]
        self.nodes.append(N(op, inputs, outs, **attrs))
        return outs[0]


def _axis(ch: Chain, s: Shape, min_dim: int = 1) -> int | None:
    axes = [a for a in (1, 2, 3) if s[a] >= min_dim]
    return int(ch.rng.choice(axes)) if axes else None


def op_slice(ch, x, s):
    a = _axis(ch, s, 2)
    if a is None:
        return x, s
    step = int(ch.rng.choice([1, 2, -1, -2]))
    start, end = (0, s[a]) if step > 0 else (-1, -(s[a] + 5))
    y = ch.add("Slice", [x, ch.const(np.array([start], np.int64)), ch.const(np.array([end], np.int64)),
                         ch.const(np.array([a], np.int64)), ch.const(np.array([step], np.int64))])
    out = list(s)
    out[a] = -(-s[a] // abs(step))
    return y, tuple(out)


def op_reduce(ch, x, s):
    op = str(ch.rng.choice(["ReduceSum", "ReduceMax", "ReduceMin", "ReduceMean", "ReduceL2"]))
    axes = sorted(int(a) for a in ch.rng.choice([1, 2, 3], size=int(ch.rng.integers(1, 3)), replace=False))
    y = ch.add(op, [x, ch.const(np.array(axes, np.int64))], keepdims=1)
    return y, tuple(1 if i in axes else d for i, d in enumerate(s))


def op_transpose(ch, x, s):
    perm = [0] + [int(p) for p in ch.rng.permutation([1, 2, 3])]
    return ch.add("Transpose", [x], perm=perm), tuple(s[p] for p in perm)


def op_tile(ch, x, s):
    reps = [1] + [int(r) for r in ch.rng.integers(1, 3, 3)]
    return ch.add("Tile", [x, ch.const(np.array(reps, np.int64))]), tuple(d * r for d, r in zip(s, reps))


def op_broadcast_binary(ch, x, s):
    cshape = [d if ch.rng.random() < 0.5 else 1 for d in s[1:]]
    while cshape and cshape[0] == 1 and ch.rng.random() < 0.5:
        cshape = cshape[1:]  # lower-rank constants broadcast from the right
    op = str(ch.rng.choice(["Min", "Max", "PRelu", "Sub", "Where", "Pow"]))
    c = ch.const(ch.f32(*cshape))
    if op == "Where":
        mask = ch.const(ch.rng.random(cshape) < 0.5, "mask")
        return ch.add("Where", [mask, x, c]), s
    if op == "Pow":
        return ch.add("Pow", [ch.add("Abs", [x]), ch.const(np.abs(ch.f32(*cshape)) + 0.5)]), s
    return ch.add(op, [x, c]), s


def op_split_concat(ch, x, s):
    a = _axis(ch, s, 2)
    if a is None:
        return x, s
    first = int(ch.rng.integers(1, s[a]))
    p0, p1 = ch.add("Split", [x, ch.const(np.array([first, s[a] - first], np.int64))], n_out=2, axis=a), None
    p1 = ch.nodes[-1].output[1]
    return ch.add("Concat", [p1, p0], axis=a), s


def op_gather(ch, x, s):
    a = _axis(ch, s)
    idx = ch.rng.integers(-s[a], s[a], int(ch.rng.integers(1, 4))).astype(np.int64)
    out = list(s)
    out[a] = len(idx)
    return ch.add("Gather", [x, ch.const(idx)], axis=a), tuple(out)


def op_softmax(ch, x, s):
    return ch.add("Softmax", [x], axis=int(ch.rng.integers(1, 4))), s


def op_topk(ch, x, s):
    a = _axis(ch, s)
    k = int(ch.rng.integers(1, s[a] + 1))
    y = ch.add("TopK", [x, ch.const(np.array([k], np.int64))], n_out=2, axis=a, largest=int(ch.rng.integers(0, 2)))
    out = list(s)
    out[a] = k
    return y, tuple(out)


def op_resize(ch, x, s):
    scales = np.array([1, 1, ch.rng.choice([1, 2]), ch.rng.choice([0.5, 1, 2]) if s[3] >= 2 else 2], np.float32)
    mode = str(ch.rng.choice(["nearest", "linear"]))
    y = ch.add("Resize", [x, "", ch.const(scales)], mode=mode)
    return y, (s[0], s[1], int(s[2] * scales[2]), int(s[3] * scales[3]))


def op_depth_space(ch, x, s):
    if s[1] % 4 == 0:
        return ch.add("DepthToSpace", [x], blocksize=2, mode=str(ch.rng.choice(["DCR", "CRD"]))), \
            (s[0], s[1] // 4, s[2] * 2, s[3] * 2)
    if s[2] % 2 == 0 and s[3] % 2 == 0:
        return ch.add("SpaceToDepth", [x], blocksize=2), (s[0], s[1] * 4, s[2] // 2, s[3] // 2)
    return x, s


def op_norm(ch, x, s):
    if ch.rng.random() < 0.5:
        return ch.add("InstanceNormalization", [x, ch.const(ch.f32(s[1])), ch.const(ch.f32(s[1]))]), s
    axis = int(ch.rng.integers(1, 4))
    return ch.add("LayerNormalization", [x, ch.const(ch.f32(*s[axis:]))], axis=axis), s


def op_argmax(ch, x, s):
    a = _axis(ch, s)
    y = ch.add(str(ch.rng.choice(["ArgMax", "ArgMin"])), [x], axis=a, keepdims=1)
    return ch.add("Cast", [y], to=TensorProto.FLOAT), tuple(1 if i == a else d for i, d in enumerate(s))


def op_conv(ch, x, s):
    o = int(ch.rng.integers(2, 9))
    return ch.add("Conv", [x, ch.const(ch.f32(o, s[1], 1, 1))]), (s[0], o, s[2], s[3])


def op_channel_shuffle(ch, x, s):
    if s[1] % 2:
        return x, s
    g = 2
    r = ch.add("Reshape", [x, ch.const(np.array([s[0], g, s[1] // g, s[2], s[3]], np.int64))])
    t = ch.add("Transpose", [r], perm=[0, 2, 1, 3, 4])
    return ch.add("Reshape", [t, ch.const(np.array(s, np.int64))]), s


def op_flat_tokens(ch, x, s):
    """[N, C, H·W] in between: a softmax or a channel-vector op on the flat form, then back."""
    f = ch.add("Reshape", [x, ch.const(np.array([s[0], s[1], s[2] * s[3]], np.int64))])
    if ch.rng.random() < 0.5:
        y = ch.add("Softmax", [f], axis=int(ch.rng.integers(1, 3)))
    else:
        y = ch.add("Mul", [f, ch.const(ch.f32(s[1], 1))])
    return ch.add("Reshape", [y, ch.const(np.array(s, np.int64))]), s


OPS = [op_channel_shuffle, op_flat_tokens, op_slice, op_reduce, op_transpose, op_tile, op_broadcast_binary, op_split_concat, op_gather, op_softmax,
       op_topk, op_resize, op_depth_space, op_norm, op_argmax, op_conv]


def random_chain(seed: int, length: int = 4):
    ch = Chain(np.random.default_rng(seed))
    x = ch.add("Conv", ["x", ch.const(ch.f32(8, 3, 3, 3))], pads=[1, 1, 1, 1])
    s: Shape = (1, 8, 6, 4)
    for _ in range(length):
        x, s = OPS[int(ch.rng.integers(len(OPS)))](ch, x, s)
    ch.nodes.append(N("Identity", [x], ["y"]))
    model = typed_model(ch.nodes, {"x": ([1, 3, 6, 4], np.float32)}, ["y"], ch.inits, opset=18)
    feeds = {"x": ch.f32(1, 3, 6, 4)}
    return model, feeds


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_chain_ir(seed: int) -> None:
    model, feeds = random_chain(seed)
    check_ir_vs_ort(model, feeds, rel=1e-4)


@pytest.mark.skipif(not runtime_available(), reason="libmote is not built in this environment")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_chain_end_to_end(seed: int) -> None:
    from helpers import assert_outputs_close, convert, mote_run, ort_run

    model, feeds = random_chain(seed)
    expected = ort_run(model, feeds)
    got = mote_run(convert(model), feeds)
    # a chain compounds rounding: 1e-4 relative, the whole-model bound of the issue
    for name, ref in expected.items():
        assert_outputs_close({name: got[name]}, {name: ref}) if ref.dtype.kind != "f" else \
            np.testing.assert_allclose(got[name], ref, rtol=0, atol=max(1e-4 * float(np.abs(ref).max()), 1e-6))
