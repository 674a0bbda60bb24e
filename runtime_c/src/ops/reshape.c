// RESHAPE: same elements, the output tensor's shape (new_shape may copy (0) or infer (-1) dims); any dtype.
#include <stdint.h>
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
  const mote_op_options* o = node->options;
  if (o && o->type != MOTE_OPTIONS_NONE) {
    MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_RESHAPE, NULL, &o));
    const mote_reshape_options* r = &o->u.reshape;
    if (r->rank < 0 || r->rank > MOTE_MAX_RANK)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape has %d dims", r->rank);
    // new_shape (empty: absent) gives the output shape; 0 copies the input's dim at that index
    // and one -1 takes what is left, so a model's batch can change (resize_input)
    if (r->rank > 0) {
      int32_t dims[MOTE_MAX_RANK], infer = -1;
      size_t known = 1;
      for (int32_t d = 0; d < r->rank; d++) {
        int32_t v = r->new_shape[d];
        if (v == 0) {
          if (d >= x->rank)
            return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape[%d] = 0 copies a dim the input lacks", d);
          v = x->dims[d];
        } else if (v == -1) {
          if (infer >= 0) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape has two -1 entries");
          infer = d;
          dims[d] = 1;
          continue;
        } else if (v < 0) {
          return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape[%d] = %d", d, v);
        }
        dims[d] = v;
        if (v > 0 && known > SIZE_MAX / (size_t)v)
          return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "new_shape overflows");
        known *= (size_t)v;
      }
      if (infer >= 0) {
        if (known == 0 || x->num_elements % known != 0 || x->num_elements / known > INT32_MAX) {
          char sx[MOTE_SHAPE_STR_LEN];
          return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "cannot reshape %s (%zu elements): no size fits -1",
                                 mote_shape_str(sx, x->rank, x->dims), x->num_elements);
        }
        dims[infer] = (int32_t)(x->num_elements / known);
        known = x->num_elements;
      }
      if (known != x->num_elements) {
        char sx[MOTE_SHAPE_STR_LEN], sn[MOTE_SHAPE_STR_LEN];
        return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "cannot reshape %s (%zu elements) to %s (%zu)",
                               mote_shape_str(sx, x->rank, x->dims), x->num_elements,
                               mote_shape_str(sn, r->rank, dims), known);
      }
      MOTE_TRY(mote_op_check_shape(node, y, r->rank, dims, "output"));
    }
  }
  if (y->num_elements != x->num_elements || y->bytes != x->bytes) {
    char sx[MOTE_SHAPE_STR_LEN], sy[MOTE_SHAPE_STR_LEN];
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "cannot reshape %s (%zu elements) to %s (%zu)",
                           mote_shape_str(sx, x->rank, x->dims), x->num_elements,
                           mote_shape_str(sy, y->rank, y->dims), y->num_elements);
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
