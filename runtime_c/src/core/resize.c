// Resizing inputs: the new shapes flow through every op's prepare, the arena is
// planned again and swapped in; on any failure the previous state comes back.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/interpreter_internal.h"
#include "core/ops.h"
#include "core/planner.h"
#include "ops/op_common.h"

#define MESSAGE_LEN 1024

typedef struct {
  int32_t count;
  const int32_t* indices;
  const int32_t* dims;  // count shapes, one after another
  const int32_t* ranks;
} request;

static mote_tensor* input_tensor(mote_interpreter* it, int32_t index) {
  return &it->ctx.tensors[it->model->inputs[index]];
}

// "input 0 ('x') to [1,3,64,64], input 1 ..." into buf
static const char* describe(mote_interpreter* it, const request* r, char* buf, size_t len) {
  size_t n = 0;
  const int32_t* d = r->dims;
  buf[0] = '\0';
  for (int32_t i = 0; i < r->count && n < len; i++) {
    char shape[MOTE_SHAPE_STR_LEN];
    int k = snprintf(buf + n, len - n, "%sinput %d ('%s') to %s", i ? ", " : "", r->indices[i],
                     input_tensor(it, r->indices[i])->name, mote_shape_str(shape, r->ranks[i], d));
    if (k < 0) break;
    n += (size_t)k;
    d += r->ranks[i];
  }
  return buf;
}

static mote_status check_request(mote_interpreter* it, const request* r) {
  if (!it) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "resize_input: NULL interpreter");
  const int32_t num_inputs = it->model->num_inputs;
  if (r->count < 0 || r->count > num_inputs)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "resize_inputs: count %d outside [0, %d]", r->count, num_inputs);
  if (r->count > 0 && (!r->indices || !r->ranks))
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "resize_inputs: NULL indices or ranks");
  const int32_t* d = r->dims;
  for (int32_t i = 0; i < r->count; i++) {
    const int32_t index = r->indices[i];
    if (index < 0 || index >= num_inputs)
      return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "input index %d out of range (%d inputs)", index, num_inputs);
    for (int32_t j = 0; j < i; j++)
      if (r->indices[j] == index)
        return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "input %d is resized twice in one call", index);
    const mote_tensor* t = input_tensor(it, index);
    if (r->ranks[i] != t->rank)
      return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "input %d ('%s') has rank %d; cannot give it rank %d", index,
                        t->name, t->rank, r->ranks[i]);
    if (t->rank > 0 && !d) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "resize_input: NULL dims");
    for (int32_t k = 0; k < t->rank; k++)
      if (d[k] < 1) {
        char shape[MOTE_SHAPE_STR_LEN];
        return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "cannot resize input %d ('%s') to %s: dims must be >= 1",
                          index, t->name, mote_shape_str(shape, t->rank, d));
      }
    d += t->rank;
  }
  return MOTE_OK;
}

static bool changes_anything(mote_interpreter* it, const request* r) {
  const int32_t* d = r->dims;
  for (int32_t i = 0; i < r->count; i++) {
    const mote_tensor* t = input_tensor(it, r->indices[i]);
    if (memcmp(t->dims, d, (size_t)t->rank * sizeof *d) != 0) return true;
    d += r->ranks[i];
  }
  return false;
}

static mote_status set_input_shapes(mote_interpreter* it, const request* r) {
  const int32_t* d = r->dims;
  for (int32_t i = 0; i < r->count; i++) {
    mote_tensor* t = input_tensor(it, r->indices[i]);
    const size_t esize = mote_dtype_size(t->dtype);
    size_t n = 1;
    for (int32_t k = 0; k < t->rank; k++) {
      // at most 2^31-1 elements, as the loader allows (d[k] >= 1, checked above)
      if (n > SIZE_MAX / 4 / esize / (size_t)d[k] || n * (size_t)d[k] > (size_t)INT32_MAX) {
        char shape[MOTE_SHAPE_STR_LEN];
        return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "cannot resize input %d ('%s') to %s: too many elements",
                          r->indices[i], t->name, mote_shape_str(shape, t->rank, d));
      }
      n *= (size_t)d[k];
    }
    memcpy(t->dims, d, (size_t)t->rank * sizeof *d);
    t->num_elements = n;
    t->bytes = n * esize;
    d += r->ranks[i];
  }
  return MOTE_OK;
}

// every op computes its outputs' shapes from its inputs' (see mote_op_propagate_shapes)
static mote_status propagate(mote_interpreter* it, const request* r, size_t* scratch) {
  mote_interpreter_free_node_data(it);
  mote_op_propagate_shapes(it->ctx.tensors);
  mote_status s = mote_interpreter_prepare_nodes(it, scratch);
  mote_op_propagate_shapes(NULL);
  if (s == MOTE_OK) return MOTE_OK;
  char msg[MESSAGE_LEN], what[MESSAGE_LEN / 2];
  snprintf(msg, sizeof msg, "%s", mote_last_error());
  if (s != MOTE_ERROR_OUT_OF_MEMORY) s = MOTE_ERROR_INVALID_ARGUMENT;
  return mote_error(s, "cannot resize %s: the model cannot take that shape: %s",
                    describe(it, r, what, sizeof what), msg);
}

static mote_status plan(mote_interpreter* it, size_t* offsets, size_t* arena_size) {
  const mote_model* m = it->model;
  mote_plan_graph g = {it->ctx.tensors, it->ctx.num_tensors, it->nodes, it->num_nodes,
                       m->inputs,       m->num_inputs,       m->outputs, m->num_outputs};
  mote_status s = mote_plan_arena(&g, offsets, arena_size);
  if (s != MOTE_OK) return s;
  // the loader's rule holds for our own plan too (cheap next to the prepares)
  mote_model check = *m;
  check.tensors = it->ctx.tensors;
  check.arena_offsets = offsets;
  check.arena_size = *arena_size;
  s = mote_model_verify_plan(&check);
  if (s != MOTE_OK) {
    char msg[MESSAGE_LEN];
    snprintf(msg, sizeof msg, "%s", mote_last_error());
    return mote_error(MOTE_ERROR_RUNTIME, "resize: the new memory plan is wrong (a planner bug): %s", msg);
  }
  return MOTE_OK;
}

// the previous shapes and arena (still allocated), and op state prepared for them
static void roll_back(mote_interpreter* it, const mote_tensor* saved, mote_status status) {
  char msg[MESSAGE_LEN];
  snprintf(msg, sizeof msg, "%s", mote_last_error());
  memcpy(it->ctx.tensors, saved, (size_t)it->ctx.num_tensors * sizeof *saved);
  mote_interpreter_free_node_data(it);
  size_t scratch = 0;
  mote_status s = mote_interpreter_prepare_nodes(it, &scratch);
  if (s == MOTE_OK && scratch > it->ctx.scratch_size)
    s = mote_error(MOTE_ERROR_RUNTIME, "an op asks for more scratch than before");
  if (s != MOTE_OK) {
    // op state may be half-built: invoke refuses from now on
    it->broken = true;
    char why[MESSAGE_LEN / 2];
    snprintf(why, sizeof why, "%s", mote_last_error());
    mote_error(status, "%s (and the interpreter could not be restored: %s)", msg, why);
    return;
  }
  mote_error(status, "%s", msg);
}

// the delegate's partitions hold state prepared for the old shapes: offer the graph again after
static mote_delegate* detach_delegate(mote_interpreter* it) {
  mote_delegate* d = it->delegate;
  if (!d) return NULL;
  mote_interpreter_release_delegate(it);
  for (int32_t i = 0; i < it->num_nodes; i++) it->steps[i] = i;
  it->num_steps = it->num_nodes;
  return d;
}

static void reattach_delegate(mote_interpreter* it, mote_delegate* d) {
  if (!d) return;
  char msg[MESSAGE_LEN];
  snprintf(msg, sizeof msg, "%s", mote_last_error());
  // a delegate that fails here leaves the interpreter on the CPU, which is still correct
  (void)mote_interpreter_apply_delegate(it, d);
  mote_error(MOTE_OK, "%s", msg);
}

static mote_status resize_locked(mote_interpreter* it, const request* r) {
  const size_t nt = (size_t)it->ctx.num_tensors + 1;
  mote_tensor* saved = malloc(nt * sizeof *saved);
  size_t* offsets = malloc(nt * sizeof *offsets);
  if (!saved || !offsets) {
    free(saved);
    free(offsets);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory resizing an input");
  }
  memcpy(saved, it->ctx.tensors, (size_t)it->ctx.num_tensors * sizeof *saved);
  mote_delegate* d = detach_delegate(it);
  void *arena = NULL, *scratch = NULL;
  size_t arena_size = 0, scratch_size = 0, again = 0;
  mote_status s = set_input_shapes(it, r);
  if (s == MOTE_OK) s = propagate(it, r, &scratch_size);
  if (s == MOTE_OK) s = plan(it, offsets, &arena_size);
  if (s == MOTE_OK && it->max_arena_bytes && arena_size > it->max_arena_bytes)
    s = mote_error(MOTE_ERROR_OUT_OF_MEMORY, "the new shapes need a %zu-byte arena, over max_arena_bytes %zu",
                   arena_size, it->max_arena_bytes);
  if (s == MOTE_OK) {
    arena = mote_aligned_calloc(arena_size);
    scratch = scratch_size ? mote_aligned_calloc(scratch_size) : NULL;
    if (!arena || (scratch_size && !scratch))
      s = mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory: a %zu-byte arena for the new shapes", arena_size);
  }
  if (s == MOTE_OK) {
    // prepare once more on the final memory: ops may keep pointers, and the shapes must now check out
    for (int32_t t = 0; t < it->ctx.num_tensors; t++)
      if (!it->ctx.tensors[t].is_constant) it->ctx.tensors[t].data = (uint8_t*)arena + offsets[t];
    mote_interpreter_free_node_data(it);
    s = mote_interpreter_prepare_nodes(it, &again);
    if (s == MOTE_OK && again > scratch_size)
      s = mote_error(MOTE_ERROR_RUNTIME, "resize: an op asked for %zu bytes of scratch, then %zu", scratch_size,
                     again);
  }
  if (s == MOTE_OK) {
    mote_aligned_free(it->arena);
    mote_aligned_free(it->ctx.scratch);
    it->arena = arena;
    it->arena_size = arena_size;
    it->ctx.scratch = scratch;
    it->ctx.scratch_size = scratch_size;
  } else {
    roll_back(it, saved, s);
    mote_aligned_free(arena);
    mote_aligned_free(scratch);
  }
  reattach_delegate(it, d);
  free(saved);
  free(offsets);
  return s;
}

mote_status mote_interpreter_resize_inputs(mote_interpreter* it, int32_t count, const int32_t* indices,
                                           const int32_t* dims, const int32_t* ranks) {
  request r = {count, indices, dims, ranks};
  mote_status s = check_request(it, &r);
  if (s != MOTE_OK) return s;
  if (atomic_exchange(&it->busy, true))
    return mote_error(MOTE_ERROR_BUSY, "cannot resize: the interpreter is running on another thread");
  if (it->broken) s = mote_error(MOTE_ERROR_RUNTIME, "interpreter unusable: a failed resize could not restore it");
  else if (changes_anything(it, &r)) s = resize_locked(it, &r);
  atomic_store(&it->busy, false);
  return s;
}

mote_status mote_interpreter_resize_input(mote_interpreter* it, int32_t index, const int32_t* dims, int32_t rank) {
  return mote_interpreter_resize_inputs(it, 1, &index, dims, &rank);
}

size_t mote_interpreter_arena_size(const mote_interpreter* it) { return it ? it->arena_size : 0; }
