"""Einsum lowering: the forms transformers emit become one BATCH_MATMUL / FULLY_CONNECTED with
as few transposes as the equation allows; others are contracted pairwise; unsupported
equations name themselves."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from onnx_builders import check_ir_vs_ort, random_inputs, typed_model

from mote.converter import ConversionError, convert
from mote.converter.reader import read

R = np.random.default_rng(31)
F = np.float32


def _model(eq: str, shapes: list, const: dict | None = None):
    names = [f"x{i}" for i in range(len(shapes))]
    const = const or {}
    inputs = {n: (s, F) for n, s in zip(names, shapes) if n not in const}
    node = helper.make_node("Einsum", names, ["y"], equation=eq)
    return typed_model([node], inputs, ["y"], const, opset=13)


# (equation, operand shapes, index of a constant operand or None, expected mote ops)
CASES = [
    ("bhid,bhjd->bhij", [[2, 3, 4, 5], [2, 3, 6, 5]], None, ["BATCH_MATMUL"]),  # Q K^T
    ("bhij,bhjd->bhid", [[2, 3, 4, 6], [2, 3, 6, 5]], None, ["BATCH_MATMUL"]),  # attention · V
    ("bid,dj->bij", [[2, 4, 5], [5, 3]], 1, ["FULLY_CONNECTED"]),
    ("bid,dj->bij", [[2, 4, 5], [5, 3]], None, ["BATCH_MATMUL"]),
    ("ij,jk->ik", [[4, 5], [5, 3]], None, ["BATCH_MATMUL"]),
    ("ij,kj->ik", [[4, 5], [3, 5]], 1, ["FULLY_CONNECTED"]),
    ("bij,bjk->bik", [[2, 4, 5], [2, 5, 3]], None, ["BATCH_MATMUL"]),
    ("bji,bjk->bik", [[2, 5, 4], [2, 5, 3]], None, ["BATCH_MATMUL"]),  # adj_a
    ("bhqd,bkhd->bhqk", [[2, 3, 4, 5], [2, 6, 3, 5]], None, ["TRANSPOSE", "BATCH_MATMUL"]),
    ("bqhd,bkhd->bhqk", [[2, 4, 3, 5], [2, 6, 3, 5]], None, ["TRANSPOSE", "TRANSPOSE", "BATCH_MATMUL"]),
    ("bhqk,bkhd->bqhd", [[2, 3, 4, 6], [2, 6, 3, 5]], None, ["TRANSPOSE", "BATCH_MATMUL", "TRANSPOSE"]),
    ("...ij,...jk->...ik", [[2, 3, 4, 5], [1, 3, 5, 6]], None, ["BATCH_MATMUL"]),
    ("bid,jd->bij", [[2, 4, 5], [3, 5]], 1, ["FULLY_CONNECTED"]),
    ("bsd,dhk->bshk", [[2, 4, 6], [6, 2, 3]], 1, ["FULLY_CONNECTED", "RESHAPE"]),
    ("i,i->", [[5], [5]], None, ["RESHAPE", "RESHAPE", "BATCH_MATMUL", "RESHAPE"]),
    ("i,j->ij", [[4], [3]], None, None),  # outer product: a broadcast Mul
    ("bij,bij->bij", [[2, 3, 4], [2, 3, 4]], None, ["MUL"]),
    ("bij->bji", [[2, 3, 4]], None, ["TRANSPOSE"]),
    ("bij->b", [[2, 3, 4]], None, ["REDUCE_SUM"]),
    ("ij,jk,kl->il", [[2, 3], [3, 4], [4, 5]], None, ["BATCH_MATMUL", "BATCH_MATMUL"]),
    ("bn,anm,bm->ba", [[2, 3], [4, 3, 5], [2, 5]], None, None),  # bilinear
    ("ij,jk", [[4, 5], [5, 3]], None, ["BATCH_MATMUL"]),  # implicit output
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] + (" const" if c[2] is not None else "") for c in CASES])
def test_einsum(case) -> None:
    eq, shapes, const_idx, expected = case
    const = {} if const_idx is None else {f"x{const_idx}": R.standard_normal(shapes[const_idx]).astype(F)}
    m = _model(eq, shapes, const)
    check_ir_vs_ort(m, random_inputs(m, R))
    if expected is not None:
        assert [op["opcode"] for op in read(convert(m))["ops"]] == expected


def test_einsum_adjoint_flags() -> None:
    s = read(convert(_model("bhid,bhjd->bhij", [[1, 2, 3, 4], [1, 2, 5, 4]])))
    (op,) = s["ops"]
    assert op["options"]["adj_a"] is False and op["options"]["adj_b"] is True


@pytest.mark.parametrize("eq", ["ii->i", "bii->b"])
def test_einsum_diagonal_is_refused_with_the_equation(eq: str) -> None:
    shapes = [[3, 3]] if eq == "ii->i" else [[2, 3, 3]]
    with pytest.raises(ConversionError, match=rf"Einsum '{eq}'.*diagonal.*'Einsum'"):
        convert(_model(eq, shapes))
