"""Shared helpers for the end-to-end tests: build ONNX models, compare mote with ONNX Runtime."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

# accuracy bound of the issue: max |mote - ort| <= REL * max |ort|, never below ABS_FLOOR
REL = 1e-5
ABS_FLOOR = 1e-6

Shape = Sequence[int]


def make_model(
    nodes: Sequence[onnx.NodeProto],
    inputs: Mapping[str, Shape],
    outputs: Sequence[str],
    initializers: Mapping[str, np.ndarray] | None = None,
    opset: int = 17,
) -> onnx.ModelProto:
    """A float32 ONNX model; output shapes are filled in by ONNX shape inference (strict)."""
    graph = helper.make_graph(
        list(nodes),
        "test",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s)) for n, s in inputs.items()],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in (initializers or {}).items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    return model


def single_op(
    op_type: str,
    inputs: Mapping[str, Shape],
    initializers: Mapping[str, np.ndarray] | None = None,
    *,
    input_names: Sequence[str] | None = None,
    opset: int = 17,
    **attrs: Any,
) -> onnx.ModelProto:
    """One node; its inputs are the graph inputs then the initializers, in the order given
    (or `input_names`, where '' marks an absent optional input)."""
    initializers = dict(initializers or {})
    names = list(input_names) if input_names is not None else [*inputs, *initializers]
    node = helper.make_node(op_type, names, ["y"], **attrs)
    return make_model([node], inputs, ["y"], initializers, opset)


def random_feeds(model: onnx.ModelProto, rng: np.random.Generator, scale: float = 1.0) -> dict[str, np.ndarray]:
    """Standard-normal float32 data for every graph input that is not an initializer."""
    init = {i.name for i in model.graph.initializer}
    feeds = {}
    for vi in model.graph.input:
        if vi.name in init:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        feeds[vi.name] = (scale * rng.standard_normal(shape)).astype(np.float32)
    return feeds


def ort_run(model: onnx.ModelProto, feeds: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, dict(feeds))))


def convert(model: onnx.ModelProto, **convert_kwargs: Any) -> bytes:
    from mote.converter import convert as mote_convert

    data = mote_convert(model, **convert_kwargs)
    assert isinstance(data, (bytes, bytearray)) and len(data) > 8, "convert() must return the model bytes"
    return bytes(data)


def mote_run(data: bytes | str, feeds: Mapping[str, np.ndarray], num_threads: int = 1) -> dict[str, np.ndarray]:
    import mote

    model = mote.load(data, num_threads=num_threads)
    return model.run(dict(feeds))


def bound_for(expected: np.ndarray) -> float:
    peak = float(np.max(np.abs(expected))) if expected.size else 0.0
    return max(REL * peak, ABS_FLOOR)


def assert_outputs_close(
    got: Mapping[str, np.ndarray], expected: Mapping[str, np.ndarray], what: str = "mote vs ORT"
) -> None:
    """Every expected output is present with the same shape and dtype, float outputs within the
    issue's bound, integer and bool outputs exactly equal."""
    assert set(got) == set(expected), f"{what}: output names {sorted(got)} != {sorted(expected)}"
    for name, exp in expected.items():
        out = np.asarray(got[name])
        assert out.shape == exp.shape, f"{what}: output {name!r} shape {out.shape} != {exp.shape}"
        assert out.dtype == exp.dtype, f"{what}: output {name!r} dtype {out.dtype} != {exp.dtype}"
        if exp.size == 0:
            continue
        if not np.issubdtype(exp.dtype, np.floating):
            assert_exactly_equal(out, exp, f"{what}: output {name!r}")
            continue
        diff = np.abs(out.astype(np.float64) - exp.astype(np.float64))
        max_diff = float(np.max(diff))
        bound = bound_for(exp)
        if not max_diff <= bound:  # also fails on NaN
            worst = np.unravel_index(int(np.nanargmax(diff)) if not np.isnan(max_diff) else 0, diff.shape)
            raise AssertionError(
                f"{what}: output {name!r} {exp.shape}: max diff {max_diff:.3g} > bound {bound:.3g} "
                f"(max |ref| {float(np.max(np.abs(exp))):.3g}; at {tuple(int(i) for i in worst)}: "
                f"got {out[worst]!r}, ref {exp[worst]!r}; NaNs in mote output: {int(np.isnan(out).sum())})"
            )


def assert_exactly_equal(got: np.ndarray, expected: np.ndarray, what: str) -> None:
    """Integer and bool outputs carry no rounding error: every element must be equal."""
    wrong = got != expected
    if np.any(wrong):
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise AssertionError(
            f"{what} {expected.shape} {expected.dtype}: {int(wrong.sum())} of {expected.size} elements differ "
            f"(first at {first}: got {got[first]!r}, ref {expected[first]!r})"
        )


def make_model_for(
    nodes: Sequence[onnx.NodeProto],
    feeds: Mapping[str, np.ndarray],
    outputs: Sequence[str],
    initializers: Mapping[str, np.ndarray] | None = None,
    opset: int = 17,
) -> onnx.ModelProto:
    """Like make_model, but each graph input takes its shape and dtype from the example array
    in `feeds` (int64 token ids, bool masks, ...) and each output its type from ONNX shape
    inference (strict), so outputs may be integer or bool."""
    graph = helper.make_graph(
        list(nodes),
        "test",
        [
            helper.make_tensor_value_info(n, helper.np_dtype_to_tensor_dtype(np.asarray(v).dtype), np.shape(v))
            for n, v in feeds.items()
        ],
        [onnx.ValueInfoProto(name=n) for n in outputs],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in (initializers or {}).items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    for out in model.graph.output:
        assert out.type.HasField("tensor_type"), f"shape inference left output {out.name!r} untyped"
    onnx.checker.check_model(model)
    return model


def assert_close_to_ort(
    onnx_model: onnx.ModelProto,
    feeds: Mapping[str, np.ndarray],
    *,
    num_threads: int = 1,
    **convert_kwargs: Any,
) -> dict[str, np.ndarray]:
    """Convert `onnx_model` with mote, run it and ORT on `feeds`, assert every output is within
    max |mote - ORT| <= max(1e-5 * max |ORT|, 1e-6). Returns mote's outputs."""
    expected = ort_run(onnx_model, feeds)
    data = convert(onnx_model, **convert_kwargs)
    got = mote_run(data, feeds, num_threads=num_threads)
    assert_outputs_close(got, expected)
    return got
