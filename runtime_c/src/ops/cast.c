// CAST: to the output tensor's dtype, between FLOAT32, FLOAT16, INT8, UINT8,
// INT16, INT32, INT64 and BOOL; same shape. float -> integer truncates toward
// zero (C, onnx) and saturates at the target's range, nan gives 0: C leaves
// those undefined and onnx calls them undefined, so we pick the defined answer
// nearest to the value. Integer narrowing wraps; to BOOL is x != 0; float16
// rounds to nearest even (ref_cast.c).
#include "core/ops.h"
#include "ops/op_common.h"
#include "ref/ref_elementwise2.h"

typedef struct {
  mote_dtype from, to;
  size_t from_size, to_size;
} cast_state;

mote_status mote_op_cast_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  // every dtype of the schema converts to every other one
  if (mote_dtype_size(x->dtype) == 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input has unknown dtype %d", (int)x->dtype);
  if (mote_dtype_size(y->dtype) == 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output has unknown dtype %d", (int)y->dtype);
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, x->dims, "output"));
  cast_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  *s = (cast_state){x->dtype, y->dtype, mote_dtype_size(x->dtype), mote_dtype_size(y->dtype)};
  return MOTE_OK;
}

typedef struct {
  const cast_state* s;
  const void* x;
  void* y;
} cast_job;

static void cast_range(void* arg, size_t begin, size_t end) {
  const cast_job* j = arg;
  const cast_state* s = j->s;
  mote_ref_cast(s->from, s->to, (const char*)j->x + begin * s->from_size, (char*)j->y + begin * s->to_size,
                end - begin);
}

mote_status mote_op_cast_eval(mote_context* ctx, mote_node* node) {
  const cast_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  cast_job j = {s, x->data, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, cast_range, &j, x->num_elements, 2);
  return MOTE_OK;
}
