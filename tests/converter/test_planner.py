"""Memory planner: live tensors never overlap, offsets aligned, and it beats the naive sum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx_builders import conv_bn_relu_pool_flatten_gemm

from mote.converter.importers.onnx import import_onnx
from mote.converter.lower import lower
from mote.converter.passes import run_pipeline
from mote.converter.planner import ALIGN, Block, align, plan, plan_blocks

blocks_st = st.lists(
    st.tuples(st.integers(0, 5000), st.integers(-1, 30), st.integers(0, 12)).map(
        lambda t: Block(t[0], t[1], t[1] + t[2])),
    min_size=1, max_size=40,
)


def _check(blocks: list[Block], offsets: list[int], arena: int) -> None:
    for i, (b, o) in enumerate(zip(blocks, offsets)):
        assert o % ALIGN == 0
        assert o + b.size <= arena
        for b2, o2 in zip(blocks[i + 1:], offsets[i + 1:]):
            if b.first <= b2.last and b2.first <= b.last:  # both live at some op
                assert o + align(max(b.size, 1)) <= o2 or o2 + align(max(b2.size, 1)) <= o, (b, o, b2, o2)


@settings(max_examples=300, deadline=None)
@given(blocks_st)
def test_live_blocks_never_overlap(blocks: list[Block]) -> None:
    offsets, arena = plan_blocks(blocks)
    _check(blocks, offsets, arena)
    assert arena <= sum(align(max(b.size, 1)) for b in blocks)


def test_chain_reuses_memory() -> None:
    # a chain of ops: each tensor lives for two ops, so two buffers suffice
    blocks = [Block(1000, i - 1, i) for i in range(10)]
    offsets, arena = plan_blocks(blocks)
    _check(blocks, offsets, arena)
    assert arena == 2 * align(1000)
    assert arena < sum(align(b.size) for b in blocks)


def test_best_fit_picks_the_tightest_gap() -> None:
    # a (0..2) and c (0..2) leave a hole of 128 bytes that b (1..1, 100 bytes) should take
    a, hole, c = Block(256, 0, 2), Block(128, 0, 0), Block(512, 0, 2)
    b = Block(100, 1, 1)
    offsets, arena = plan_blocks([c, a, hole, b])
    _check([c, a, hole, b], offsets, arena)
    assert arena == 512 + 256 + 128


def test_plan_of_a_converted_model() -> None:
    prog = lower(run_pipeline(import_onnx(conv_bn_relu_pool_flatten_gemm(np.random.default_rng(0)))))
    plan(prog)
    live = [t for t in prog.tensors if t.data is None]
    assert all(t.arena_offset >= 0 and t.arena_offset % ALIGN == 0 for t in live)
    assert all(t.arena_offset == -1 for t in prog.tensors if t.data is not None)
    assert prog.arena_size < sum(align(t.nbytes) for t in live)
    # lifetimes from the op list: no two tensors alive at the same op share bytes
    alive_at = [set() for _ in prog.ops]
    for k, op in enumerate(prog.ops):
        for i in op.inputs + op.outputs:
            if i >= 0 and prog.tensors[i].data is None:
                first = min(j for j, o in enumerate(prog.ops) if i in o.outputs) if i not in prog.inputs else 0
                last = len(prog.ops) - 1 if i in prog.outputs + prog.inputs else k
                for j in range(first, last + 1):
                    alive_at[j].add(i)
    # on a chain-like model best fit reaches the lower bound: the peak of bytes live at one op
    peak = max(sum(align(prog.tensors[i].nbytes) for i in live_set) for live_set in alive_at)
    assert prog.arena_size == peak
    for live_set in alive_at:
        spans = sorted((prog.tensors[i].arena_offset, prog.tensors[i].arena_offset + prog.tensors[i].nbytes)
                       for i in live_set)
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end <= start
