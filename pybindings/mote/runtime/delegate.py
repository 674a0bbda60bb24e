"""GPU delegates: `mote.load(path, delegate="vulkan", delegate_options={...})`.

A delegate runs the ops it supports on the GPU and leaves the rest to the CPU. When Vulkan
is missing (no loader, no driver, no GPU, a libmote built without it) the model still loads
and runs on the CPU, with a RuntimeWarning saying why, unless `required=True` asks for the GPU
or an error. One delegate (one Vulkan device) is shared by every model loaded with the same
options in a process.
"""

from __future__ import annotations

import threading
import warnings
import weakref
from collections.abc import Mapping
from typing import Any

from ._ffi import ffi, get_lib, raise_status
from .errors import MoteError

DELEGATES = ("vulkan",)

# option -> (type, meaning); `required` is handled here, the rest go to mote_vulkan_options
VULKAN_OPTIONS: dict[str, tuple[type, str]] = {
    "allow_cpu_device": (bool, "accept a CPU-type Vulkan device such as Mesa lavapipe (default False)"),
    "device_index": (int, "index of the Vulkan device to use (default: the best GPU)"),
    "min_ops": (int, "decline models with fewer GPU ops than this (default 1)"),
    "max_partitions": (int, "decline models that need more GPU partitions than this (default 8)"),
    "fp16": (bool, "store tensors as float16 on the GPU where supported (within ~1e-2 of the CPU; default False)"),
    "library_path": (str, "the libvulkan to load (default: the system's)"),
    "pipeline_cache_path": (str, "file caching compiled GPU pipelines between runs"),
    "required": (bool, "raise instead of falling back to the CPU (default False)"),
}


class Delegate:
    """A created delegate (an opaque libmote handle), freed when the last model using it goes."""

    def __init__(self, lib: Any, ptr: Any, key: tuple) -> None:
        self.ptr = ptr
        self.key = key
        self.name = ffi.string(lib.mote_delegate_name(ptr)).decode()
        self.device = ffi.string(lib.mote_delegate_device(ptr)).decode()
        self._finalizer = weakref.finalize(self, lib.mote_delegate_free, ptr)

    def __repr__(self) -> str:
        return f"<mote delegate {self.name} on {self.device}>"


_shared: weakref.WeakValueDictionary[tuple, Delegate] = weakref.WeakValueDictionary()
_failed: dict[tuple, MoteError] = {}  # options -> why the delegate could not be created (not retried)
_shared_lock = threading.Lock()


def check_options(name: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validated delegate options (TypeError / ValueError naming the bad one)."""
    if name not in DELEGATES:
        raise ValueError(f"unknown delegate {name!r}; available: {', '.join(DELEGATES)}")
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise TypeError(f"delegate_options must be a dict, got {type(options).__name__}")
    out: dict[str, Any] = {}
    for key, value in options.items():
        if key not in VULKAN_OPTIONS:
            raise ValueError(f"unknown {name} delegate option {key!r}; known: {', '.join(VULKAN_OPTIONS)}")
        want = VULKAN_OPTIONS[key][0]
        if want is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"delegate option {key!r} must be an int, got {value!r}")
        if want is bool and not isinstance(value, bool):
            raise TypeError(f"delegate option {key!r} must be True or False, got {value!r}")
        if want is str and not isinstance(value, str):
            raise TypeError(f"delegate option {key!r} must be a str (a path), got {value!r}")
        out[key] = value
    return out


def _create(lib: Any, options: dict[str, Any], key: tuple) -> Delegate:
    opts = ffi.new("mote_vulkan_options*", lib.mote_vulkan_options_default())
    keep = []  # the C strings must outlive the call
    for k, v in options.items():
        if k == "required":
            continue
        if isinstance(v, str):
            keep.append(ffi.new("char[]", v.encode()))
            setattr(opts, k, keep[-1])
        else:
            setattr(opts, k, int(v))
    out = ffi.new("mote_delegate**")
    status = lib.mote_vulkan_delegate_create(opts, out)
    if status != 0:
        raise_status(lib, status, "the Vulkan delegate is unavailable")
    return Delegate(lib, out[0], key)


def get_delegate(name: str, options: dict[str, Any]) -> Delegate | None:
    """The shared delegate for these options; None (with a RuntimeWarning) when it cannot be
    created and the GPU is not required."""
    lib = get_lib()
    key = (name, tuple(sorted((k, v) for k, v in options.items() if k != "required")))
    with _shared_lock:
        delegate = _shared.get(key)
        if delegate is not None:
            return delegate
        try:
            if key in _failed:
                raise _failed[key]
            delegate = _create(lib, options, key)
        except MoteError as exc:
            _failed[key] = exc
            if options.get("required"):
                raise
            # every model loaded this way says so: each is the user's own request for the GPU
            warnings.warn(f"mote: {exc.message}; running on the CPU", RuntimeWarning, stacklevel=4)
            return None
        _shared[key] = delegate
        return delegate


def apply(lib: Any, interp: Any, delegate: Delegate, required: bool) -> bool:
    """Offer the interpreter's graph to the delegate; False (with a warning) if that failed
    and the GPU is not required (the interpreter then stays on the CPU)."""
    status = lib.mote_interpreter_apply_delegate(interp, delegate.ptr)
    if status == 0:
        return True
    if required:
        raise_status(lib, status, f"cannot run the model on the {delegate.name} delegate")
    msg = ffi.string(lib.mote_last_error()).decode("utf-8", "replace")
    warnings.warn(f"mote: the {delegate.name} delegate failed to prepare the model ({msg}); running on the CPU",
                  RuntimeWarning, stacklevel=4)
    return False


def report(lib: Any, interp: Any) -> str:
    return ffi.string(lib.mote_interpreter_delegate_report(interp)).decode("utf-8", "replace")
