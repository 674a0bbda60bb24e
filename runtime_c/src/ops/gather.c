// GATHER along `axis` (numpy.take): inputs [data (any dtype), indices INT32/INT64,
// any rank incl. scalar]; output shape data[:axis] + indices + data[axis+1:].
// Negative indices count from the end. Indices may be computed at run time, so
// eval checks every index before reading: one out of range fails the invoke
// with MOTE_ERROR_RUNTIME (a constant one already fails prepare).
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

typedef struct {
  const mote_gather_params* p;
  const void *x, *indices;
  void* y;
} gather_job;

static void gather_rows(void* arg, size_t begin, size_t end) {
  const gather_job* j = arg;
  mote_ref_gather(j->p, j->x, j->indices, j->y, begin, end);
}

static mote_status bad_index(const mote_node* node, const mote_gather_params* p, const void* indices, size_t i,
                             mote_status status) {
  return mote_node_error(node, status, "index %lld (position %zu) out of range for axis of size %zu",
                         (long long)mote_ref_gather_index(p, indices, i), i, p->axis_len);
}

mote_status mote_op_gather_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *ind, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 2, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_GATHER, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &ind));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_same_dtype(node, x, y));
  if (ind->dtype != MOTE_INT32 && ind->dtype != MOTE_INT64)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "indices dtype %d (need int32 or int64)",
                           (int)ind->dtype);
  const int32_t r = x->rank, axis_opt = opts->u.gather.axis;
  if (axis_opt < -r || axis_opt >= r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", axis_opt, r);
  const int32_t axis = axis_opt < 0 ? axis_opt + r : axis_opt;
  const int32_t out_rank = r - 1 + ind->rank;
  if (out_rank > MOTE_MAX_RANK)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output rank %d exceeds %d", out_rank, MOTE_MAX_RANK);
  int32_t dims[MOTE_MAX_RANK], n = 0;
  for (int32_t d = 0; d < axis; d++) dims[n++] = x->dims[d];
  for (int32_t d = 0; d < ind->rank; d++) dims[n++] = ind->dims[d];
  for (int32_t d = axis + 1; d < r; d++) dims[n++] = x->dims[d];
  MOTE_TRY(mote_op_check_shape(node, y, out_rank, dims, "output"));

  mote_gather_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->outer = 1;
  p->inner_bytes = mote_dtype_size(x->dtype);
  for (int32_t d = 0; d < axis; d++) p->outer *= (size_t)x->dims[d];
  for (int32_t d = axis + 1; d < r; d++) p->inner_bytes *= (size_t)x->dims[d];
  p->axis_len = (size_t)x->dims[axis];
  p->count = ind->num_elements;
  p->index64 = ind->dtype == MOTE_INT64;
  if (ind->is_constant) {
    const size_t bad = mote_ref_gather_find_bad(p, ind->data);
    if (bad < p->count) return bad_index(node, p, ind->data, bad, MOTE_ERROR_INVALID_MODEL);
  }
  return MOTE_OK;
}

mote_status mote_op_gather_eval(mote_context* ctx, mote_node* node) {
  const mote_gather_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const void* indices = mote_node_input(ctx, node, 1)->data;
  const size_t bad = mote_ref_gather_find_bad(p, indices);
  if (bad < p->count) return bad_index(node, p, indices, bad, MOTE_ERROR_RUNTIME);
  gather_job job = {p, mote_node_input(ctx, node, 0)->data, indices, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, gather_rows, &job, p->outer * p->count, p->inner_bytes / 16 + 1);
  return MOTE_OK;
}
