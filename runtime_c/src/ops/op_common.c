// Shared prepare checks and the eval thread split.
#include "ops/op_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/threadpool.h"
#include "ref/ref_common.h"

static const char* dtype_name(mote_dtype t) {
  static const char* names[] = {"float32", "float16", "int8", "uint8", "int16", "int32", "int64", "bool"};
  return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

mote_status mote_op_options_of(const mote_node* node, mote_options_type type, const mote_op_options* defaults,
                               const mote_op_options** out) {
  const mote_op_options* o = node->options;
  if (o && o->type == type) {
    *out = o;
    return MOTE_OK;
  }
  if ((!o || o->type == MOTE_OPTIONS_NONE) && defaults) {
    *out = defaults;
    return MOTE_OK;
  }
  return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "expects options of type %d, the model has %d", (int)type,
                         o ? (int)o->type : 0);
}

mote_status mote_op_check_counts(const mote_node* node, int32_t min_inputs, int32_t max_inputs,
                                 int32_t num_outputs) {
  if (node->num_inputs < min_inputs || node->num_inputs > max_inputs) {
    if (min_inputs == max_inputs)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "expects %d inputs, has %d", min_inputs,
                             node->num_inputs);
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "expects %d to %d inputs, has %d", min_inputs,
                           max_inputs, node->num_inputs);
  }
  if (node->num_outputs != num_outputs)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "expects %d outputs, has %d", num_outputs,
                           node->num_outputs);
  return MOTE_OK;
}

static mote_status check_tensor(const mote_node* node, const mote_tensor* t, const char* what, int32_t i) {
  if (t->rank < 0 || t->rank > MOTE_MAX_RANK)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s %d has rank %d (at most %d)", what, i, t->rank,
                           MOTE_MAX_RANK);
  for (int32_t d = 0; d < t->rank; d++)
    if (t->dims[d] < 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s %d has a negative dim", what, i);
  return MOTE_OK;
}

mote_status mote_op_input(mote_context* ctx, const mote_node* node, int32_t i, mote_tensor** out) {
  mote_tensor* t = mote_node_input(ctx, node, i);
  if (!t) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input %d is required but absent", i);
  *out = t;
  return check_tensor(node, t, "input", i);
}

mote_status mote_op_output(mote_context* ctx, const mote_node* node, int32_t i, mote_tensor** out) {
  if (i >= node->num_outputs || node->outputs[i] < 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output %d is absent", i);
  mote_tensor* t = mote_node_output(ctx, node, i);
  if (t->is_constant)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output %d ('%s') is a constant tensor", i, t->name);
  *out = t;
  return check_tensor(node, t, "output", i);
}

mote_status mote_op_check_dtype(const mote_node* node, const mote_tensor* t, mote_dtype dtype, const char* what) {
  if (t->dtype != dtype)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') is %s, expected %s", what, t->name,
                           dtype_name(t->dtype), dtype_name(dtype));
  return MOTE_OK;
}

mote_status mote_op_check_rank(const mote_node* node, const mote_tensor* t, int32_t rank, const char* what) {
  if (t->rank != rank)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') has rank %d, expected %d", what, t->name,
                           t->rank, rank);
  return MOTE_OK;
}

const char* mote_shape_str(char* buf, int32_t rank, const int32_t* dims) {
  size_t n = 0;
  buf[n++] = '[';
  for (int32_t d = 0; d < rank && d < MOTE_MAX_RANK; d++)
    n += (size_t)snprintf(buf + n, MOTE_SHAPE_STR_LEN - n - 2, "%s%d", d ? "," : "", (int)dims[d]);
  buf[n++] = ']';
  buf[n] = '\0';
  return buf;
}

// the tensors of the interpreter whose shapes propagate on this thread (NULL: none)
static _Thread_local mote_tensor* g_propagate;

void mote_op_propagate_shapes(mote_tensor* tensors) { g_propagate = tensors; }

// the output of `node` that t is, if shapes propagate (NULL otherwise)
static mote_tensor* propagating_output(const mote_node* node, const mote_tensor* t) {
  if (!g_propagate || t->is_constant) return NULL;
  for (int32_t i = 0; i < node->num_outputs; i++)
    if (node->outputs[i] >= 0 && &g_propagate[node->outputs[i]] == t) return &g_propagate[node->outputs[i]];
  return NULL;
}

static mote_status set_shape(const mote_node* node, mote_tensor* t, int32_t rank, const int32_t* dims,
                             const char* what) {
  char want[MOTE_SHAPE_STR_LEN];
  if (rank < 0 || rank > MOTE_MAX_RANK)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') would get rank %d", what, t->name, rank);
  const size_t esize = mote_dtype_size(t->dtype);
  size_t n = 1;
  for (int32_t d = 0; d < rank; d++) {
    if (dims[d] < 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') would get shape %s", what, t->name,
                             mote_shape_str(want, rank, dims));
    if (dims[d] > 0 && n > SIZE_MAX / 4 / (size_t)dims[d])
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') of shape %s would be too large", what,
                             t->name, mote_shape_str(want, rank, dims));
    n *= (size_t)dims[d];
  }
  if (esize == 0 || n > SIZE_MAX / 4 / esize)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') of shape %s would be too large", what,
                           t->name, mote_shape_str(want, rank, dims));
  t->rank = rank;
  for (int32_t d = 0; d < MOTE_MAX_RANK; d++) t->dims[d] = d < rank ? dims[d] : 0;
  t->num_elements = n;
  t->bytes = n * esize;
  return MOTE_OK;
}

mote_status mote_op_check_shape(const mote_node* node, const mote_tensor* t, int32_t rank, const int32_t* dims,
                                const char* what) {
  bool same = t->rank == rank;
  for (int32_t d = 0; same && d < rank; d++) same = t->dims[d] == dims[d];
  if (same) return MOTE_OK;
  mote_tensor* out = propagating_output(node, t);
  if (out) return set_shape(node, out, rank, dims, what);
  char have[MOTE_SHAPE_STR_LEN], want[MOTE_SHAPE_STR_LEN];
  return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s ('%s') has shape %s but the op computes %s", what,
                         t->name, mote_shape_str(have, t->rank, t->dims), mote_shape_str(want, rank, dims));
}

mote_status mote_op_check_activation(const mote_node* node, mote_activation act, mote_dtype dtype) {
  if ((int)act < MOTE_ACT_NONE || (int)act > MOTE_ACT_RELU6)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown fused activation %d", (int)act);
  if (act != MOTE_ACT_NONE && dtype != MOTE_FLOAT32)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "fused activation on %s", dtype_name(dtype));
  return MOTE_OK;
}

void mote_op_activation_range(mote_activation act, float* lo, float* hi) {
  *lo = act == MOTE_ACT_NONE ? -INFINITY : 0.0f;
  *hi = act == MOTE_ACT_RELU6 ? 6.0f : INFINITY;
}

typedef struct {
  mote_range_fn fn;
  void* arg;
  size_t n, chunks;
} parallel_job;

static void parallel_task(void* arg, size_t i) {
  const parallel_job* job = arg;
  size_t begin, end;
  mote_chunk_range(job->n, job->chunks, i, &begin, &end);
  if (begin < end) job->fn(job->arg, begin, end);
}

size_t mote_op_min_task_cost = 16384;

void mote_op_parallel(mote_context* ctx, mote_range_fn fn, void* arg, size_t n, size_t item_cost) {
  size_t chunks = ctx->num_threads > 1 && ctx->pool ? (size_t)ctx->num_threads : 1;
  const size_t by_cost = item_cost && n <= SIZE_MAX / item_cost ? n * item_cost / (mote_op_min_task_cost ? mote_op_min_task_cost : 1) : n;
  if (chunks > by_cost) chunks = by_cost;
  if (chunks > n) chunks = n;
  if (chunks <= 1) {
    if (n) fn(arg, 0, n);
    return;
  }
  parallel_job job = {fn, arg, n, chunks};
  mote_threadpool_run(ctx->pool, parallel_task, &job, chunks);
}

mote_status mote_op_alloc_user_data(mote_node* node, size_t size, void** out) {
  if (!node->user_data) {
    node->user_data = calloc(1, size);
    if (!node->user_data) return mote_node_error(node, MOTE_ERROR_OUT_OF_MEMORY, "no memory for op state");
  } else {
    memset(node->user_data, 0, size);
  }
  *out = node->user_data;
  return MOTE_OK;
}

void mote_op_free_user_data(mote_context* ctx, mote_node* node) {
  (void)ctx;
  free(node->user_data);
  node->user_data = NULL;
}

mote_status mote_op_reduce_axes(const mote_node* node, const mote_tensor* x, const mote_tensor* y,
                                const mote_reduce_options* o, bool reduce[MOTE_MAX_RANK]) {
  if (o->num_axes < 0 || o->num_axes > MOTE_MAX_RANK)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d axes", o->num_axes);
  for (int32_t d = 0; d < MOTE_MAX_RANK; d++) reduce[d] = false;
  for (int32_t i = 0; i < o->num_axes; i++) {
    int32_t a = o->axes[i];
    if (a < -x->rank || a >= x->rank)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", a, x->rank);
    if (a < 0) a += x->rank;
    if (reduce[a]) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d given twice", a);
    reduce[a] = true;
  }
  // no axes: reduce all (onnx's default)
  if (o->num_axes == 0)
    for (int32_t d = 0; d < x->rank; d++) reduce[d] = true;
  int32_t dims[MOTE_MAX_RANK], rank = 0;
  for (int32_t d = 0; d < x->rank; d++) {
    if (!reduce[d]) dims[rank++] = x->dims[d];
    else if (o->keep_dims) dims[rank++] = 1;
  }
  return mote_op_check_shape(node, y, rank, dims, "output");
}

bool mote_reduce_block(int32_t rank, const size_t* dims, const bool* reduce, size_t* outer, size_t* red,
                       size_t* inner) {
  int32_t first = -1, last = -1;
  for (int32_t d = 0; d < rank; d++)
    if (reduce[d] && dims[d] != 1) {
      if (first < 0) first = d;
      last = d;
    }
  *outer = 1, *red = 1, *inner = 1;
  for (int32_t d = 0; d < rank; d++) {
    if (first >= 0 && d >= first && d <= last) {
      if (!reduce[d] && dims[d] != 1) return false;
      *red *= dims[d];
    } else if (first < 0 || d < first) {
      *outer *= dims[d];
    } else {
      *inner *= dims[d];
    }
  }
  return true;
}
