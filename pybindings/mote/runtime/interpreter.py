"""LiteRT / TensorFlow Lite style `Interpreter`, so existing code can switch by
changing its import:

    from mote import Interpreter          # was: from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_path="model.mote")
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    y = it.get_tensor(it.get_output_details()[0]["index"])

Tensor indices: input i has index i and output j has index n_inputs + j. They are
stable for a given model file; intermediate tensors are not exposed.

Resizing works as in LiteRT: `resize_tensor_input(i, shape)` for each input to
change, then `allocate_tensors()` applies them all at once (libmote re-plans its
memory); until then set_tensor / invoke / get_tensor refuse. The signature runner
resizes by itself when called with arrays of other shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputNameError, MissingInputError
from .model import Model, Source
from .tensor import TensorSpec

if TYPE_CHECKING:
    from typing_extensions import Self

SIGNATURE_KEY = "serving_default"


def _details(spec: TensorSpec, index: int) -> dict[str, Any]:
    shape = np.array(spec.shape, dtype=np.int32)
    q = spec.quantization
    if q is None:
        scales, zps, axis, legacy = np.zeros(0, np.float32), np.zeros(0, np.int32), 0, (0.0, 0)
    else:
        scales = np.array(q.scales, np.float32)
        zps = np.array(q.zero_points, np.int32)
        axis = 0 if q.axis is None else q.axis
        legacy = (float(q.scales[0]), int(q.zero_points[0])) if q.per_tensor else (0.0, 0)
    return {
        "name": spec.name,
        "index": index,
        "shape": shape,
        "shape_signature": shape.copy(),
        "dtype": spec.dtype.type,
        "quantization": legacy,
        "quantization_parameters": {"scales": scales, "zero_points": zps, "quantized_dimension": axis},
        "sparsity_parameters": {},
    }


class Interpreter:
    """Runs a .mote model with the LiteRT Interpreter API (see the module docstring)."""

    def __init__(self, model_path: str | None = None, model_content: bytes | None = None,
                 experimental_delegates: Sequence[Any] | None = None, num_threads: int | None = None,
                 experimental_op_resolver_type: Any = None,
                 experimental_preserve_all_tensors: bool = False, **_ignored: Any) -> None:
        if (model_path is None) == (model_content is None):
            raise ValueError("pass exactly one of model_path or model_content")
        if experimental_delegates:
            raise ValueError("mote does not take LiteRT delegates; it picks its kernels itself")
        if experimental_preserve_all_tensors:
            raise ValueError("mote does not expose intermediate tensors (experimental_preserve_all_tensors)")
        if isinstance(num_threads, int) and not isinstance(num_threads, bool) and num_threads < 1:
            num_threads = None  # LiteRT: -1 means "let the runtime decide"
        if model_content is not None and not isinstance(model_content, (bytes, bytearray, memoryview)):
            raise TypeError(f"model_content must be the model's bytes, got {type(model_content).__name__}")
        source: Source = model_path if model_path is not None else model_content  # type: ignore[assignment]
        self._model = Model(source, num_threads=num_threads)
        self._n_in = len(self._model._inputs)
        # shapes given to resize_tensor_input, applied by allocate_tensors
        self._pending: dict[int, tuple[int, ...]] = {}

    @property
    def model(self) -> Model:
        """The underlying `mote.Model`."""
        return self._model

    def allocate_tensors(self) -> None:
        """Apply the shapes given to resize_tensor_input (all at once); mote allocates
        everything at load, so without a pending resize this does nothing. If an op
        cannot take the new shapes, raises MoteError and keeps the previous shapes."""
        model = self._model
        model._check_open()
        if self._pending:
            pending, self._pending = self._pending, {}
            model.resize_inputs(pending)

    def resize_tensor_input(self, input_index: int, tensor_size: Sequence[int], strict: bool = False) -> None:
        """Ask for a new shape of input `input_index` (same rank); allocate_tensors()
        applies it. strict=True allows only dims that shape_signature marks -1: mote
        files record none, so strict accepts only the current shape."""
        self._model._check_open()
        spec = self._input_spec(input_index)
        shape = self._model._checked_shape(int(input_index), tensor_size)
        if strict and shape != spec.shape:
            raise ValueError(f"input '{spec.name}' has no dynamic dims (shape_signature {spec.shape}); "
                             f"strict resize to {shape} refused")
        if shape == spec.shape:
            self._pending.pop(int(input_index), None)
        else:
            self._pending[int(input_index)] = shape

    def _check_allocated(self) -> None:
        if self._pending:
            raise RuntimeError("input shapes were changed by resize_tensor_input(): call allocate_tensors() first")

    def get_input_details(self) -> list[dict[str, Any]]:
        specs = [replace(s, shape=self._pending[i]) if i in self._pending else s
                 for i, s in enumerate(self._model._inputs)]
        return [_details(s, i) for i, s in enumerate(specs)]

    def get_output_details(self) -> list[dict[str, Any]]:
        return [_details(s, self._n_in + j) for j, s in enumerate(self._model._outputs)]

    def get_tensor_details(self) -> list[dict[str, Any]]:
        return self.get_input_details() + self.get_output_details()

    def get_signature_list(self) -> dict[str, dict[str, list[str]]]:
        return {SIGNATURE_KEY: {"inputs": [s.name for s in self._model._inputs],
                                "outputs": [s.name for s in self._model._outputs]}}

    def get_signature_runner(self, signature_key: str | None = None) -> SignatureRunner:
        if signature_key not in (None, SIGNATURE_KEY):
            raise ValueError(f"no signature {signature_key!r}; mote models have one: {SIGNATURE_KEY!r}")
        return SignatureRunner(self)

    def _input_spec(self, index: int) -> TensorSpec:
        if (not isinstance(index, (int, np.integer)) or isinstance(index, bool)
                or not 0 <= index < self._n_in):
            raise ValueError(f"{index!r} is not an input tensor index; inputs are 0..{self._n_in - 1}")
        return self._model._inputs[int(index)]

    def set_tensor(self, tensor_index: int, value: Any) -> None:
        """Copy `value` into input `tensor_index`; dtype and shape must match exactly."""
        model = self._model
        with model._lock:
            model._check_open()
            if self._pending:
                self._check_allocated()
            views = model._in_views
            if type(tensor_index) is int and 0 <= tensor_index < len(views) and type(value) is np.ndarray:
                view = views[tensor_index]
                if value.dtype == view.dtype and value.shape == view.shape:
                    view[...] = value
                    return
            self._input_spec(tensor_index)
            model._write_input(int(tensor_index), np.asarray(value))

    def invoke(self) -> None:
        model = self._model
        with model._lock:
            model._check_open()
            if self._pending:
                self._check_allocated()
            model._invoke()

    def get_tensor(self, tensor_index: int, subgraph_index: int = 0) -> np.ndarray:
        """A copy of input or output `tensor_index`."""
        model = self._model
        with model._lock:
            model._check_open()
            if self._pending:
                self._check_allocated()
            # the model's views, never cached here: a resize rebuilds them (the arena moves)
            n_in = self._n_in
            if type(tensor_index) is int and 0 <= tensor_index < n_in and subgraph_index == 0:
                return model._in_views[tensor_index].copy()
            outs = model._out_views
            n = n_in + len(outs)
            if subgraph_index != 0:
                raise ValueError("mote models have one subgraph (0)")
            if (not isinstance(tensor_index, (int, np.integer)) or isinstance(tensor_index, bool)
                    or not 0 <= tensor_index < n):
                raise ValueError(f"tensor index {tensor_index!r} out of range 0..{n - 1} "
                                 f"(inputs 0..{n_in - 1}, outputs {n_in}..{n - 1})")
            i = int(tensor_index)
            return (model._in_views[i] if i < n_in else outs[i - n_in]).copy()

    def reset_all_variables(self) -> None:
        """mote models hold no variables; nothing to reset."""

    def close(self) -> None:
        self._model.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SignatureRunner:
    """LiteRT-style signature runner: `runner(x=array, ...)` returns a dict of outputs."""

    def __init__(self, interpreter: Interpreter) -> None:
        self._interpreter = interpreter

    def get_input_details(self) -> dict[str, dict[str, Any]]:
        return {d["name"]: d for d in self._interpreter.get_input_details()}

    def get_output_details(self) -> dict[str, dict[str, Any]]:
        return {d["name"]: d for d in self._interpreter.get_output_details()}

    def __call__(self, **inputs: Any) -> dict[str, np.ndarray]:
        """Run on the given inputs; inputs of another shape (same rank) resize the model
        first, as LiteRT's runner does."""
        interpreter = self._interpreter
        model = interpreter.model
        feeds = {k: np.asarray(v) for k, v in inputs.items()}
        try:
            interpreter.allocate_tensors()
            specs = {s.name: s for s in model.inputs}
            resize = {k: a.shape for k, a in feeds.items() if k in specs and a.shape != specs[k].shape
                      and a.ndim == len(specs[k].shape)}
            if resize:
                model.resize_inputs(resize)
            return model.run(feeds)
        except (InputNameError, MissingInputError) as exc:
            raise ValueError(str(exc)) from exc
