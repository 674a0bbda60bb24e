"""ONNX Einsum → MatMul / Mul / ReduceSum with Transpose and Reshape around them.

Two operands are contracted as one batched matmul: labels in both inputs and the output are
batch dims, labels in both inputs only are contracted (K), the rest are the free dims (M of
the first, N of the second); labels in one input only and not in the output are summed out
first. More operands are contracted pairwise, left to right. Repeated labels in one operand
(diagonals, traces) are refused with the equation in the message.
"""

from __future__ import annotations

import numpy as np

from .context import NodeContext

_ELLIPSIS_LABELS = [chr(0x3B1 + i) for i in range(16)]  # greek letters never clash with a-zA-Z


def _parse(ctx: NodeContext, equation: str, ranks: list[int]) -> tuple[list[list[str]], list[str]]:
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise ctx.error(f"Einsum '{equation}' names {len(terms)} operands, the node has {len(ranks)}")
    n_ell = max([r - (len(t) - 3) for t, r in zip(terms, ranks) if "..." in t] or [0])
    ops = []
    for t, r in zip(terms, ranks):
        if "..." in t:
            k = r - (len(t) - 3)
            head, tail = t.split("...")
            labels = list(head) + _ELLIPSIS_LABELS[n_ell - k:n_ell] + list(tail)
        else:
            labels = list(t)
        if len(labels) != r or not all(c.isalpha() for c in labels):
            raise ctx.error(f"Einsum '{equation}': term '{t}' does not fit an operand of rank {r}")
        if len(set(labels)) != len(labels):
            raise ctx.error(f"Einsum '{equation}': repeated labels in one operand (diagonal/trace) are not supported")
        ops.append(labels)
    if arrow:
        head, _, tail = rhs.partition("...")
        out = list(head) + (_ELLIPSIS_LABELS[:n_ell] if "..." in rhs else []) + list(tail)
    else:
        counts = {c: sum(o.count(c) for o in ops) for o in ops for c in o}
        out = _ELLIPSIS_LABELS[:n_ell] + sorted(c for c, n in counts.items() if n == 1 and c not in _ELLIPSIS_LABELS)
    if len(set(out)) != len(out) or any(c not in {x for o in ops for x in o} for c in out):
        raise ctx.error(f"Einsum '{equation}': bad output labels")
    return ops, out


class _Einsum:
    def __init__(self, ctx: NodeContext) -> None:
        self.ctx = ctx

    def transpose(self, x: str, labels: list[str], target: list[str]) -> str:
        if labels == target:
            return x
        return self.ctx.emit("Transpose", [x], perm=tuple(labels.index(c) for c in target))

    def reshape(self, x: str, shape: tuple[int, ...], out: str | None = None) -> str:
        if self.ctx.shape(x) == tuple(shape) and out is None:
            return x
        return self.ctx.emit("Reshape", [x], out, shape=tuple(int(d) for d in shape))

    def sum_out(self, x: str, labels: list[str], keep: set[str]) -> tuple[str, list[str]]:
        drop = [i for i, c in enumerate(labels) if c not in keep]
        if not drop:
            return x, labels
        y = self.ctx.emit("ReduceSum", [x], axes=tuple(drop), keepdims=False)
        return y, [c for c in labels if c in keep]

    def pair(self, a: str, la: list[str], b: str, lb: list[str], out: list[str]) -> tuple[str, list[str]]:
        """Contract two operands; the result's labels are `out` (in some order, returned)."""
        ctx = self.ctx
        a, la = self.sum_out(a, la, set(lb) | set(out))
        b, lb = self.sum_out(b, lb, set(la) | set(out))
        dims = {c: d for lab, x in ((la, a), (lb, b)) for c, d in zip(lab, ctx.shape(x))}
        for c in set(la) & set(lb):
            da, db = ctx.shape(a)[la.index(c)], ctx.shape(b)[lb.index(c)]
            if da != db and 1 not in (da, db):
                raise ctx.error(f"Einsum label '{c}' has sizes {da} and {db}")
            dims[c] = max(da, db)
        batch = [c for c in out if c in la and c in lb]
        contracted = [c for c in la if c in lb and c not in out]
        a_free = [c for c in la if c not in lb]
        b_free = [c for c in lb if c not in la]
        if not contracted:  # an elementwise product with broadcasting
            res = [c for c in out if c in la or c in lb]
            xs = []
            for x, lab in ((a, la), (b, lb)):
                mine = [c for c in res if c in lab]
                x = self.transpose(x, lab, mine)
                shape = tuple(ctx.shape(x)[mine.index(c)] if c in lab else 1 for c in res)
                xs.append(self.reshape(x, shape))
            return ctx.emit("Mul", xs), res
        a_shape = dict(zip(la, ctx.shape(a)))
        b_shape = dict(zip(lb, ctx.shape(b)))
        a, adj_a = self._operand(a, la, batch, a_free, contracted, a_shape, first=True)
        b, adj_b = self._operand(b, lb, batch, b_free, contracted, b_shape, first=False)
        y = ctx.emit("MatMul", [a, b], adj_a=adj_a, adj_b=adj_b)
        res = batch + a_free + b_free
        y = self.reshape(y, tuple(dims[c] if c not in batch else ctx.shape(y)[batch.index(c)] for c in res))
        return y, res

    def _keep_rows(self, lab: list[str], batch: list[str], free: list[str], contracted: list[str]) -> bool:
        """[..., K] x [K, N] with the leading dims kept (a FullyConnected): no batch labels, the
        first operand already ordered rows-then-contracted."""
        return not batch and len(free) > 1 and lab == free + contracted

    def _operand(self, x: str, lab: list[str], batch: list[str], free: list[str], contracted: list[str],
                 shape: dict[str, int], first: bool) -> tuple[str, bool]:
        plain = batch + (free + contracted if first else contracted + free)
        swapped = batch + (contracted + free if first else free + contracted)
        adj = lab == swapped and lab != plain
        if not adj:
            x = self.transpose(x, lab, plain)
        m = int(np.prod([shape[c] for c in free], dtype=np.int64))
        k = int(np.prod([shape[c] for c in contracted], dtype=np.int64))
        if first and self._keep_rows(lab, batch, free, contracted):
            return self.reshape(x, tuple(shape[c] for c in free) + (k,)), False
        inner = (m, k) if first != adj else (k, m)
        return self.reshape(x, tuple(shape[c] for c in batch) + inner), adj


def Einsum(ctx: NodeContext, *xs: str, equation: str) -> None:
    ops, out = _parse(ctx, equation, [ctx.rank(x) for x in xs])
    e = _Einsum(ctx)
    x, lab = xs[0], ops[0]
    if len(xs) == 1:
        x, lab = e.sum_out(x, lab, set(out))
    for i in range(1, len(xs)):
        later = {c for o in ops[i + 1:] for c in o} | set(out)
        x, lab = e.pair(x, lab, xs[i], ops[i], [c for c in dict.fromkeys(lab + ops[i]) if c in later])
    ctx.emit("Identity", [e.transpose(x, lab, out)], ctx.out())


HANDLERS = {"Einsum": Einsum}
