"""The TFLite importer's contract: what it refuses and how it says so, format detection, input
shapes, and that nothing but a .tflite conversion needs ai-edge-litert."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from builder import ModelBuilder, options
from tflite_check import check

from mote.converter import ConversionError, convert


def _add_model(shape=(1, 4)) -> bytes:
    b = ModelBuilder()
    b.input("x", shape)
    b.const("c", np.arange(shape[-1], dtype=np.float32))
    b.op("ADD", ["x", "c"], [("y", shape)], options("AddOptions"))
    b.output("y")
    return b.build()


def test_custom_op_is_named_with_operator_and_output():
    b = ModelBuilder()
    b.input("x", (1, 4))
    b.op("RELU", ["x"], [("r", (1, 4))])
    b.op("CUSTOM", ["r"], [("odd_out", (1, 4))], custom="MyCustomOp")
    b.output("odd_out")
    with pytest.raises(ConversionError) as e:
        convert(b.build())
    msg = str(e.value)
    assert "CUSTOM 'MyCustomOp'" in msg and "operator 1" in msg and "odd_out" in msg
    assert "custom ops are not supported" in msg


def test_flex_op_hint():
    b = ModelBuilder()
    b.input("x", (1, 4))
    b.op("CUSTOM", ["x"], [("y", (1, 4))], custom="FlexErf")
    b.output("y")
    with pytest.raises(ConversionError, match=r"CUSTOM 'FlexErf'.*TensorFlow \(Flex\) op.*TFLITE_BUILTINS"):
        convert(b.build())


def test_unsupported_builtins_are_all_listed():
    b = ModelBuilder()
    b.input("x", (2, 4))
    b.const("axis", np.array([1], np.int32))
    b.op("REVERSE_V2", ["x", "axis"], [("rev", (2, 4))])
    b.op("RELU", ["rev"], [("r", (2, 4))])  # fed by an unsupported op: not reported again
    b.op("L2_NORMALIZATION", ["x"], [("l2", (2, 4))])
    b.op("ADD", ["r", "l2"], [("y", (2, 4))], options("AddOptions"))
    b.output("y")
    with pytest.raises(ConversionError) as e:
        convert(b.build())
    msg = str(e.value)
    assert msg.startswith("2 unsupported TFLite ops")
    assert "'REVERSE_V2' (operator 0, output 'rev')" in msg and "'L2_NORMALIZATION' (operator 2, output 'l2')" in msg
    assert "'RELU'" not in msg


def test_fused_tanh_is_refused():
    """LiteRT ignores a fused TANH on ADD (it clamps only RELU ranges): mote will not guess."""
    b = ModelBuilder()
    b.input("x", (1, 4))
    b.input("z", (1, 4))
    b.op("ADD", ["x", "z"], [("y", (1, 4))], options("AddOptions", fusedActivationFunction=4))
    b.output("y")
    with pytest.raises(ConversionError, match=r"fused activation TANH .*'ADD' \(operator 0, output 'y'\)"):
        convert(b.build())


def test_fused_activation_on_concatenation_is_refused():
    b = ModelBuilder()
    b.input("x", (1, 4))
    b.op("CONCATENATION", ["x", "x"], [("y", (1, 8))], options("ConcatenationOptions", axis=1,
                                                                fusedActivationFunction=1))
    b.output("y")
    with pytest.raises(ConversionError, match="CONCATENATION"):
        convert(b.build())


def test_runtime_filter_is_refused():
    b = ModelBuilder()
    b.input("x", (1, 5, 5, 2))
    b.input("w", (3, 3, 3, 2))
    b.const("b", np.zeros(3, np.float32))
    b.op("CONV_2D", ["x", "w", "b"], [("y", (1, 3, 3, 3))], options("Conv2DOptions", padding=1, strideH=1, strideW=1))
    b.output("y")
    with pytest.raises(ConversionError, match=r"filter must be a constant.*'CONV_2D' \(operator 0"):
        convert(b.build())


def test_corrupt_data():
    data = bytearray(_add_model())
    with pytest.raises(ConversionError, match="TFLite model"):
        convert(bytes(data[:64]))
    with pytest.raises(ConversionError, match="TFLite model"):
        convert(b"\x10\x00\x00\x00TFL3" + b"\xff" * 40)


def test_detection_by_extension_and_identifier(tmp_path, rng):
    from mote.converter.importers.tflite import is_tflite

    data = _add_model()
    assert is_tflite(data) and not is_tflite(b"\x08\x01\x12\x00onnx-ish")
    p = tmp_path / "model.bin"
    p.write_bytes(data)
    assert is_tflite(p) and is_tflite(str(tmp_path / "missing.tflite"))
    x = rng.standard_normal((1, 4)).astype(np.float32)
    check(data, rng, feeds={"x": x})
    assert convert(p) == convert(data)  # sniffed by content, not by name


def test_input_shapes(rng):
    data = _add_model((1, 4))
    check(data, rng, feeds={"x": rng.standard_normal((3, 4)).astype(np.float32)}, input_shapes={"x": (3, 4)})
    with pytest.raises(ConversionError, match="model's inputs are"):
        convert(data, input_shapes={"nope": (1, 4)})


def test_missing_schema_module(monkeypatch):
    from mote.converter.importers.tflite import schema

    for name in schema._MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    schema.schema.cache_clear()
    try:
        with pytest.raises(ConversionError, match="pip install ai-edge-litert"):
            convert(_add_model())
    finally:
        schema.schema.cache_clear()


def test_metadata_names_the_source():
    import mote

    model = mote.load(convert(_add_model()))
    meta = dict(model.metadata) if not callable(model.metadata) else dict(model.metadata())
    assert meta.get("source_format") == "tflite" and len(meta.get("source_digest", "")) == 64


def test_loading_mote_files_never_imports_litert(tmp_path):
    """ai-edge-litert is needed to convert a .tflite only: not to load or run .mote, nor to convert ONNX."""
    path = tmp_path / "m.mote"
    path.write_bytes(convert(_add_model()))
    code = textwrap.dedent(f"""
        import sys
        import numpy as np
        import mote
        from mote.converter import convert
        sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parents[1])!r})
        from helpers import single_op
        y = mote.load({str(path)!r}).run({{"x": np.zeros((1, 4), np.float32)}})
        convert(single_op("Relu", {{"x": (1, 4)}}))
        bad = [m for m in sys.modules if m.startswith(("ai_edge_litert", "tensorflow", "tflite_runtime"))]
        assert not bad, bad
        print(list(y.values())[0].tolist())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[[0.0, 1.0, 2.0, 3.0]]"


def _mixed_model(rng) -> bytes:
    b = ModelBuilder()
    b.input("x", (2, 3, 4))
    b.const("w", rng.standard_normal((5, 4)).astype(np.float32))
    b.const("bias", rng.standard_normal(5).astype(np.float32))
    b.op("FULLY_CONNECTED", ["x", "w", "bias"], [("fc", (2, 3, 5))],
         options("FullyConnectedOptions", keepNumDims=True, fusedActivationFunction=1))
    for name, value in (("b", [0, 1, 0]), ("e", [2, 3, 4]), ("s", [1, 1, 2])):
        b.const(name, np.array(value, np.int32))
    b.op("STRIDED_SLICE", ["fc", "b", "e", "s"], [("sl", (2, 2, 2))], options("StridedSliceOptions"))
    b.const("shape", np.array([2, 4], np.int32))
    b.op("RESHAPE", ["sl", "shape"], [("r", (2, 4))])
    b.op("SOFTMAX", ["r"], [("sm", (2, 4))], options("SoftmaxOptions", beta=1.0))
    b.op("CONCATENATION", ["sm", "r"], [("y", (2, 8))], options("ConcatenationOptions", axis=1))
    b.output("y")
    return b.build()


def test_corrupt_files_fail_cleanly(rng):
    """Flipped bytes and truncations anywhere give a ConversionError (or a model), nothing else."""
    data = _mixed_model(rng)
    check(data, rng)
    outcomes = {"error": 0, "converted": 0}
    for trial in range(600):
        d = bytearray(data[: int(rng.integers(8, len(data)))] if trial % 4 == 0 else data)
        for _ in range(0 if trial % 4 == 0 else int(rng.integers(1, 6))):
            d[int(rng.integers(8, len(d)))] = int(rng.integers(0, 256))
        try:
            convert(bytes(d))
        except ConversionError:
            outcomes["error"] += 1
        else:
            outcomes["converted"] += 1
    assert outcomes["error"] > 200, outcomes
