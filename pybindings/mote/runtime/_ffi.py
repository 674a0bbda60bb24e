"""cffi (ABI mode) declarations of libmote's C API and the lazily opened library.

The cdef mirrors runtime_c/include/mote/mote.h; keep the two in step.
The library is found, in order, at $MOTE_LIBRARY, then next to the package
(`mote/lib/libmote.so`, where the wheel and the editable install put it).
"""

from __future__ import annotations

import importlib.resources
import os
import sys
import threading
from pathlib import Path
from typing import Any

import cffi

from .errors import MoteError

CDEF = """
typedef enum mote_status {
  MOTE_OK = 0,
  MOTE_ERROR_INVALID_ARGUMENT = 1,
  MOTE_ERROR_INVALID_MODEL = 2,
  MOTE_ERROR_UNSUPPORTED = 3,
  MOTE_ERROR_OUT_OF_MEMORY = 4,
  MOTE_ERROR_IO = 5,
  MOTE_ERROR_RUNTIME = 6,
  MOTE_ERROR_BUSY = 7,
} mote_status;

typedef enum mote_dtype {
  MOTE_FLOAT32 = 0, MOTE_FLOAT16 = 1, MOTE_INT8 = 2, MOTE_UINT8 = 3,
  MOTE_INT16 = 4, MOTE_INT32 = 5, MOTE_INT64 = 6, MOTE_BOOL = 7,
} mote_dtype;

typedef struct mote_model mote_model;
typedef struct mote_interpreter mote_interpreter;

typedef struct mote_tensor_info {
  const char* name;
  mote_dtype dtype;
  int32_t rank;
  const int32_t* shape;
  size_t byte_size;
  int32_t quant_count;
  const float* quant_scales;
  const int64_t* quant_zero_points;
  int32_t quant_axis;
} mote_tensor_info;

typedef struct mote_options {
  int32_t num_threads;
  size_t max_arena_bytes;
} mote_options;

typedef struct mote_load_options {
  size_t max_model_bytes;
} mote_load_options;

const char* mote_version(void);
const char* mote_kernel_info(void);
const char* mote_last_error(void);
const char* mote_status_name(mote_status status);
size_t mote_dtype_size(mote_dtype dtype);
mote_options mote_options_default(void);
mote_load_options mote_load_options_default(void);

mote_status mote_model_load_file(const char* path, mote_model** out_model);
mote_status mote_model_load_buffer(const void* data, size_t size, mote_model** out_model);
mote_status mote_model_load_file_ex(const char* path, const mote_load_options* options, mote_model** out_model);
mote_status mote_model_load_buffer_ex(const void* data, size_t size, const mote_load_options* options,
                                      mote_model** out_model);
void mote_model_free(mote_model* model);
const char* mote_model_metadata(const mote_model* model, const char* key);
int32_t mote_model_metadata_count(const mote_model* model);
mote_status mote_model_metadata_at(const mote_model* model, int32_t index, const char** out_key,
                                   const char** out_value);
int32_t mote_model_operator_count(const mote_model* model);
int32_t mote_model_tensor_count(const mote_model* model);
size_t mote_model_arena_size(const mote_model* model);

mote_status mote_interpreter_create(const mote_model* model, const mote_options* options,
                                    mote_interpreter** out_interp);
void mote_interpreter_free(mote_interpreter* interp);
int32_t mote_interpreter_input_count(const mote_interpreter* interp);
int32_t mote_interpreter_output_count(const mote_interpreter* interp);
mote_status mote_interpreter_input_info(const mote_interpreter* interp, int32_t index,
                                        mote_tensor_info* out_info);
mote_status mote_interpreter_output_info(const mote_interpreter* interp, int32_t index,
                                         mote_tensor_info* out_info);
int32_t mote_interpreter_input_index(const mote_interpreter* interp, const char* name);
int32_t mote_interpreter_output_index(const mote_interpreter* interp, const char* name);
mote_status mote_interpreter_set_input(mote_interpreter* interp, int32_t index, const void* data,
                                       size_t size);
mote_status mote_interpreter_get_output(const mote_interpreter* interp, int32_t index, void* data,
                                        size_t size);
void* mote_interpreter_input_data(mote_interpreter* interp, int32_t index);
const void* mote_interpreter_output_data(const mote_interpreter* interp, int32_t index);
mote_status mote_interpreter_invoke(mote_interpreter* interp);
mote_status mote_interpreter_resize_input(mote_interpreter* interp, int32_t index, const int32_t* dims,
                                          int32_t rank);
mote_status mote_interpreter_resize_inputs(mote_interpreter* interp, int32_t count, const int32_t* indices,
                                           const int32_t* dims, const int32_t* ranks);
size_t mote_interpreter_arena_size(const mote_interpreter* interp);

typedef struct mote_delegate mote_delegate;
typedef struct mote_vulkan_options {
  int32_t allow_cpu_device;
  int32_t device_index;
  int32_t min_ops;
  int32_t max_partitions;
  int32_t fp16;
  const char* library_path;
  const char* pipeline_cache_path;
} mote_vulkan_options;
mote_vulkan_options mote_vulkan_options_default(void);
mote_status mote_vulkan_delegate_create(const mote_vulkan_options* options, mote_delegate** out_delegate);
const char* mote_delegate_name(const mote_delegate* delegate);
const char* mote_delegate_device(const mote_delegate* delegate);
void mote_delegate_free(mote_delegate* delegate);
mote_status mote_interpreter_apply_delegate(mote_interpreter* interp, mote_delegate* delegate);
const char* mote_interpreter_delegate_report(mote_interpreter* interp);
mote_status mote_interpreter_node_placement(const mote_interpreter* interp, int32_t* out, int32_t count);
"""

ffi = cffi.FFI()
ffi.cdef(CDEF)

_lib: Any = None
_lock = threading.Lock()

LIBRARY_ENV = "MOTE_LIBRARY"


def _library_filename() -> str:
    if sys.platform == "darwin":
        return "libmote.dylib"
    if sys.platform == "win32":
        return "mote.dll"
    return "libmote.so"


def library_path() -> Path:
    """Where libmote is loaded from ($MOTE_LIBRARY, else the package's lib/ folder)."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return Path(override)
    return Path(str(importlib.resources.files("mote") / "lib" / _library_filename()))


def get_lib() -> Any:
    """The opened libmote, opened once on first use."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            path = library_path()
            if not path.is_file():
                how = (f"${LIBRARY_ENV} points to {path}, which does not exist"
                       if os.environ.get(LIBRARY_ENV) else
                       f"expected it at {path}; build it with `pip install .` (or `pip install -e .`) "
                       f"from the mote source tree, or set {LIBRARY_ENV}=/path/to/{_library_filename()}")
                raise OSError(f"the mote runtime library (libmote) was not found: {how}")
            try:
                _lib = ffi.dlopen(str(path))
            except OSError as exc:
                raise OSError(f"could not open the mote runtime library {path}: {exc}") from exc
    return _lib


def raise_status(lib: Any, status: int, what: str) -> None:
    """Raise MoteError for a failed call; `what` says what was being done."""
    name = ffi.string(lib.mote_status_name(status)).decode("utf-8", "replace")
    msg = ffi.string(lib.mote_last_error()).decode("utf-8", "replace")
    raise MoteError(status, name, msg, what)
