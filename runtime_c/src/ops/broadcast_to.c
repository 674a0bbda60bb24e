// BROADCAST_TO: the input broadcast (numpy rules) to the output tensor's shape,
// any dtype. The converter resolves ONNX Expand's shape (max-broadcast of the
// input's and the requested shape), so here the input aligns to the output's
// trailing dims and each of its dims equals the output's or is 1.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

mote_status mote_op_broadcast_to_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_same_dtype(node, x, y));
  const int32_t r = y->rank, lead = y->rank - x->rank;
  bool fits = lead >= 0;
  for (int32_t d = 0; fits && d < x->rank; d++) fits = x->dims[d] == 1 || x->dims[d] == y->dims[lead + d];
  if (!fits) {
    char sx[MOTE_SHAPE_STR_LEN], sy[MOTE_SHAPE_STR_LEN];
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input %s does not broadcast to output %s",
                           mote_shape_str(sx, x->rank, x->dims), mote_shape_str(sy, y->rank, y->dims));
  }

  mote_strided_copy_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  int64_t strides[MOTE_MAX_RANK];
  mote_op_strides_of(x, strides);
  p->rank = r;
  p->elem_size = mote_dtype_size(x->dtype);
  for (int32_t d = 0; d < r; d++) {
    const int32_t xd = d - lead;
    p->dims[d] = (size_t)y->dims[d];
    p->strides[d] = xd < 0 || x->dims[xd] == 1 ? 0 : strides[xd];
  }
  mote_strided_copy_simplify(p);
  return MOTE_OK;
}

mote_status mote_op_broadcast_to_eval(mote_context* ctx, mote_node* node) {
  const mote_strided_copy_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_op_strided_copy(ctx, p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}
