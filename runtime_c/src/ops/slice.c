// SLICE: one (start, end, step) per input dim; output dim i has
// max(0, ceil((end - start) / step)) elements, element j read from
// start + j * step (steps non-zero, negative walks backwards). The converter
// resolves ONNX's negative and clamped indices; prepare proves that the first
// and last index read along every non-empty dim lie inside the input.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

// ceil((end - start) / step) for step != 0, at least 0, in int64 (no overflow from int32 operands)
static int64_t slice_len(int64_t start, int64_t end, int64_t step) {
  const int64_t span = end - start;
  if (step > 0) return span <= 0 ? 0 : (span + step - 1) / step;
  return span >= 0 ? 0 : (-span + (-step) - 1) / (-step);
}

mote_status mote_op_slice_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_SLICE, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_same_dtype(node, x, y));
  const mote_slice_options* o = &opts->u.slice;
  const int32_t r = x->rank;
  if (o->rank != r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d slice entries for rank %d", o->rank, r);
  int32_t dims[MOTE_MAX_RANK];
  for (int32_t d = 0; d < r; d++) {
    const int64_t start = o->starts[d], end = o->ends[d], step = o->steps[d];
    if (step == 0) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "step 0 on axis %d", d);
    const int64_t len = slice_len(start, end, step);
    if (len > 0) {
      const int64_t last = start + (len - 1) * step;
      if (start < 0 || start >= x->dims[d] || last < 0 || last >= x->dims[d])
        return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                               "slice %lld:%lld:%lld on axis %d reads indices %lld..%lld outside [0, %d)",
                               (long long)start, (long long)end, (long long)step, d, (long long)start,
                               (long long)last, x->dims[d]);
    }
    dims[d] = (int32_t)len;  // len <= dims[d] since its first and last index are inside
  }
  MOTE_TRY(mote_op_check_shape(node, y, r, dims, "output"));

  mote_strided_copy_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  int64_t strides[MOTE_MAX_RANK];
  mote_op_strides_of(x, strides);
  p->rank = r;
  p->elem_size = mote_dtype_size(x->dtype);
  p->offset = 0;
  bool empty = false;
  for (int32_t d = 0; d < r; d++) empty |= dims[d] == 0;
  for (int32_t d = 0; d < r; d++) {
    p->dims[d] = (size_t)dims[d];
    // a dim of one element never steps (its step may be huge: no overflow)
    p->strides[d] = dims[d] > 1 ? o->steps[d] * strides[d] : 0;
    if (!empty) p->offset += o->starts[d] * strides[d];
  }
  mote_strided_copy_simplify(p);
  return MOTE_OK;
}

mote_status mote_op_slice_eval(mote_context* ctx, mote_node* node) {
  const mote_strided_copy_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_op_strided_copy(ctx, p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}
