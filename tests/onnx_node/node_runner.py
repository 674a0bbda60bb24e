"""Run one ONNX backend node test through mote: convert model.onnx, feed input_*.pb, compare
with output_*.pb.

mote needs shapes and parameters (Reshape's shape, Slice's starts, Conv's weights, ...) fixed
at convert time, as real models have them. A case may therefore name the inputs that stay
runtime inputs (tract's node.txt convention, `input:NAME`); every other graph input is turned
into an initializer holding the case's data. With no names given, every input stays an input.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import onnx
from node_data import ONNX_ATOL, ONNX_RTOL, NodeCase
from onnx import numpy_helper

# mote's own single-op bound (tests/helpers.py): max |diff| <= max(REL * max |ref|, ABS_FLOOR)
REL = 1e-5
ABS_FLOOR = 1e-6


class CaseFailure(AssertionError):
    """stage: convert | load | run | compare; message: what went wrong."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message


def freeze_inputs(case: NodeCase, dynamic: Collection[str] | None) -> tuple[onnx.ModelProto, dict[str, np.ndarray]]:
    """The case's model with every graph input not in `dynamic` made an initializer, and the
    feeds for the inputs that remain. dynamic=None keeps all inputs."""
    model = onnx.ModelProto()
    model.CopyFrom(case.model)
    names = [vi.name for vi in model.graph.input]
    if dynamic is not None:
        unknown = set(dynamic) - set(names)
        if unknown:
            raise CaseFailure("setup", f"input:{sorted(unknown)} named, but the model's inputs are {names}")
    keep = [vi for vi in model.graph.input if dynamic is None or vi.name in dynamic]
    feeds = {}
    for vi, value in zip(list(model.graph.input), case.inputs):
        if dynamic is None or vi.name in dynamic:
            feeds[vi.name] = value
        else:
            model.graph.initializer.append(numpy_helper.from_array(value, vi.name))
    del model.graph.input[:]
    model.graph.input.extend(keep)
    return model, feeds


def run_case(case: NodeCase, dynamic: Collection[str] | None = None, onnx_tol: bool = False) -> None:
    """Raise CaseFailure unless mote reproduces the case's outputs (onnx_tol: with onnx's
    elementwise float bound only)."""
    import mote
    from mote.converter import convert

    model, feeds = freeze_inputs(case, dynamic)
    try:
        data = convert(model)
    except Exception as e:  # noqa: BLE001  (ConversionError or a converter bug: both are reasons)
        raise CaseFailure("convert", f"{type(e).__name__}: {_first_line(e)}") from None
    try:
        m = mote.load(data, num_threads=1)
    except Exception as e:  # noqa: BLE001
        raise CaseFailure("load", f"{type(e).__name__}: {_first_line(e)}") from None
    try:
        got = m.run(feeds)
    except Exception as e:  # noqa: BLE001
        raise CaseFailure("run", f"{type(e).__name__}: {_first_line(e)}") from None
    names = [vi.name for vi in model.graph.output]
    if sorted(got) != sorted(names):
        raise CaseFailure("compare", f"outputs {sorted(got)}, expected {names}")
    for name, exp in zip(names, case.outputs):
        compare(name, np.asarray(got[name]), exp, onnx_tol)


def compare(name: str, got: np.ndarray, exp: np.ndarray, onnx_tol: bool = False) -> None:
    """Shape and dtype equal; integers and bools exact; floats within both onnx's elementwise
    bound (|d| <= atol + rtol |ref|) and mote's (max |d| <= max(1e-5 max |ref|, 1e-6)), with
    NaN and infinities where the reference has them. onnx_tol drops mote's bound, for the
    few cases whose reference values are written with four digits."""
    if got.shape != exp.shape:
        raise CaseFailure("compare", f"output '{name}' shape {got.shape}, expected {exp.shape}")
    if got.dtype != exp.dtype:
        raise CaseFailure("compare", f"output '{name}' dtype {got.dtype}, expected {exp.dtype}")
    if exp.size == 0:
        return
    if not np.issubdtype(exp.dtype, np.floating):
        wrong = got != exp
        if np.any(wrong):
            first = tuple(int(i) for i in np.argwhere(wrong)[0])
            raise CaseFailure("compare", f"output '{name}': {int(wrong.sum())}/{exp.size} elements differ "
                              f"(at {first}: got {got[first]!r}, expected {exp[first]!r})")
        return
    g, e = got.astype(np.float64), exp.astype(np.float64)
    special = ~np.isfinite(e)
    same_special = np.where(np.isnan(e), np.isnan(g), g == e)
    if np.any(special & ~same_special):
        first = tuple(int(i) for i in np.argwhere(special & ~same_special)[0])
        raise CaseFailure("compare", f"output '{name}': expected {exp[first]!r} at {first}, got {got[first]!r}")
    finite = ~special
    if not np.any(finite):
        return
    diff = np.where(finite, np.abs(g - np.where(finite, e, 0)), 0.0)
    diff = np.where(np.isnan(diff), np.inf, diff)  # a NaN where a number was expected
    peak = float(np.max(np.abs(e[finite])))
    bound = np.inf if onnx_tol else max(REL * peak, ABS_FLOOR)
    elementwise = ONNX_ATOL + ONNX_RTOL * np.abs(np.where(finite, e, 0))
    max_diff = float(np.max(diff))
    if max_diff > bound or np.any(diff > elementwise):
        at = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff / np.maximum(elementwise, 1e-300))), diff.shape))
        raise CaseFailure("compare", f"output '{name}' {exp.shape}: max diff {max_diff:.3g} (bound {bound:.3g}, "
                          f"max |ref| {peak:.3g}); worst relative at {at}: got {got[at]!r}, expected {exp[at]!r}")


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else "(no message)"
