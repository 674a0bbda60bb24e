"""Memory plan: every non-constant tensor gets an offset into one arena.

Lifetime-aware best fit: tensors are placed largest first; each goes into the smallest gap
that fits between the tensors already placed whose lifetimes overlap its own (or after the
last of them). Offsets and sizes are 64-byte aligned. Model outputs live to the end;
model inputs live the whole time (as in TFLite), so invoking twice without setting the
input again reads the same input.
"""

from __future__ import annotations

from dataclasses import dataclass

from .program import Program

ALIGN = 64


def align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


@dataclass(frozen=True)
class Block:
    size: int
    first: int  # first op index that writes it (-1: before the first op)
    last: int  # last op index that reads it


def plan_blocks(blocks: list[Block]) -> tuple[list[int], int]:
    """Offsets for `blocks` (same order) and the arena size."""
    offsets = [0] * len(blocks)
    placed: list[tuple[int, int, Block]] = []  # (offset, aligned size, block)
    order = sorted(range(len(blocks)), key=lambda i: (-blocks[i].size, blocks[i].first, i))
    arena = 0
    for i in order:
        b = blocks[i]
        size = align(max(b.size, 1))
        busy = sorted((o, s) for o, s, p in placed if p.first <= b.last and b.first <= p.last)
        best, best_gap, end = None, None, 0
        for o, s in busy:
            gap = o - end
            if gap >= size and (best_gap is None or gap < best_gap):
                best, best_gap = end, gap
            end = max(end, o + s)
        offset = end if best is None else best
        offsets[i] = offset
        placed.append((offset, size, b))
        arena = max(arena, offset + size)
    return offsets, arena


def plan(prog: Program) -> None:
    """Fill arena_offset of every non-constant tensor and the program's arena_size."""
    n_ops = len(prog.ops)
    first: dict[int, int] = {i: -1 for i in prog.inputs}
    last: dict[int, int] = {}
    for k, op in enumerate(prog.ops):
        for i in op.inputs:
            if i >= 0:
                last[i] = k
        for o in op.outputs:
            first.setdefault(o, k)
    for o in list(prog.outputs) + list(prog.inputs):
        last[o] = n_ops
    live = [i for i, t in enumerate(prog.tensors) if t.data is None]
    blocks = [Block(prog.tensors[i].nbytes, first.get(i, -1), max(last.get(i, -1), first.get(i, -1))) for i in live]
    offsets, prog.arena_size = plan_blocks(blocks)
    for i, off in zip(live, offsets):
        prog.tensors[i].arena_offset = off
