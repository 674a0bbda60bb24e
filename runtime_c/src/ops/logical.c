// LOGICAL_AND, LOGICAL_OR (numpy broadcasting) and LOGICAL_NOT on BOOL; any
// non-zero input byte is true, outputs are 0 / 1.
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/op_common.h"

typedef struct {
  mote_logical_kind kind;
  mote_bcast_layout layout;  // AND / OR
} logical_state;

mote_status mote_op_logical_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *a, *b, *y;
  const bool is_not = node->opcode == MOTE_OP_LOGICAL_NOT;
  if (node->opcode != MOTE_OP_LOGICAL_AND && node->opcode != MOTE_OP_LOGICAL_OR && !is_not)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "not a logical opcode");
  MOTE_TRY(mote_op_check_counts(node, is_not ? 1 : 2, is_not ? 1 : 2, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &a));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, a, MOTE_BOOL, is_not ? "input" : "input a"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_BOOL, "output"));
  logical_state* s;
  if (is_not) {
    MOTE_TRY(mote_op_check_shape(node, y, a->rank, a->dims, "output"));
    return mote_op_alloc_user_data(node, sizeof *s, (void**)&s);
  }
  MOTE_TRY(mote_op_input(ctx, node, 1, &b));
  MOTE_TRY(mote_op_check_dtype(node, b, MOTE_BOOL, "input b"));
  mote_bcast_layout layout;
  MOTE_TRY(mote_broadcast_prepare(node, 2, (const mote_tensor* const[]){a, b}, y, &layout));
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  s->kind = node->opcode == MOTE_OP_LOGICAL_AND ? MOTE_LOGICAL_AND : MOTE_LOGICAL_OR;
  s->layout = layout;
  return MOTE_OK;
}

typedef struct {
  const logical_state* s;
  const uint8_t *a, *b;
  uint8_t* y;
} logical_job;

static void binary_range(void* arg, size_t begin, size_t end) {
  const logical_job* j = arg;
  mote_ref_logical(j->s->kind, &j->s->layout, j->a, j->b, j->y, begin, end);
}

static void not_range(void* arg, size_t begin, size_t end) {
  const logical_job* j = arg;
  mote_ref_logical_not(j->a + begin, j->y + begin, end - begin);
}

mote_status mote_op_logical_eval(mote_context* ctx, mote_node* node) {
  const logical_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* a = mote_node_input(ctx, node, 0);
  logical_job j = {s, a->data, NULL, mote_node_output(ctx, node, 0)->data};
  if (node->opcode == MOTE_OP_LOGICAL_NOT) {
    mote_op_parallel(ctx, not_range, &j, a->num_elements, 1);
  } else {
    j.b = mote_node_input(ctx, node, 1)->data;
    mote_op_parallel(ctx, binary_range, &j, s->layout.count, 1);
  }
  return MOTE_OK;
}
