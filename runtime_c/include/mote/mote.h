/// mote: on-device neural-network inference runtime (libmote).
///
/// Life cycle: load a model (`mote_model_load_file` / `mote_model_load_buffer`),
/// create one or more interpreters on it (`mote_interpreter_create`), fill the
/// inputs, `mote_interpreter_invoke`, read the outputs, free everything.
///
/// Every call that can fail returns a `mote_status`; on failure
/// `mote_last_error()` returns a message for the calling thread that says what
/// went wrong (the message stays valid until the next failing call on that thread).
///
/// Thread safety: a `mote_model` is immutable after load and may back many
/// interpreters used from many threads at once. One `mote_interpreter` must be
/// used by one thread at a time; a concurrent second `invoke` on the same
/// interpreter is detected and fails with `MOTE_ERROR_BUSY`.
#ifndef MOTE_MOTE_H
#define MOTE_MOTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MOTE_API __declspec(dllexport)
#else
#define MOTE_API __attribute__((visibility("default")))
#endif

/// The `.mote` format version this runtime reads.
#define MOTE_FORMAT_VERSION 1
/// Largest tensor rank the runtime supports.
#define MOTE_MAX_RANK 8

/// Result of every fallible call.
typedef enum mote_status {
  MOTE_OK = 0,
  MOTE_ERROR_INVALID_ARGUMENT = 1, ///< a bad argument from the caller (null, index, size)
  MOTE_ERROR_INVALID_MODEL = 2,    ///< the model file is malformed or inconsistent
  MOTE_ERROR_UNSUPPORTED = 3,      ///< a valid model needs something this build lacks
  MOTE_ERROR_OUT_OF_MEMORY = 4,
  MOTE_ERROR_IO = 5,               ///< a file could not be opened, read or mapped
  MOTE_ERROR_RUNTIME = 6,          ///< an op failed while running
  MOTE_ERROR_BUSY = 7,             ///< the interpreter is in use by another thread
} mote_status;

/// Element types; the values equal the schema's `DType`.
typedef enum mote_dtype {
  MOTE_FLOAT32 = 0,
  MOTE_FLOAT16 = 1,
  MOTE_INT8 = 2,
  MOTE_UINT8 = 3,
  MOTE_INT16 = 4,
  MOTE_INT32 = 5,
  MOTE_INT64 = 6,
  MOTE_BOOL = 7,
} mote_dtype;

typedef struct mote_model mote_model;
typedef struct mote_interpreter mote_interpreter;

/// Describes one input or output tensor. Pointers stay valid while the
/// interpreter lives; after `mote_interpreter_resize_input` the shape they point
/// to and `byte_size` change (query the info again for the new byte size).
typedef struct mote_tensor_info {
  const char* name;
  mote_dtype dtype;
  int32_t rank;
  const int32_t* shape;         ///< `rank` dimensions, outermost first
  size_t byte_size;             ///< bytes of data (elements x element size)
  int32_t quant_count;          ///< number of scales (0: not quantized)
  const float* quant_scales;
  const int64_t* quant_zero_points;
  int32_t quant_axis;           ///< -1: per tensor
} mote_tensor_info;

/// Interpreter options. Initialise with `mote_options_default()`.
typedef struct mote_options {
  int32_t num_threads;          ///< threads used by ops (>= 1; 0 means 1)
  /// Cap on the interpreter's arena in bytes (0: no cap). `mote_interpreter_create`
  /// and `mote_interpreter_resize_input` fail with MOTE_ERROR_OUT_OF_MEMORY when the
  /// plan needs more, before allocating it.
  size_t max_arena_bytes;
} mote_options;

/// Load options for untrusted files. Initialise with `mote_load_options_default()`.
typedef struct mote_load_options {
  /// Reject files or buffers larger than this many bytes (0: no cap) with
  /// MOTE_ERROR_INVALID_MODEL, before copying or mapping them.
  size_t max_model_bytes;
} mote_load_options;

/// The runtime's version string, e.g. "0.1.0".
MOTE_API const char* mote_version(void);

/// What this CPU offers and which kernels libmote chose for it (one "name: value" per line:
/// detected features, those used after the MOTE_ISA cap, then the kernel per op family).
MOTE_API const char* mote_kernel_info(void);

/// Message explaining the last failed call on this thread ("" if none).
MOTE_API const char* mote_last_error(void);

/// Name of a status code, e.g. "MOTE_ERROR_INVALID_MODEL".
MOTE_API const char* mote_status_name(mote_status status);

/// Bytes per element of `dtype` (0 for an unknown value).
MOTE_API size_t mote_dtype_size(mote_dtype dtype);

/// Default options: one thread.
MOTE_API mote_options mote_options_default(void);

/// Load and verify a model from a file (memory-mapped, read only). The file
/// must not be truncated or rewritten in place while the model is loaded (the
/// OS would fault the mapping); replace it by renaming a new file instead.
MOTE_API mote_status mote_model_load_file(const char* path, mote_model** out_model);

/// Load and verify a model from memory. The bytes are copied into memory the
/// model owns, so the caller may free `data` as soon as this returns.
MOTE_API mote_status mote_model_load_buffer(const void* data, size_t size, mote_model** out_model);

/// Default load options: no size cap.
MOTE_API mote_load_options mote_load_options_default(void);

/// `mote_model_load_file` / `mote_model_load_buffer` with load options
/// (`options` may be NULL for defaults). No size stored in the file is trusted:
/// every offset and length is verified against the real size before use.
MOTE_API mote_status mote_model_load_file_ex(const char* path, const mote_load_options* options,
                                             mote_model** out_model);
MOTE_API mote_status mote_model_load_buffer_ex(const void* data, size_t size, const mote_load_options* options,
                                               mote_model** out_model);

/// Free a model. All interpreters created on it must be freed first.
MOTE_API void mote_model_free(mote_model* model);

/// Value of a metadata entry (e.g. "converter_version"), or NULL if absent.
MOTE_API const char* mote_model_metadata(const mote_model* model, const char* key);

/// Number of metadata entries, and entry `index` (key and value stay valid
/// while the model lives).
MOTE_API int32_t mote_model_metadata_count(const mote_model* model);
MOTE_API mote_status mote_model_metadata_at(const mote_model* model, int32_t index, const char** out_key,
                                            const char** out_value);

/// Number of operators and tensors in the model's main subgraph.
MOTE_API int32_t mote_model_operator_count(const mote_model* model);
MOTE_API int32_t mote_model_tensor_count(const mote_model* model);
/// Arena bytes one interpreter of this model needs (the compiler's plan).
MOTE_API size_t mote_model_arena_size(const mote_model* model);

/// Create an interpreter: allocates the arena and prepares every op.
/// `options` may be NULL for defaults.
MOTE_API mote_status mote_interpreter_create(const mote_model* model, const mote_options* options,
                                             mote_interpreter** out_interp);

/// Free an interpreter (NULL is ignored).
MOTE_API void mote_interpreter_free(mote_interpreter* interp);

MOTE_API int32_t mote_interpreter_input_count(const mote_interpreter* interp);
MOTE_API int32_t mote_interpreter_output_count(const mote_interpreter* interp);

/// Describe input / output `index`.
MOTE_API mote_status mote_interpreter_input_info(const mote_interpreter* interp, int32_t index,
                                                 mote_tensor_info* out_info);
MOTE_API mote_status mote_interpreter_output_info(const mote_interpreter* interp, int32_t index,
                                                  mote_tensor_info* out_info);

/// Index of the input / output named `name`, or -1.
MOTE_API int32_t mote_interpreter_input_index(const mote_interpreter* interp, const char* name);
MOTE_API int32_t mote_interpreter_output_index(const mote_interpreter* interp, const char* name);

/// Copy `size` bytes into input `index`; `size` must equal its byte_size.
MOTE_API mote_status mote_interpreter_set_input(mote_interpreter* interp, int32_t index, const void* data,
                                                size_t size);

/// Copy output `index` into `data`; `size` must equal its byte_size.
MOTE_API mote_status mote_interpreter_get_output(const mote_interpreter* interp, int32_t index, void* data,
                                                 size_t size);

/// Direct pointers to input / output data inside the interpreter's arena
/// (64-byte aligned; valid until the interpreter is freed or an input is
/// resized: the arena moves then). NULL on a bad index.
MOTE_API void* mote_interpreter_input_data(mote_interpreter* interp, int32_t index);
MOTE_API const void* mote_interpreter_output_data(const mote_interpreter* interp, int32_t index);

/// Run the model on the current inputs.
MOTE_API mote_status mote_interpreter_invoke(mote_interpreter* interp);

/// Give input `index` a new shape: `rank` dims (the input's rank; each >= 1).
/// The new shape flows through every op (each recomputes its output shapes),
/// the arena is planned again and reallocated, and the interpreter is ready to
/// invoke. Input contents are not kept (the arena is zeroed) and pointers from
/// `mote_interpreter_input_data` / `_output_data` become invalid; constants
/// never change. The current shape is a no-op.
///
/// An op that cannot follow the shape (e.g. a RESHAPE to a fixed shape whose
/// element count no longer matches, or weights that no longer fit) fails the
/// call with MOTE_ERROR_INVALID_ARGUMENT and a message naming the op and node;
/// the interpreter then keeps its previous shapes and arena and can still be
/// invoked. MOTE_ERROR_BUSY while another thread invokes or resizes it.
MOTE_API mote_status mote_interpreter_resize_input(mote_interpreter* interp, int32_t index, const int32_t* dims,
                                                   int32_t rank);

/// Resize several inputs at once, all or nothing (for inputs whose shapes must
/// change together, e.g. two inputs that are added). `dims` holds the new
/// shapes one after another: ranks[0] dims for indices[0], then ranks[1] dims...
MOTE_API mote_status mote_interpreter_resize_inputs(mote_interpreter* interp, int32_t count, const int32_t* indices,
                                                    const int32_t* dims, const int32_t* ranks);

/// Arena bytes this interpreter uses now (the model's plan until a resize).
MOTE_API size_t mote_interpreter_arena_size(const mote_interpreter* interp);

// ---- delegates -------------------------------------------------------------
//
// A delegate runs part of a model on other hardware (the GPU). Applied to an
// interpreter, it claims the ops it supports; the interpreter partitions the
// graph into maximal runs of claimed ops, prepares each run on the delegate and
// at invoke runs those partitions there and every other op on the CPU, copying
// tensors at the partition boundaries. A delegate that claims too few ops, or
// that would need too many partitions, declines: the model simply stays on the CPU.

typedef struct mote_delegate mote_delegate;

/// Options of the Vulkan compute delegate. Initialise with `mote_vulkan_options_default()`.
typedef struct mote_vulkan_options {
  /// Accept a CPU-type Vulkan device (Mesa lavapipe/llvmpipe, SwiftShader) when no GPU
  /// exists (0: never; such a device is slower than libmote's own CPU kernels; tests use it).
  int32_t allow_cpu_device;
  /// Index into vkEnumeratePhysicalDevices (-1: the best: discrete, then integrated GPU).
  int32_t device_index;
  /// Decline models where fewer ops than this would run on the GPU (default 1).
  int32_t min_ops;
  /// Decline models that would need more partitions than this (each costs copies; default 8).
  int32_t max_partitions;
  /// Store tensors and weights as float16 on the GPU where the device supports it (half the
  /// memory traffic; arithmetic stays float32; results within ~1e-2 of the CPU's). 0: float32.
  int32_t fp16;
  /// libvulkan to load (NULL: the system's, e.g. libvulkan.so.1).
  const char* library_path;
  /// File in which compiled pipelines are cached between runs (NULL: memory only).
  const char* pipeline_cache_path;
} mote_vulkan_options;

MOTE_API mote_vulkan_options mote_vulkan_options_default(void);

/// Create the Vulkan delegate: loads libvulkan at run time (dlopen), picks a device and
/// creates it. MOTE_ERROR_UNSUPPORTED, with a message saying why, when this build has no
/// Vulkan support, libvulkan cannot be loaded, or no suitable device exists; callers then
/// run on the CPU. One delegate may serve many interpreters (each prepares its own buffers).
MOTE_API mote_status mote_vulkan_delegate_create(const mote_vulkan_options* options, mote_delegate** out_delegate);

/// The delegate's name ("vulkan") and a description of its device ("llvmpipe (cpu)").
MOTE_API const char* mote_delegate_name(const mote_delegate* delegate);
MOTE_API const char* mote_delegate_device(const mote_delegate* delegate);

/// Free a delegate (NULL is ignored). Every interpreter it was applied to must be freed first.
MOTE_API void mote_delegate_free(mote_delegate* delegate);

/// Offer the interpreter's graph to `delegate` (at most one delegate per interpreter).
/// MOTE_OK also when the delegate declines: `mote_interpreter_delegate_report` says what
/// runs where. On a failure the interpreter stays on the CPU and remains usable.
/// After `mote_interpreter_resize_input` the graph is offered again for the new shapes.
MOTE_API mote_status mote_interpreter_apply_delegate(mote_interpreter* interp, mote_delegate* delegate);

/// What runs where, one line: e.g. "vulkan (llvmpipe): 60 of 62 ops in 2 partitions;
/// cpu: 2 ops (TOPK 'top')". "cpu: all N ops" without a delegate. Valid until the next
/// call on this interpreter.
MOTE_API const char* mote_interpreter_delegate_report(mote_interpreter* interp);

/// Per node: 1 if it runs on the delegate, else 0 (`count` entries; the model's node order).
MOTE_API mote_status mote_interpreter_node_placement(const mote_interpreter* interp, int32_t* out, int32_t count);

#ifdef __cplusplus
}
#endif

#endif  // MOTE_MOTE_H
