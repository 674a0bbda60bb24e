"""Gemm and MatMul against ONNX Runtime."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, random_feeds, single_op

M, K, N = 5, 7, 6


@pytest.mark.parametrize("trans_a", [0, 1])
@pytest.mark.parametrize("trans_b", [0, 1])
@pytest.mark.parametrize("alpha,beta", [(1.0, 1.0), (0.5, 2.0)])
@pytest.mark.parametrize("c_shape", [None, (N,), (1, N), (M, N), (M, 1), ()], ids=str)
def test_gemm_constant_b(rng, trans_a, trans_b, alpha, beta, c_shape):
    a_shape = (K, M) if trans_a else (M, K)
    b_shape = (N, K) if trans_b else (K, N)
    inits = {"b": rng.standard_normal(b_shape).astype(np.float32)}
    if c_shape is not None:
        inits["c"] = rng.standard_normal(c_shape).astype(np.float32)
    model = single_op("Gemm", {"a": a_shape}, inits, transA=trans_a, transB=trans_b, alpha=alpha, beta=beta)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("trans_a,trans_b", [(0, 0), (0, 1), (1, 0), (1, 1)])
@pytest.mark.parametrize("with_c", [False, True])
def test_gemm_dynamic_b(rng, trans_a, trans_b, with_c):
    a_shape = (K, M) if trans_a else (M, K)
    b_shape = (N, K) if trans_b else (K, N)
    inputs = {"a": a_shape, "b": b_shape}
    inits = {"c": rng.standard_normal((N,)).astype(np.float32)} if with_c else {}
    model = single_op("Gemm", inputs, inits, transA=trans_a, transB=trans_b, alpha=0.75)
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "m,k,n", [(1, 1, 1), (1, 64, 10), (3, 17, 33), (32, 48, 16), (4, 200, 130), (7, 257, 65), (64, 64, 64), (1, 512, 1000)]
)
def test_gemm_sizes(rng, m, k, n, threads):
    inits = {"w": rng.standard_normal((n, k)).astype(np.float32), "bias": rng.standard_normal(n).astype(np.float32)}
    model = single_op("Gemm", {"x": (m, k)}, inits, transB=1)
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=threads)


@pytest.mark.parametrize(
    "a_shape,b_shape",
    [((4, 9), (9, 3)), ((1, 256), (256, 10)), ((2, 5, 8), (8, 7)), ((2, 3, 4, 8), (8, 5)), ((8,), (8, 6))],
    ids=str,
)
def test_matmul_constant_b(rng, a_shape, b_shape):
    """x @ W with constant W: the fully connected form (leading dims kept)."""
    model = single_op("MatMul", {"a": a_shape}, {"b": rng.standard_normal(b_shape).astype(np.float32)})
    assert_close_to_ort(model, random_feeds(model, rng))


@pytest.mark.parametrize(
    "a_shape,b_shape",
    [
        ((4, 6), (6, 5)),
        ((3, 4, 6), (3, 6, 5)),
        ((3, 4, 6), (6, 5)),
        ((4, 6), (3, 6, 5)),
        ((1, 4, 6), (3, 6, 5)),
        ((2, 1, 4, 6), (3, 6, 5)),
        ((2, 3, 4, 6), (2, 3, 6, 5)),
        ((2, 1, 4, 6), (1, 3, 6, 2)),
        ((6,), (2, 6, 5)),
        ((2, 4, 6), (6,)),
        ((6,), (6, 5)),
        ((4, 6), (6,)),
        ((6,), (6,)),
        ((1, 1), (1, 1)),
    ],
    ids=str,
)
@pytest.mark.parametrize("threads", [1, 2])
def test_matmul_dynamic(rng, a_shape, b_shape, threads):
    """Both operands are inputs; batch dims broadcast, 1-D operands follow numpy."""
    model = single_op("MatMul", {"a": a_shape, "b": b_shape})
    assert_close_to_ort(model, random_feeds(model, rng), num_threads=threads)


@pytest.mark.parametrize("a_shape,b_shape", [((3, 4, 6), (3, 6, 5)), ((6,), (6,)), ((4, 6), (6,))], ids=str)
def test_matmul_constant_a(rng, a_shape, b_shape):
    model = single_op(
        "MatMul", {"b": b_shape}, {"a": rng.standard_normal(a_shape).astype(np.float32)}, input_names=["a", "b"]
    )
    assert_close_to_ort(model, random_feeds(model, rng))
