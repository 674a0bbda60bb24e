"""The LiteRT-style Interpreter: the usual allocate / set / invoke / get flow."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_outputs_close, ort_run

import mote
from mote import Interpreter


def test_litert_flow_matches_ort(binary, rng):
    a = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal((2, 3)).astype(np.float32)
    it = Interpreter(model_path=str(binary.path))
    it.allocate_tensors()
    ins, outs = it.get_input_details(), it.get_output_details()
    assert [d["name"] for d in ins] == ["a", "b"]
    assert [d["index"] for d in ins] == [0, 1]
    assert [d["index"] for d in outs] == [2, 3]
    for d in ins + outs:
        assert d["dtype"] is np.float32
        assert d["shape"].dtype == np.int32 and d["shape"].tolist() == [2, 3]
        assert d["shape_signature"].tolist() == [2, 3]
        assert d["quantization"] == (0.0, 0)
        qp = d["quantization_parameters"]
        assert qp["scales"].size == 0 and qp["zero_points"].size == 0 and qp["quantized_dimension"] == 0
    it.set_tensor(ins[0]["index"], a)
    it.set_tensor(ins[1]["index"], b)
    it.invoke()
    got = {d["name"]: it.get_tensor(d["index"]) for d in outs}
    assert_outputs_close(got, ort_run(binary.onnx_model, {"a": a, "b": b}))
    np.testing.assert_array_equal(it.get_tensor(0), a)  # inputs can be read back
    it.close()


def test_model_content_and_signature(cnn, rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    with Interpreter(model_content=cnn.data, num_threads=2) as it:
        assert it.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["probs"]}}
        runner = it.get_signature_runner()
        assert set(runner.get_input_details()) == {"x"}
        got = runner(x=x)
        assert_outputs_close(got, ort_run(cnn.onnx_model, {"x": x}))
        with pytest.raises(ValueError, match="no input named 'y'"):
            runner(y=x)
        with pytest.raises(ValueError):
            it.get_signature_runner("other")


def test_get_tensor_returns_copy(affine, rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    with Interpreter(model_path=str(affine.path)) as it:
        it.set_tensor(0, x)
        it.invoke()
        y1 = it.get_tensor(1)
        y1[...] = -1
        np.testing.assert_array_equal(it.get_tensor(1), ort_run(affine.onnx_model, {"x": x})["y"])


def test_set_tensor_errors(affine):
    with Interpreter(model_path=str(affine.path)) as it:
        with pytest.raises(ValueError, match="expects dtype float32, got float64"):
            it.set_tensor(0, np.zeros((1, 3, 8, 8)))
        with pytest.raises(ValueError, match=r"expects shape \(1, 3, 8, 8\), got \(1, 3, 8, 9\)"):
            it.set_tensor(0, np.zeros((1, 3, 8, 9), np.float32))
        with pytest.raises(ValueError, match="not an input tensor index"):
            it.set_tensor(1, np.zeros((1, 3, 8, 8), np.float32))  # 1 is the output
        with pytest.raises(ValueError, match="out of range"):
            it.get_tensor(7)
        it.resize_tensor_input(0, [1, 3, 8, 8])  # the current shape is fine
        with pytest.raises(ValueError, match="rank 4"):  # other shapes: tests/python/test_resize.py
            it.resize_tensor_input(0, [2, 3, 8])


def test_constructor_errors(affine, tmp_path):
    with pytest.raises(ValueError, match="exactly one"):
        Interpreter()
    with pytest.raises(ValueError, match="exactly one"):
        Interpreter(model_path=str(affine.path), model_content=affine.data)
    with pytest.raises(FileNotFoundError):
        Interpreter(model_path=str(tmp_path / "missing.mote"))
    with pytest.raises(mote.MoteError):
        Interpreter(model_content=b"\0" * 64)
    with pytest.raises(ValueError, match="delegates"):
        Interpreter(model_path=str(affine.path), experimental_delegates=[object()])


def test_closed_interpreter(affine):
    it = Interpreter(model_path=str(affine.path))
    it.close()
    with pytest.raises(ValueError, match="closed"):
        it.invoke()
    with pytest.raises(ValueError, match="closed"):
        it.get_tensor(0)
