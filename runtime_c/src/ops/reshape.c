// RESHAPE: same elements, the output tensor's shape; any dtype.
#include <string.h>

#include "core/ops.h"
#include "ops/op_common.h"

mote_status mote_op_reshape_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  if (y->dtype != x->dtype)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output dtype %d differs from input dtype %d",
                           (int)y->dtype, (int)x->dtype);
  if (y->num_elements != x->num_elements || y->bytes != x->bytes) {
    char sx[MOTE_SHAPE_STR_LEN], sy[MOTE_SHAPE_STR_LEN];
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "cannot reshape %s (%zu elements) to %s (%zu)",
                           mote_shape_str(sx, x->rank, x->dims), x->num_elements,
                           mote_shape_str(sy, y->rank, y->dims), y->num_elements);
  }
  // new_shape is informative: empty means absent (the loader's default); else it must be the output shape
  const mote_op_options* o = node->options;
  if (o && o->type != MOTE_OPTIONS_NONE) {
    MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_RESHAPE, NULL, &o));
    const mote_reshape_options* r = &o->u.reshape;
    if (r->rank < 0 || r->rank > MOTE_MAX_RANK)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape has %d dims", r->rank);
    bool same = r->rank == 0 || r->rank == y->rank;
    for (int32_t d = 0; same && d < r->rank; d++) same = r->new_shape[d] == y->dims[d];
    if (!same) {
      char sn[MOTE_SHAPE_STR_LEN], sy[MOTE_SHAPE_STR_LEN];
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape %s differs from the output shape %s",
                             mote_shape_str(sn, r->rank, r->new_shape), mote_shape_str(sy, y->rank, y->dims));
    }
  }
  return MOTE_OK;
}

mote_status mote_op_reshape_eval(mote_context* ctx, mote_node* node) {
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  mote_tensor* y = mote_node_output(ctx, node, 0);
  // the memory planner may place the output on the input: nothing to move then
  if (y->data != x->data) memmove(y->data, x->data, x->bytes);
  return MOTE_OK;
}
