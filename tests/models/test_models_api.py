"""The convert / load / run round trip seen from Python: files, bytes, specs, threads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import assert_close_to_ort, assert_outputs_close, convert, make_model, ort_run, random_feeds
from model_zoo import ZOO, lenet, mlp, two_in_two_out
from onnx import numpy_helper

import mote
from mote.converter import ConversionError
from mote.converter import convert as mote_convert


def test_convert_writes_output_file(rng, tmp_path: Path):
    model = lenet(rng)
    out = tmp_path / "lenet.mote"
    data = mote_convert(model, output=out)
    assert out.is_file()
    assert out.read_bytes() == bytes(data)
    assert data[4:8] == b"MOTE", "file identifier"


def test_convert_output_as_str_path(rng, tmp_path: Path):
    out = tmp_path / "mlp.mote"
    data = mote_convert(mlp(rng), output=str(out))
    assert out.read_bytes() == bytes(data)


def test_convert_from_onnx_path(rng, tmp_path: Path):
    """The source may be a ModelProto or a path (str or Path) to an .onnx file: same result."""
    model = mlp(rng)
    src = tmp_path / "mlp.onnx"
    src.write_bytes(model.SerializeToString())
    from_proto = convert(model)
    assert bytes(mote_convert(str(src))) == from_proto
    assert bytes(mote_convert(src)) == from_proto


def test_convert_is_deterministic(rng):
    model = two_in_two_out(rng)
    assert convert(model) == convert(model)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_path_and_bytes_give_identical_results(rng, tmp_path: Path, name):
    model = ZOO[name](rng, batch=2)
    path = tmp_path / f"{name}.mote"
    data = mote_convert(model, output=path)
    feeds = random_feeds(model, rng)
    from_bytes = mote.load(bytes(data)).run(feeds)
    from_path = mote.load(str(path)).run(feeds)
    assert set(from_bytes) == set(from_path)
    for k in from_bytes:
        np.testing.assert_array_equal(from_bytes[k], from_path[k], err_msg=k)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_two_threads_match_one(rng, name):
    model = ZOO[name](rng, batch=2)
    data = convert(model)
    feeds = random_feeds(model, rng)
    one = mote.load(data, num_threads=1).run(feeds)
    two = mote.load(data, num_threads=2).run(feeds)
    assert_outputs_close(two, one, what="2 threads vs 1")


@pytest.mark.parametrize("name", sorted(ZOO))
def test_specs_keep_source_layout(rng, name):
    """Model inputs and outputs keep the ONNX names, NCHW shapes and float32 dtype."""
    model = ZOO[name](rng, batch=2)
    m = mote.load(convert(model))
    ref = ort_run(model, random_feeds(model, rng))
    want_in = [(vi.name, tuple(d.dim_value for d in vi.type.tensor_type.shape.dim)) for vi in model.graph.input]
    assert [(s.name, tuple(s.shape)) for s in m.inputs] == want_in
    assert [s.name for s in m.outputs] == [o.name for o in model.graph.output]
    for spec in m.outputs:
        assert tuple(spec.shape) == ref[spec.name].shape
    for spec in (*m.inputs, *m.outputs):
        assert np.dtype(spec.dtype) == np.float32


def test_run_is_repeatable_and_input_dependent(rng):
    model = lenet(rng)
    m = mote.load(convert(model))
    a = random_feeds(model, rng)
    b = random_feeds(model, rng)
    ra1 = m.run(a)["logits"].copy()
    rb = m.run(b)["logits"].copy()
    ra2 = m.run(a)["logits"]
    np.testing.assert_array_equal(ra1, ra2)
    assert not np.array_equal(ra1, rb)
    assert_outputs_close({"logits": rb}, ort_run(model, b))


def test_run_accepts_a_single_array(rng):
    model = mlp(rng)
    m = mote.load(convert(model))
    feeds = random_feeds(model, rng)
    by_dict = m.run(feeds)
    by_array = m.run(feeds["x"])
    np.testing.assert_array_equal(by_array["probs"], by_dict["probs"])


def test_outputs_do_not_alias_between_runs(rng):
    """A returned array must not change when the model runs again."""
    model = mlp(rng)
    m = mote.load(convert(model))
    first_feeds = random_feeds(model, rng)
    first = m.run(first_feeds)["probs"]
    kept = first.copy()
    m.run(random_feeds(model, rng))
    np.testing.assert_array_equal(first, kept)


def test_run_rejects_wrong_input_shape(rng):
    m = mote.load(convert(mlp(rng)))
    with pytest.raises((mote.MoteError, ValueError)):
        m.run({"x": np.zeros((1, 21), np.float32)})


def _with_symbolic_batch(model):
    """The same graph with input batch dim 'N' (shape inference carries it through)."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    inputs = {vi.name: ("N", *(d.dim_value for d in vi.type.tensor_type.shape.dim[1:])) for vi in model.graph.input}
    return make_model(list(model.graph.node), inputs, [o.name for o in model.graph.output], inits)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_input_shapes_fix_symbolic_batch(rng, name):
    model = _with_symbolic_batch(ZOO[name](rng))
    shapes = {vi.name: (3, *(d.dim_value for d in vi.type.tensor_type.shape.dim[1:])) for vi in model.graph.input}
    feeds = {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    assert_close_to_ort(model, feeds, input_shapes=shapes)


def test_symbolic_dims_without_input_shapes_is_a_conversion_error(rng):
    model = _with_symbolic_batch(mlp(rng))
    with pytest.raises(ConversionError, match="x"):
        mote_convert(model)
