"""`convert()`: the converter's one entry point (the CLI and the tests call it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import ConversionError
from .importers.onnx import import_onnx
from .importers.tflite import import_tflite, is_tflite
from .lower import lower
from .passes import run_pipeline
from .planner import plan
from .writer import write


def convert(
    src: Any,
    output: str | Path | None = None,
    *,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    optimize: bool = True,
    quantize: str | None = None,
    calibration: Any = None,
    observer: str = "minmax",
) -> bytes:
    """Convert an ONNX model (path, serialized bytes or onnx.ModelProto) or a TFLite model (.tflite path
    or bytes) to .mote bytes; write `output` if given.

    input_shapes fixes symbolic input dims, e.g. {"input": (1, 3, 224, 224)}. optimize=False
    skips the optional rewrites (BN folding into convs, bias and activation fusion).
    quantize="dynamic" stores FullyConnected/MatMul weights as int8 (activations stay float and are
    quantized on the fly); quantize="fp16" stores Conv/FullyConnected/MatMul weights as float16;
    quantize="int8" runs every op that has an int8 kernel on int8 (weights per channel, activations
    per tensor), calibrated on `calibration` (an .npz path, a dict name -> stacked samples, or an
    iterable of feeds) with `observer` "minmax" or "percentile"; inputs and outputs stay float32.
    Raises ConversionError with the op, node and opset when something cannot be converted.
    """
    graph = import_tflite(src, input_shapes) if is_tflite(src) else import_onnx(src, input_shapes)
    run_pipeline(graph, optimize=optimize)
    if quantize == "int8":
        if calibration is None:
            raise ConversionError("quantize='int8' needs a representative data set: calibration=... "
                                  "(an .npz file, a dict of arrays, or an iterable of input feeds)")
        from mote.quantize.static import quantize_static

        quantize_static(graph, calibration, observer)
    elif quantize is not None:
        from mote.quantize.weights import quantize_weights

        quantize_weights(graph, quantize)
    prog = lower(graph)
    plan(prog)
    data = write(prog)
    if output is not None:
        Path(output).write_bytes(data)
    return data
