"""Quantization parameters and non-float dtypes reach Python: an int8 RESHAPE model
written with the converter's Program/writer (no int8 ops needed, RESHAPE moves bytes)."""

from __future__ import annotations

import numpy as np
import pytest

import mote
from mote.converter.planner import plan
from mote.converter.program import MOp, MTensor, Program
from mote.converter.writer import write
from mote.runtime import InputDtypeError, Quantization


@pytest.fixture(scope="module")
def int8_model() -> bytes:
    prog = Program(
        tensors=[
            MTensor("q_in", np.dtype(np.int8), (1, 4), quantization={"scale": [0.5], "zero_point": [-3], "axis": -1}),
            MTensor("q_out", np.dtype(np.int8), (2, 2),
                    quantization={"scale": [0.25, 0.125], "zero_point": [0, 0], "axis": 1}),
        ],
        ops=[MOp("RESHAPE", [0], [1], "ReshapeOptions", {"new_shape": [2, 2]}, name="reshape")],
        inputs=[0], outputs=[1])
    plan(prog)
    return write(prog)


def test_specs_carry_quantization(int8_model):
    with mote.load(int8_model) as model:
        (spec_in,), (spec_out,) = model.inputs, model.outputs
    assert spec_in.dtype == np.dtype(np.int8) and spec_in.shape == (1, 4)
    assert spec_in.quantization == Quantization((0.5,), (-3,), None)
    assert spec_in.quantization.per_tensor
    assert spec_out.quantization == Quantization((0.25, 0.125), (0, 0), 1)
    assert "q(scale=0.5, zp=-3)" in str(spec_in)


def test_int8_run_and_dtype_check(int8_model):
    x = np.array([[-128, -1, 0, 127]], np.int8)
    with mote.load(int8_model) as model:
        y = model.run(x)["q_out"]
        assert y.dtype == np.int8
        np.testing.assert_array_equal(y, x.reshape(2, 2))
        with pytest.raises(InputDtypeError, match="expects dtype int8, got uint8"):
            model.run(x.view(np.uint8))


def test_litert_quantization_details(int8_model):
    with mote.Interpreter(model_content=int8_model) as it:
        d_in, d_out = it.get_input_details()[0], it.get_output_details()[0]
        assert d_in["dtype"] is np.int8
        assert d_in["quantization"] == (0.5, -3)
        qp = d_in["quantization_parameters"]
        assert qp["scales"].dtype == np.float32 and qp["scales"].tolist() == [0.5]
        assert qp["zero_points"].dtype == np.int32 and qp["zero_points"].tolist() == [-3]
        assert d_out["quantization"] == (0.0, 0)  # per-axis: LiteRT reports no single pair
        assert d_out["quantization_parameters"]["quantized_dimension"] == 1
        assert d_out["quantization_parameters"]["scales"].tolist() == [0.25, 0.125]
        it.set_tensor(d_in["index"], np.array([[1, 2, 3, 4]], np.int8))
        it.invoke()
        np.testing.assert_array_equal(it.get_tensor(d_out["index"]), [[1, 2], [3, 4]])
