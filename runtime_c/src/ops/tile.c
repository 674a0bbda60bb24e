// TILE: output dim d = input dim d * multiples[d] (multiples >= 0), any dtype.
// Output dim d is viewed as [multiples[d], dim d]: a strided copy whose outer
// half has stride 0.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

mote_status mote_op_tile_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_TILE, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_same_dtype(node, x, y));
  const mote_tile_options* o = &opts->u.tile;
  const int32_t r = x->rank;
  if (o->rank != r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d multiples for rank %d", o->rank, r);
  int32_t dims[MOTE_MAX_RANK];
  for (int32_t d = 0; d < r; d++) {
    if (o->multiples[d] < 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "multiple %d on axis %d", o->multiples[d], d);
    const int64_t n = (int64_t)x->dims[d] * o->multiples[d];
    if (n > INT32_MAX) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "tiled axis %d too large", d);
    dims[d] = (int32_t)n;
  }
  MOTE_TRY(mote_op_check_shape(node, y, r, dims, "output"));

  mote_strided_copy_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  int64_t strides[MOTE_MAX_RANK];
  mote_op_strides_of(x, strides);
  p->rank = 2 * r;
  p->elem_size = mote_dtype_size(x->dtype);
  for (int32_t d = 0; d < r; d++) {
    p->dims[2 * d] = (size_t)o->multiples[d];
    p->strides[2 * d] = 0;
    p->dims[2 * d + 1] = (size_t)x->dims[d];
    p->strides[2 * d + 1] = strides[d];
  }
  mote_strided_copy_simplify(p);
  return MOTE_OK;
}

mote_status mote_op_tile_eval(mote_context* ctx, mote_node* node) {
  const mote_strided_copy_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_op_strided_copy(ctx, p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}
