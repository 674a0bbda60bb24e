// SPLIT along one axis (negative allowed) into one output per size; sizes are
// >= 0 and sum to the axis length; any dtype. Each output is a strided copy.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

mote_status mote_op_split_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor* x;
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_SPLIT, NULL, &opts));
  const mote_split_options* o = &opts->u.split;
  if (o->num_sizes < 1 || o->num_sizes > MOTE_MAX_SPLITS)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d split sizes (1 to %d)", o->num_sizes,
                           MOTE_MAX_SPLITS);
  MOTE_TRY(mote_op_check_counts(node, 1, 1, o->num_sizes));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  const int32_t r = x->rank;
  if (o->axis < -r || o->axis >= r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", o->axis, r);
  const int32_t axis = o->axis < 0 ? o->axis + r : o->axis;
  int64_t total = 0;
  for (int32_t i = 0; i < o->num_sizes; i++) {
    if (o->sizes[i] < 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "split size %d is %d", i, o->sizes[i]);
    total += o->sizes[i];
  }
  if (total != x->dims[axis])
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "split sizes sum to %lld, axis %d has %d",
                           (long long)total, axis, x->dims[axis]);

  mote_strided_copy_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, (size_t)o->num_sizes * sizeof *p, (void**)&p));
  int64_t strides[MOTE_MAX_RANK];
  mote_op_strides_of(x, strides);
  int64_t start = 0;
  for (int32_t i = 0; i < o->num_sizes; i++) {
    mote_tensor* y;
    MOTE_TRY(mote_op_output(ctx, node, i, &y));
    MOTE_TRY(mote_op_check_same_dtype(node, x, y));
    int32_t dims[MOTE_MAX_RANK];
    for (int32_t d = 0; d < r; d++) dims[d] = d == axis ? o->sizes[i] : x->dims[d];
    MOTE_TRY(mote_op_check_shape(node, y, r, dims, "output"));
    mote_strided_copy_params* q = &p[i];
    q->rank = r;
    q->elem_size = mote_dtype_size(x->dtype);
    for (int32_t d = 0; d < r; d++) {
      q->dims[d] = (size_t)dims[d];
      q->strides[d] = strides[d];
    }
    q->offset = start * strides[axis];
    mote_strided_copy_simplify(q);
    start += o->sizes[i];
  }
  return MOTE_OK;
}

mote_status mote_op_split_eval(mote_context* ctx, mote_node* node) {
  const mote_strided_copy_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  for (int32_t i = 0; i < node->num_outputs; i++)
    mote_op_strided_copy(ctx, &p[i], x->data, mote_node_output(ctx, node, i)->data);
  return MOTE_OK;
}
