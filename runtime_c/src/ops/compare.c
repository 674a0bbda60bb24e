// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL: inputs of one
// dtype (float32, int32, int64 or bool), numpy broadcasting, output BOOL (0 / 1).
// Floats compare as IEEE (nan is unequal to everything); bools as truth values.
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/elementwise_common.h"
#include "ops/op_common.h"

typedef struct {
  mote_compare_kind kind;
  mote_dtype dtype;
  mote_bcast_layout layout;
} compare_state;

mote_status mote_op_compare_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *a, *b, *y;
  if (node->opcode < MOTE_OP_EQUAL || node->opcode > MOTE_OP_GREATER_EQUAL)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "not a comparison opcode");
  MOTE_TRY(mote_op_check_counts(node, 2, 2, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &a));
  MOTE_TRY(mote_op_input(ctx, node, 1, &b));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  if (a->dtype != MOTE_FLOAT32 && a->dtype != MOTE_INT32 && a->dtype != MOTE_INT64 && a->dtype != MOTE_BOOL)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input a ('%s') is %s; comparisons take float32, int32, "
                           "int64 or bool", a->name, mote_ew_dtype_name(a->dtype));
  MOTE_TRY(mote_op_check_dtype(node, b, a->dtype, "input b"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_BOOL, "output"));
  compare_state* s;
  mote_bcast_layout layout;
  MOTE_TRY(mote_broadcast_prepare(node, 2, (const mote_tensor* const[]){a, b}, y, &layout));
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  // the opcodes run in the same order as the kinds
  s->kind = (mote_compare_kind)(node->opcode - MOTE_OP_EQUAL);
  s->dtype = a->dtype;
  s->layout = layout;
  return MOTE_OK;
}

typedef struct {
  const compare_state* s;
  const void *a, *b;
  uint8_t* y;
} compare_job;

static void compare_range(void* arg, size_t begin, size_t end) {
  const compare_job* j = arg;
  mote_ref_compare(j->s->kind, j->s->dtype, &j->s->layout, j->a, j->b, j->y, begin, end);
}

mote_status mote_op_compare_eval(mote_context* ctx, mote_node* node) {
  const compare_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  compare_job j = {s, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                   mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, compare_range, &j, s->layout.count, 1);
  return MOTE_OK;
}
