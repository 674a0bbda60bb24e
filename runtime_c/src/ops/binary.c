// ADD, SUB, MUL, DIV: float32, numpy broadcasting up to rank 8, fused activation.
#include "configs/kernels.h"
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/op_common.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_BINARY};

mote_status mote_op_binary_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *a, *b, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 2, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_BINARY, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &a));
  MOTE_TRY(mote_op_input(ctx, node, 1, &b));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, a, MOTE_FLOAT32, "input a"));
  MOTE_TRY(mote_op_check_dtype(node, b, MOTE_FLOAT32, "input b"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_activation(node, opts->u.binary.activation, y->dtype));
  int32_t rank, dims[MOTE_MAX_RANK];
  if (!mote_broadcast_shape(a->rank, a->dims, b->rank, b->dims, &rank, dims)) {
    char sa[MOTE_SHAPE_STR_LEN], sb[MOTE_SHAPE_STR_LEN];
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "shapes %s and %s do not broadcast",
                           mote_shape_str(sa, a->rank, a->dims), mote_shape_str(sb, b->rank, b->dims));
  }
  MOTE_TRY(mote_op_check_shape(node, y, rank, dims, "output"));
  if (node->opcode < MOTE_OP_ADD || node->opcode > MOTE_OP_DIV)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "not a binary opcode");

  mote_binary_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  static const mote_binary_kind kinds[] = {
      [MOTE_OP_ADD] = MOTE_BINARY_ADD, [MOTE_OP_SUB] = MOTE_BINARY_SUB,
      [MOTE_OP_MUL] = MOTE_BINARY_MUL, [MOTE_OP_DIV] = MOTE_BINARY_DIV};
  p->kind = kinds[node->opcode];
  mote_op_activation_range(opts->u.binary.activation, &p->act_min, &p->act_max);
  for (int32_t d = 0; d < rank; d++) p->dims[d] = (size_t)dims[d];
  mote_broadcast_strides(a->rank, a->dims, rank, p->a_strides);
  mote_broadcast_strides(b->rank, b->dims, rank, p->b_strides);
  p->rank = mote_coalesce2(  // rank 0 (scalars) comes back as rank 1
      rank, p->dims, p->a_strides, p->b_strides);
  return MOTE_OK;
}

mote_status mote_op_binary_eval(mote_context* ctx, mote_node* node) {
  const mote_binary_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* a = mote_node_input(ctx, node, 0);
  const mote_tensor* b = mote_node_input(ctx, node, 1);
  mote_tensor* y = mote_node_output(ctx, node, 0);
  mote_kernels_get()->binary_f32(p, a->data, b->data, y->data);
  return MOTE_OK;
}
