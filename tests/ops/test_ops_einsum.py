"""Einsum in the forms transformer exports emit, vs ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model
from onnx import helper

FORMS = [
    ("bhid,bhjd->bhij", [(2, 3, 5, 4), (2, 3, 6, 4)]),
    ("bhij,bhjd->bhid", [(2, 3, 5, 6), (2, 3, 6, 4)]),
    ("bid,dj->bij", [(2, 5, 8), (8, 3)]),
    ("ij,jk->ik", [(4, 5), (5, 3)]),
    ("bij->bji", [(2, 3, 4)]),
    ("bij,bjk->bik", [(3, 4, 5), (3, 5, 2)]),
    ("bnqd,bnkd->bnqk", [(1, 2, 7, 8), (1, 2, 7, 8)]),
    ("ij->ji", [(3, 5)]),
    ("bhqk,bkhd->bqhd", [(2, 3, 4, 5), (2, 5, 3, 6)]),
]


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("equation,shapes", FORMS, ids=[f[0] for f in FORMS])
def test_einsum_dynamic(rng, equation, shapes):
    names = [f"x{i}" for i in range(len(shapes))]
    node = helper.make_node("Einsum", names, ["y"], equation=equation)
    model = make_model([node], dict(zip(names, shapes)), ["y"], None, 12)
    assert_close_to_ort(model, {n: f32(rng, *s) for n, s in zip(names, shapes)})


@pytest.mark.parametrize("equation,shapes", [f for f in FORMS if len(f[1]) == 2], ids=[f[0] for f in FORMS if len(f[1]) == 2])
def test_einsum_constant_second_operand(rng, equation, shapes):
    """The weight operand constant, as in projections written with einsum."""
    node = helper.make_node("Einsum", ["x", "w"], ["y"], equation=equation)
    model = make_model([node], {"x": shapes[0]}, ["y"], {"w": f32(rng, *shapes[1])}, 12)
    assert_close_to_ort(model, {"x": f32(rng, *shapes[0])})


def test_einsum_without_arrow_and_spaces(rng):
    """Implicit output (alphabetical free indices) and spaces in the equation."""
    for eq, shapes in (("ij,jk", [(3, 4), (4, 2)]), ("b i d , b j d -> b i j", [(2, 3, 4), (2, 5, 4)])):
        node = helper.make_node("Einsum", ["a", "b"], ["y"], equation=eq)
        model = make_model([node], {"a": shapes[0], "b": shapes[1]}, ["y"], None, 12)
        assert_close_to_ort(model, {"a": f32(rng, *shapes[0]), "b": f32(rng, *shapes[1])})


def test_einsum_attention(rng):
    """softmax(q k^T / sqrt(d)) v, both products as einsum."""
    b, h, s, d = 1, 2, 5, 8
    nodes = [
        helper.make_node("Einsum", ["q", "k"], ["qk"], equation="bhid,bhjd->bhij"),
        helper.make_node("Mul", ["qk", "scale"], ["sc"]),
        helper.make_node("Softmax", ["sc"], ["p"], axis=-1),
        helper.make_node("Einsum", ["p", "v"], ["y"], equation="bhij,bhjd->bhid"),
    ]
    inits = {"scale": np.array(1 / np.sqrt(d), np.float32)}
    model = make_model(nodes, {"q": (b, h, s, d), "k": (b, h, s, d), "v": (b, h, s, d)}, ["y"], inits, 13)
    feeds = {n: f32(rng, b, h, s, d) for n in ("q", "k", "v")}
    assert_close_to_ort(model, feeds)
