"""`mote.load()` and `Model`: run a .mote model on numpy arrays.

A Model owns one libmote model and one interpreter. Input and output data live
in the interpreter's arena; at load we build numpy views over them once, so a
run costs one copy per input, one invoke and one copy per output. Resizing an
input moves the arena: the views are rebuilt then, and never handed out.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from . import delegate as _delegates
from ._ffi import ffi, get_lib, raise_status
from .errors import (
    InputDtypeError,
    InputNameError,
    InputShapeError,
    MissingInputError,
    ModelClosedError,
)
from .metadata import load_metadata
from .tensor import TensorSpec, spec_from_info

if TYPE_CHECKING:
    from typing_extensions import Self

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[PathLike, bytes, bytearray, memoryview]
Feeds = Union[np.ndarray, Mapping[str, np.ndarray]]
InputKey = Union[str, int]
_log = logging.getLogger("mote")
_MAX_INT32 = 2**31 - 1  # libmote takes dims and thread counts as int32_t


class _NativeModel:
    """Owns one mote_model. Every Model (interpreter) on it holds a reference, so the
    model is freed only after the last interpreter (libmote requires that order)."""

    def __init__(self, lib: Any, ptr: Any) -> None:
        self.ptr = ptr
        self._finalizer = weakref.finalize(self, lib.mote_model_free, ptr)


def _free_interpreter(lib: Any, interp: Any, native: _NativeModel, delegate: Any = None) -> None:
    # `native` and `delegate` are arguments only to keep them alive until this runs
    lib.mote_interpreter_free(interp)


def _arena_view(ptr: Any, nbytes: int, spec: TensorSpec, writable: bool) -> np.ndarray:
    if nbytes == 0 or ptr == ffi.NULL:
        return np.zeros(spec.shape, spec.dtype)
    view = np.frombuffer(ffi.buffer(ptr, nbytes), dtype=spec.dtype).reshape(spec.shape)
    if not writable:
        view.flags.writeable = False
    return view


def _names(specs: list[TensorSpec]) -> str:
    return ", ".join(f"'{s.name}' {s.shape} {s.dtype.name}" for s in specs)


class Model:
    """A loaded .mote model with its interpreter. Create with `mote.load()`.

    `run(feeds)` (or calling the model) takes a dict name -> ndarray, or a single
    ndarray for a one-input model, and returns a dict name -> ndarray (copies).
    Inputs must match the model's shape and dtype exactly; nothing is cast.
    `resize_input()` changes an input's shape (and so the outputs') where the ops allow.
    """

    def __init__(self, source: Source, num_threads: int | None = 1,
                 input_shapes: Mapping[InputKey, Sequence[int]] | None = None,
                 max_arena_bytes: int | None = None, max_model_bytes: int | None = None,
                 delegate: str | None = None, delegate_options: Mapping[str, Any] | None = None) -> None:
        self._closed = True
        self._lock = threading.Lock()
        self._path: str | None = None
        self._delegate: _delegates.Delegate | None = None
        self._delegate_options: dict[str, Any] = {}
        threads = _check_threads(num_threads)
        if delegate is not None:
            if not isinstance(delegate, str):
                raise TypeError(f"delegate must be a name such as 'vulkan', got {type(delegate).__name__}")
            self._delegate_options = _delegates.check_options(delegate, delegate_options)
        elif delegate_options:
            raise ValueError("delegate_options given without a delegate (e.g. delegate='vulkan')")
        self._max_arena_bytes = _check_limit("max_arena_bytes", max_arena_bytes)
        load_opts = ffi.new("mote_load_options*", get_lib().mote_load_options_default())
        load_opts.max_model_bytes = _check_limit("max_model_bytes", max_model_bytes)
        data: bytes | None = None
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        elif isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            path = path if isinstance(path, str) else os.fsdecode(path)
            if not os.path.exists(path):
                raise FileNotFoundError(errno.ENOENT, "No such model file", path)
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, "The model path is a directory", path)
            self._path = path
        else:
            raise TypeError(f"mote.load() takes a file path or bytes, got {type(source).__name__}")

        lib = get_lib()
        self._lib = lib
        out = ffi.new("mote_model**")
        if data is not None:
            status = lib.mote_model_load_buffer_ex(data, len(data), load_opts, out)
            what = f"cannot load a model from {len(data)} bytes"
        else:
            status = lib.mote_model_load_file_ex(os.fsencode(self._path), load_opts, out)
            what = f"cannot load model {self._path}"
        if status != 0:
            raise_status(lib, status, what)
        native = _NativeModel(lib, out[0])
        if delegate is not None:
            self._delegate = _delegates.get_delegate(delegate, self._delegate_options)
        self._attach(lib, native, threads, load_metadata(lib, native.ptr))
        if input_shapes:
            try:
                self.resize_inputs(input_shapes)
            except BaseException:
                self.close()
                raise

    def _attach(self, lib: Any, native: _NativeModel, threads: int, metadata: dict[str, str]) -> None:
        """Create this Model's interpreter on `native` and the numpy views of its I/O."""
        opts = ffi.new("mote_options*", lib.mote_options_default())
        opts.num_threads = threads
        opts.max_arena_bytes = self._max_arena_bytes
        out_interp = ffi.new("mote_interpreter**")
        status = lib.mote_interpreter_create(native.ptr, opts, out_interp)
        if status != 0:
            raise_status(lib, status, "cannot create an interpreter for the model")
        interp = out_interp[0]
        self._lib = lib
        self._native = native
        self._interp = interp
        self._finalizer = weakref.finalize(self, _free_interpreter, lib, interp, native, self._delegate)
        if self._delegate is not None:
            try:
                _delegates.apply(lib, interp, self._delegate, bool(self._delegate_options.get("required")))
            except BaseException:
                self._finalizer()
                raise
            _log.info("%s: %s", self._path or "model", _delegates.report(lib, interp))
        self._closed = False
        self.num_threads = threads
        self._metadata = metadata
        self._describe_io()

    def _describe_io(self) -> None:
        """(Re)build the specs and the numpy views over the arena (after load and every resize)."""
        lib, interp = self._lib, self._interp
        self._inputs, in_views = self._describe(lib.mote_interpreter_input_count(interp),
                                                lib.mote_interpreter_input_info,
                                                lib.mote_interpreter_input_data, True)
        self._outputs, out_views = self._describe(lib.mote_interpreter_output_count(interp),
                                                  lib.mote_interpreter_output_info,
                                                  lib.mote_interpreter_output_data, False)
        self._in_views: list[np.ndarray] = in_views
        self._out_views: list[np.ndarray] = out_views
        self._in_index: dict[str, int] = {s.name: i for i, s in enumerate(self._inputs)}
        self._out_items: list[tuple[str, np.ndarray]] = [
            (s.name, v) for s, v in zip(self._outputs, out_views)]
        self._invoke_fn = lib.mote_interpreter_invoke
        self._in_by_name = {s.name: v for s, v in zip(self._inputs, in_views)}
        self._single = in_views[0] if len(in_views) == 1 else None

    def clone(self, num_threads: int | None = None) -> Model:
        """Another Model on the same loaded model (shared weights, no reload) with its own
        interpreter and arena (and this model's current input shapes): one per Python
        thread runs in parallel (libmote releases the GIL while it computes).
        `num_threads` defaults to this model's."""
        with self._lock:
            self._check_open()
            threads = _check_threads(self.num_threads if num_threads is None else num_threads)
            other = Model.__new__(Model)
            other._closed = True
            other._lock = threading.Lock()
            other._path = self._path
            other._max_arena_bytes = self._max_arena_bytes
            other._delegate = self._delegate
            other._delegate_options = self._delegate_options
            other._attach(self._lib, self._native, threads, self._metadata)
            shapes = {i: s.shape for i, s in enumerate(self._inputs)}
            if any(other._inputs[i].shape != shape for i, shape in shapes.items()):
                other._resize(shapes)
            return other

    # -- resizing ---------------------------------------------------------

    def resize_input(self, input: InputKey, shape: Sequence[int]) -> None:
        """Give an input (by name or index) a new shape of the same rank, e.g.
        `model.resize_input("x", (4, 3, 160, 160))`. Every op recomputes its shapes
        and the memory is planned again; `inputs` / `outputs` describe the new shapes.
        Ops that cannot follow (a reshape to a fixed shape, weights sized for the old
        shape) raise MoteError naming the op; the model keeps its previous shapes."""
        self.resize_inputs({input: shape})

    def resize_inputs(self, shapes: Mapping[InputKey, Sequence[int]]) -> None:
        """Resize several inputs at once, all or nothing (inputs that must change together)."""
        with self._lock:
            self._check_open()
            if not isinstance(shapes, Mapping):
                raise TypeError(f"shapes must be a dict input name or index -> shape, got {type(shapes).__name__}")
            self._resize({self._input_position(k): self._checked_shape(k, v) for k, v in shapes.items()})

    def _input_position(self, key: Any) -> int:
        if isinstance(key, str):
            i = self._in_index.get(key)
            if i is None:
                raise InputNameError(f"the model has no input named {key!r}; its inputs are: {_names(self._inputs)}")
            return i
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if not 0 <= key < len(self._inputs):
                raise IndexError(f"input index {key} out of range: the model has {len(self._inputs)} input(s)")
            return int(key)
        raise TypeError(f"an input is named by its name (str) or index (int), got {type(key).__name__}")

    def _checked_shape(self, key: Any, shape: Any) -> tuple[int, ...]:
        spec = self._inputs[self._input_position(key)]
        try:
            dims = tuple(shape)
        except TypeError:
            raise TypeError(f"shape for input '{spec.name}' must be a sequence of ints, got "
                            f"{type(shape).__name__}") from None
        if not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in dims):
            raise TypeError(f"shape for input '{spec.name}' must hold ints, got {dims!r}")
        dims = tuple(int(d) for d in dims)
        if len(dims) != len(spec.shape):
            raise InputShapeError(f"input '{spec.name}' has rank {len(spec.shape)} (shape {spec.shape}); "
                                  f"cannot resize it to {dims} (rank {len(dims)})")
        if any(d < 1 for d in dims):
            raise InputShapeError(f"cannot resize input '{spec.name}' to {dims}: dimensions must be >= 1")
        if any(d > _MAX_INT32 for d in dims):
            raise InputShapeError(f"cannot resize input '{spec.name}' to {dims}: dimensions must be < 2^31")
        return dims

    def _resize(self, shapes: Mapping[int, tuple[int, ...]]) -> None:
        """Resize inputs by position (shapes checked); rebuild the views. Caller holds the lock."""
        if not shapes or all(self._inputs[i].shape == s for i, s in shapes.items()):
            return
        indices = list(shapes)
        dims = [d for i in indices for d in shapes[i]]
        ranks = [len(shapes[i]) for i in indices]
        status = self._lib.mote_interpreter_resize_inputs(
            self._interp, len(indices), ffi.new("int32_t[]", indices), ffi.new("int32_t[]", dims or [0]),
            ffi.new("int32_t[]", ranks))
        # the arena moved (or, on failure, stayed): either way rebuild from what libmote says
        self._describe_io()
        if status != 0:
            raise_status(self._lib, status, "")  # libmote's message names the inputs, shapes and op

    def _describe(self, count: int, info_fn: Any, data_fn: Any,
                  writable: bool) -> tuple[list[TensorSpec], list[np.ndarray]]:
        specs, views = [], []
        info = ffi.new("mote_tensor_info*")
        for i in range(count):
            status = info_fn(self._interp, i, info)
            if status != 0:
                raise_status(self._lib, status, f"cannot describe tensor {i}")
            spec, nbytes = spec_from_info(info)
            specs.append(spec)
            views.append(_arena_view(data_fn(self._interp, i), nbytes, spec, writable))
        return specs, views

    # -- description ------------------------------------------------------

    @property
    def inputs(self) -> list[TensorSpec]:
        return list(self._inputs)

    @property
    def outputs(self) -> list[TensorSpec]:
        return list(self._outputs)

    @property
    def metadata(self) -> dict[str, str]:
        """Metadata written by the converter (converter_version, source_digest, ...); a copy."""
        self._check_open()
        return dict(self._metadata)

    @property
    def operator_count(self) -> int:
        return int(self._lib.mote_model_operator_count(self._native_model()))

    @property
    def tensor_count(self) -> int:
        return int(self._lib.mote_model_tensor_count(self._native_model()))

    @property
    def arena_size(self) -> int:
        """Bytes of activation memory (the arena) this model's interpreter uses (the
        file's plan, or the plan for the shapes of the last resize)."""
        self._check_open()
        return int(self._lib.mote_interpreter_arena_size(self._interp))

    @property
    def delegate_report(self) -> str:
        """What runs where, e.g. "vulkan (NVIDIA H100, discrete gpu): 60 of 62 ops in 2 partitions;
        cpu: 2 ops (TOPK 'top', ...)", or "cpu: all N ops" without a delegate (or when it declined)."""
        with self._lock:
            self._check_open()
            return _delegates.report(self._lib, self._interp)

    def node_placement(self) -> list[bool]:
        """Per operator, in the model's order: True if it runs on the delegate."""
        with self._lock:
            self._check_open()
            n = self._lib.mote_model_operator_count(self._native.ptr)
            out = ffi.new("int32_t[]", max(n, 1))
            status = self._lib.mote_interpreter_node_placement(self._interp, out, n)
            if status != 0:
                raise_status(self._lib, status, "cannot read the node placement")
            return [bool(out[i]) for i in range(n)]

    @property
    def closed(self) -> bool:
        return self._closed

    def _native_model(self) -> Any:
        self._check_open()
        return self._native.ptr

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self._inputs)} in, {len(self._outputs)} out"
        src = f" {self._path!r}" if self._path else ""
        return f"<mote.Model{src} {state}>"

    # -- running ----------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ModelClosedError("the model is closed")

    def _write_input(self, i: int, arr: Any) -> None:
        view = self._in_views[i]
        if not isinstance(arr, np.ndarray):
            spec = self._inputs[i]
            raise TypeError(f"input '{spec.name}' must be a numpy.ndarray of shape {spec.shape} and dtype "
                            f"{spec.dtype.name}, got {type(arr).__name__}")
        if arr.dtype != view.dtype and arr.dtype.newbyteorder("=") != view.dtype:
            spec = self._inputs[i]
            raise InputDtypeError(f"input '{spec.name}' expects dtype {spec.dtype.name}, got {arr.dtype.name} "
                                  f"(mote does not cast: use arr.astype(np.{spec.dtype.name}))")
        if arr.shape != view.shape:
            spec = self._inputs[i]
            hint = (f" (to run on {arr.shape}, first call model.resize_input({spec.name!r}, {arr.shape}))"
                    if arr.ndim == len(spec.shape) else "")
            raise InputShapeError(f"input '{spec.name}' expects shape {spec.shape}, got {arr.shape}{hint}")
        view[...] = arr  # same type (byte order aside) and shape: a plain copy, no cast

    def _set_feeds(self, feeds: Any) -> None:
        if isinstance(feeds, np.ndarray):
            if len(self._inputs) != 1:
                raise TypeError(f"the model has {len(self._inputs)} inputs ({_names(self._inputs)}); "
                                "pass a dict name -> array")
            self._write_input(0, feeds)
            return
        if not isinstance(feeds, Mapping):
            raise TypeError(f"feeds must be a dict name -> numpy.ndarray (or one ndarray for a one-input "
                            f"model), got {type(feeds).__name__}")
        index = self._in_index
        for name, arr in feeds.items():
            i = index.get(name)
            if i is None:
                raise InputNameError(f"the model has no input named {name!r}; its inputs are: "
                                     f"{_names(self._inputs)}")
            self._write_input(i, arr)
        if len(feeds) != len(index):
            missing = [n for n in index if n not in feeds]
            raise MissingInputError(f"missing input(s) {', '.join(map(repr, missing))}; the model needs: "
                                    f"{_names(self._inputs)}")

    def _invoke(self) -> None:
        status = self._invoke_fn(self._interp)
        if status != 0:
            raise_status(self._lib, status, "inference failed")

    def run(self, feeds: Feeds) -> dict[str, np.ndarray]:
        """Run the model; returns a dict output name -> ndarray (a fresh copy)."""
        # the fast path inlines the checks of _set_feeds; any doubt goes the slow way,
        # which raises the precise error (measured: ~0.4 us less per call on a tiny model)
        with self._lock:
            if self._closed:
                raise ModelClosedError("the model is closed")
            ndarray = np.ndarray
            if type(feeds) is ndarray and self._single is not None:
                view = self._single
                if feeds.dtype == view.dtype and feeds.shape == view.shape:
                    view[...] = feeds
                else:
                    self._set_feeds(feeds)
            elif type(feeds) is dict and len(feeds) == len(self._in_views):
                by_name = self._in_by_name
                for name, arr in feeds.items():
                    view = by_name.get(name)
                    if (view is None or type(arr) is not ndarray or arr.dtype != view.dtype
                            or arr.shape != view.shape):
                        self._set_feeds(feeds)
                        break
                    view[...] = arr
            else:
                self._set_feeds(feeds)
            status = self._invoke_fn(self._interp)
            if status != 0:
                raise_status(self._lib, status, "inference failed")
            return {name: view.copy() for name, view in self._out_items}

    __call__ = run

    # -- lifetime ---------------------------------------------------------

    def close(self) -> None:
        """Free the interpreter (and the model, unless clones still use it).
        Further use raises ModelClosedError."""
        if self._closed:
            return
        with self._lock:
            self._closed = True
            self._in_views = []
            self._out_views = []
            self._in_by_name = {}
            self._single = None
            self._out_items = []
            self._finalizer()
            self._native = None  # the model itself goes with its last interpreter

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_threads(num_threads: int | None) -> int:
    if num_threads is None:
        return 1
    if isinstance(num_threads, bool) or not isinstance(num_threads, int):
        raise TypeError(f"num_threads must be an int, got {type(num_threads).__name__}")
    if num_threads < 1:
        raise ValueError(f"num_threads must be >= 1, got {num_threads}")
    if num_threads > _MAX_INT32:
        raise ValueError(f"num_threads must be < 2^31, got {num_threads}")
    return num_threads


def _check_limit(name: str, value: int | None) -> int:
    """A byte cap for libmote: None or 0 means none."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, got {type(value).__name__}")
    if value < 0 or value >= 1 << 63:
        raise ValueError(f"{name} must lie in [0, 2^63), got {value}")
    return value


def load(source: Source, num_threads: int | None = 1,
         input_shapes: Mapping[InputKey, Sequence[int]] | None = None,
         max_arena_bytes: int | None = None, max_model_bytes: int | None = None,
         delegate: str | None = None, delegate_options: Mapping[str, Any] | None = None) -> Model:
    """Load a .mote model from a path or from bytes and prepare it to run.
    `input_shapes` resizes inputs right away (see Model.resize_input).
    `delegate="vulkan"` runs the ops the GPU supports there (the rest on the CPU);
    `delegate_options` (see mote.runtime.delegate.VULKAN_OPTIONS) e.g.
    {"allow_cpu_device": True} for a software Vulkan device, {"required": True} to raise
    instead of falling back to the CPU with a warning when no GPU can be used.
    For untrusted files: `max_model_bytes` refuses larger files before reading them and
    `max_arena_bytes` caps the interpreter's working memory (here and on resize); both
    raise MoteError (None: no cap).

    >>> model = mote.load("model.mote")
    >>> out = model.run({"input": x})        # or model(x) for a one-input model
    """
    return Model(source, num_threads=num_threads, input_shapes=input_shapes,
                 max_arena_bytes=max_arena_bytes, max_model_bytes=max_model_bytes,
                 delegate=delegate, delegate_options=delegate_options)
