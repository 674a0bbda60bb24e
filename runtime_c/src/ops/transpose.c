// TRANSPOSE: out.dims[i] = x.dims[perm[i]]; any dtype of 1, 2, 4 or 8 bytes.
#include <string.h>

#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/op_params.h"
#include "ref/ref.h"

mote_status mote_op_transpose_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_TRANSPOSE, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  const size_t es = mote_dtype_size(x->dtype);
  if (es != 1 && es != 2 && es != 4 && es != 8)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unsupported dtype %d", (int)x->dtype);
  if (y->dtype != x->dtype)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output dtype %d differs from input dtype %d",
                           (int)y->dtype, (int)x->dtype);
  const mote_transpose_options* o = &opts->u.transpose;
  const int32_t r = x->rank;
  char sp[MOTE_SHAPE_STR_LEN];
  if (o->rank != r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "perm has %d entries for rank %d", o->rank, r);
  bool seen[MOTE_MAX_RANK] = {false};
  for (int32_t i = 0; i < r; i++) {
    const int32_t a = o->perm[i];
    if (a < 0 || a >= r || seen[a])
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "perm %s is not a permutation of 0..%d",
                             mote_shape_str(sp, r, o->perm), r - 1);
    seen[a] = true;
  }
  int32_t dims[MOTE_MAX_RANK];
  for (int32_t i = 0; i < r; i++) dims[i] = x->dims[o->perm[i]];
  MOTE_TRY(mote_op_check_shape(node, y, r, dims, "output"));

  mote_transpose_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  size_t in_strides[MOTE_MAX_RANK], s = 1;
  for (int32_t d = r - 1; d >= 0; d--) {
    in_strides[d] = s;
    s *= (size_t)x->dims[d];
  }
  p->elem_size = es;
  // drop size-1 dims and merge output dims that read the input contiguously
  int32_t n = 0;
  for (int32_t i = 0; i < r; i++) {
    const size_t dim = (size_t)dims[i], st = in_strides[o->perm[i]];
    if (dim == 1) continue;
    if (n > 0 && p->in_strides[n - 1] == st * dim) {
      p->out_dims[n - 1] *= dim;
      p->in_strides[n - 1] = st;
    } else {
      p->out_dims[n] = dim;
      p->in_strides[n] = st;
      n++;
    }
  }
  if (n == 0) {
    p->out_dims[0] = 1;
    p->in_strides[0] = 1;
    n = 1;
  }
  p->rank = n;
  return MOTE_OK;
}

mote_status mote_op_transpose_eval(mote_context* ctx, mote_node* node) {
  const mote_transpose_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  mote_tensor* y = mote_node_output(ctx, node, 0);
  if (p->rank == 1 && p->in_strides[0] == 1) memcpy(y->data, x->data, x->bytes);  // order unchanged
  else mote_ref_transpose(p, x->data, y->data);
  return MOTE_OK;
}

// the node state is the params (see mote_op_transpose_prepare)
const mote_transpose_params* mote_op_transpose_params(const mote_node* node) { return node->user_data; }
