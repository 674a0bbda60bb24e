// The interpreter: one arena, prepared nodes, invoke in order.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/interpreter_internal.h"
#include "core/ops.h"

#define MAX_THREADS 256

void mote_interpreter_free(mote_interpreter* it) {
  if (!it) return;
  mote_interpreter_release_delegate(it);
  if (it->nodes) mote_interpreter_free_node_data(it);
  mote_threadpool_destroy(it->ctx.pool);
  mote_aligned_free(it->ctx.scratch);
  mote_aligned_free(it->arena);
  free(it->ctx.tensors);
  free(it->nodes);
  free(it->steps);
  free(it);
}

// every op failure names the op and node, even if the op said nothing or used mote_error
mote_status mote_node_failed(const mote_node* n, mote_status s, const char* phase) {
  const char* msg = mote_last_error();
  if (msg[0] == '\0') {
    mote_node_error(n, s, "%s failed (%s)", phase, mote_status_name(s));
  } else if (!strstr(msg, "(node '")) {
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", msg);
    mote_node_error(n, s, "%s", copy);
  }
  return s;
}

mote_status mote_interpreter_prepare_nodes(mote_interpreter* it, size_t* scratch) {
  *scratch = 0;
  for (int32_t i = 0; i < it->num_nodes; i++) {
    mote_node* n = &it->nodes[i];
    const mote_op_registration* reg = mote_op_lookup(n->opcode);  // non-NULL: checked at load
    if (!reg || !reg->eval)
      return mote_error(MOTE_ERROR_UNSUPPORTED, "operator %d ('%s'): opcode %d has no kernel", i, n->name, n->opcode);
    if (it->num_prepared < i + 1) it->num_prepared = i + 1;  // free_data also cleans up after a failed prepare
    n->scratch_size = 0;
    if (reg->prepare) {
      mote_clear_error();
      mote_status s = reg->prepare(&it->ctx, n);
      if (s != MOTE_OK) return mote_node_failed(n, s, "prepare");
    }
    if (n->scratch_size > *scratch) *scratch = n->scratch_size;
  }
  return MOTE_OK;
}

void mote_interpreter_free_node_data(mote_interpreter* it) {
  for (int32_t i = 0; i < it->num_prepared; i++) {
    const mote_op_registration* reg = mote_op_lookup(it->nodes[i].opcode);
    if (reg && reg->free_data) reg->free_data(&it->ctx, &it->nodes[i]);
    it->nodes[i].user_data = NULL;
  }
  it->num_prepared = 0;
}

static mote_status prepare_all(mote_interpreter* it) {
  size_t scratch = 0;
  mote_status s = mote_interpreter_prepare_nodes(it, &scratch);
  if (s != MOTE_OK) return s;
  if (scratch > 0) {
    it->ctx.scratch = mote_aligned_calloc(scratch);
    if (!it->ctx.scratch) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory: %zu bytes of scratch", scratch);
    it->ctx.scratch_size = scratch;
  }
  return MOTE_OK;
}

static mote_status build(mote_interpreter* it, const mote_model* m, int32_t threads) {
  size_t nt = (size_t)m->num_tensors, nn = (size_t)m->num_nodes;
  it->ctx.tensors = malloc((nt + 1) * sizeof *it->ctx.tensors);
  it->nodes = malloc((nn + 1) * sizeof *it->nodes);
  it->steps = malloc((nn + 1) * sizeof *it->steps);
  it->arena = mote_aligned_calloc(m->arena_size);
  it->arena_size = m->arena_size;
  it->ctx.pool = mote_threadpool_create(threads);
  if (!it->ctx.tensors || !it->nodes || !it->steps || !it->arena || !it->ctx.pool)
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory creating an interpreter (arena %zu bytes)",
                      m->arena_size);
  memcpy(it->ctx.tensors, m->tensors, nt * sizeof *it->ctx.tensors);
  for (size_t t = 0; t < nt; t++)
    if (!it->ctx.tensors[t].is_constant) it->ctx.tensors[t].data = (uint8_t*)it->arena + m->arena_offsets[t];
  memcpy(it->nodes, m->nodes, nn * sizeof *it->nodes);
  for (size_t i = 0; i < nn; i++) it->steps[i] = (int32_t)i;
  it->num_nodes = m->num_nodes;
  it->num_steps = m->num_nodes;
  it->ctx.num_tensors = m->num_tensors;
  it->ctx.num_threads = threads;
  return prepare_all(it);
}

mote_status mote_interpreter_create(const mote_model* m, const mote_options* options, mote_interpreter** out) {
  if (out) *out = NULL;
  if (!m || !out) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_interpreter_create: NULL argument");
  int32_t threads = options ? options->num_threads : 1;
  if (threads < 0 || threads > MAX_THREADS)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "num_threads %d outside [0, %d]", threads, MAX_THREADS);
  if (threads == 0) threads = 1;
  size_t cap = options ? options->max_arena_bytes : 0;
  if (cap && m->arena_size > cap)
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "the model's plan needs a %zu-byte arena, over max_arena_bytes %zu",
                      m->arena_size, cap);
  mote_interpreter* it = calloc(1, sizeof *it);
  if (!it) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory creating an interpreter");
  it->model = m;
  it->max_arena_bytes = cap;
  atomic_init(&it->busy, false);
  mote_status s = build(it, m, threads);
  if (s != MOTE_OK) {
    mote_interpreter_free(it);
    return s;
  }
  *out = it;
  return MOTE_OK;
}

mote_status mote_interpreter_invoke(mote_interpreter* it) {
  if (!it) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_interpreter_invoke: NULL interpreter");
  if (atomic_exchange(&it->busy, true))
    return mote_error(MOTE_ERROR_BUSY, "interpreter is already running on another thread");
  if (it->broken) {
    atomic_store(&it->busy, false);
    return mote_error(MOTE_ERROR_RUNTIME, "interpreter unusable: a failed resize could not restore it");
  }
  mote_clear_error();
  mote_status s = MOTE_OK;
  for (int32_t i = 0; i < it->num_steps && s == MOTE_OK; i++) {
    int32_t step = it->steps[i];
    if (step >= 0) {
      mote_node* n = &it->nodes[step];
      s = mote_op_lookup(n->opcode)->eval(&it->ctx, n);
      if (s != MOTE_OK) mote_node_failed(n, s, "eval");
    } else {
      mote_partition* p = &it->partitions[-1 - step];
      s = it->delegate->invoke(it->delegate, &it->ctx, it->nodes, p);
      if (s != MOTE_OK && mote_last_error()[0] == '\0')
        mote_error(s, "delegate %s failed on nodes %d..%d", it->delegate->name ? it->delegate->name : "?",
                   p->first_node, p->first_node + p->num_nodes - 1);
    }
  }
  atomic_store(&it->busy, false);
  return s;
}

// ---- inputs and outputs ----

static const mote_tensor* io_tensor(const mote_interpreter* it, bool input, int32_t index) {
  if (!it) return NULL;
  const mote_model* m = it->model;
  int32_t count = input ? m->num_inputs : m->num_outputs;
  if (index < 0 || index >= count) return NULL;
  return &it->ctx.tensors[input ? m->inputs[index] : m->outputs[index]];
}

static mote_status bad_index(const mote_interpreter* it, bool input, int32_t index) {
  if (!it) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "NULL interpreter");
  return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "%s index %d out of range (%d %ss)", input ? "input" : "output",
                    index, input ? it->model->num_inputs : it->model->num_outputs, input ? "input" : "output");
}

int32_t mote_interpreter_input_count(const mote_interpreter* it) { return it ? it->model->num_inputs : 0; }
int32_t mote_interpreter_output_count(const mote_interpreter* it) { return it ? it->model->num_outputs : 0; }

static mote_status info(const mote_interpreter* it, bool input, int32_t index, mote_tensor_info* out) {
  const mote_tensor* t = io_tensor(it, input, index);
  if (!t) return bad_index(it, input, index);
  if (!out) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "NULL tensor info");
  out->name = t->name;
  out->dtype = t->dtype;
  out->rank = t->rank;
  out->shape = t->dims;
  out->byte_size = t->bytes;
  out->quant_count = t->quant_count;
  out->quant_scales = t->quant_scales;
  out->quant_zero_points = t->quant_zero_points;
  out->quant_axis = t->quant_axis;
  return MOTE_OK;
}

mote_status mote_interpreter_input_info(const mote_interpreter* it, int32_t index, mote_tensor_info* out) {
  return info(it, true, index, out);
}
mote_status mote_interpreter_output_info(const mote_interpreter* it, int32_t index, mote_tensor_info* out) {
  return info(it, false, index, out);
}

static int32_t find(const mote_interpreter* it, bool input, const char* name) {
  if (!it || !name) return -1;
  int32_t count = input ? it->model->num_inputs : it->model->num_outputs;
  for (int32_t i = 0; i < count; i++)
    if (strcmp(io_tensor(it, input, i)->name, name) == 0) return i;
  return -1;
}

int32_t mote_interpreter_input_index(const mote_interpreter* it, const char* name) { return find(it, true, name); }
int32_t mote_interpreter_output_index(const mote_interpreter* it, const char* name) {
  return find(it, false, name);
}

static mote_status check_copy(const mote_interpreter* it, bool input, int32_t index, const void* data, size_t size,
                              const mote_tensor** out) {
  const mote_tensor* t = io_tensor(it, input, index);
  if (!t) return bad_index(it, input, index);
  if (size != t->bytes)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "%s %d ('%s') holds %zu bytes, got %zu", input ? "input" : "output",
                      index, t->name, t->bytes, size);
  if (!data && size > 0) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "NULL data");
  *out = t;
  return MOTE_OK;
}

mote_status mote_interpreter_set_input(mote_interpreter* it, int32_t index, const void* data, size_t size) {
  const mote_tensor* t = NULL;
  mote_status s = check_copy(it, true, index, data, size, &t);
  if (s == MOTE_OK && size > 0) memcpy(t->data, data, size);
  return s;
}

mote_status mote_interpreter_get_output(const mote_interpreter* it, int32_t index, void* data, size_t size) {
  const mote_tensor* t = NULL;
  mote_status s = check_copy(it, false, index, data, size, &t);
  if (s == MOTE_OK && size > 0) memcpy(data, t->data, size);
  return s;
}

void* mote_interpreter_input_data(mote_interpreter* it, int32_t index) {
  const mote_tensor* t = io_tensor(it, true, index);
  return t ? t->data : NULL;
}

const void* mote_interpreter_output_data(const mote_interpreter* it, int32_t index) {
  const mote_tensor* t = io_tensor(it, false, index);
  return t ? t->data : NULL;
}
