// WHERE: inputs [cond BOOL, a, b] broadcast together (numpy) to the output;
// out = cond ? a : b, elements copied by size, so a and b may be any dtype
// (the same for both and the output).
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/op_common.h"

typedef struct {
  size_t elem_size;
  mote_bcast_layout layout;
} where_state;

mote_status mote_op_where_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *c, *a, *b, *y;
  MOTE_TRY(mote_op_check_counts(node, 3, 3, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &c));
  MOTE_TRY(mote_op_input(ctx, node, 1, &a));
  MOTE_TRY(mote_op_input(ctx, node, 2, &b));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, c, MOTE_BOOL, "condition"));
  const size_t es = mote_dtype_size(a->dtype);
  if (es == 0) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input a has unknown dtype %d", (int)a->dtype);
  MOTE_TRY(mote_op_check_dtype(node, b, a->dtype, "input b"));
  MOTE_TRY(mote_op_check_dtype(node, y, a->dtype, "output"));
  where_state* s;
  mote_bcast_layout layout;
  MOTE_TRY(mote_broadcast_prepare(node, 3, (const mote_tensor* const[]){c, a, b}, y, &layout));
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  s->elem_size = es;
  s->layout = layout;
  return MOTE_OK;
}

typedef struct {
  const where_state* s;
  const void *c, *a, *b;
  void* y;
} where_job;

static void where_range(void* arg, size_t begin, size_t end) {
  const where_job* j = arg;
  mote_ref_where(&j->s->layout, j->s->elem_size, j->c, j->a, j->b, j->y, begin, end);
}

mote_status mote_op_where_eval(mote_context* ctx, mote_node* node) {
  const where_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  where_job j = {s, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                 mote_node_input(ctx, node, 2)->data, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, where_range, &j, s->layout.count, 1);
  return MOTE_OK;
}
