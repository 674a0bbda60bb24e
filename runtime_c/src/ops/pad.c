// PAD: constant / reflect / edge; any dtype (a non-zero constant only for float32).
#include <string.h>

#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/op_params.h"
#include "ref/ref.h"

mote_status mote_op_pad_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_PAD, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  const mote_pad_options* o = &opts->u.pad;
  const size_t es = mote_dtype_size(x->dtype);
  if (es == 0 || es > 8) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown dtype %d", (int)x->dtype);
  if (y->dtype != x->dtype)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output dtype %d differs from input dtype %d",
                           (int)y->dtype, (int)x->dtype);
  const int32_t r = x->rank;
  if (o->num_pads != 2 * r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d pads for rank %d (need %d)", o->num_pads, r, 2 * r);
  if ((int)o->mode < MOTE_PADMODE_CONSTANT || (int)o->mode > MOTE_PADMODE_EDGE)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown pad mode %d", (int)o->mode);
  if (o->mode == MOTE_PADMODE_CONSTANT && o->value != 0.0f && x->dtype != MOTE_FLOAT32)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "non-zero pad value %g on a non-float32 tensor",
                           (double)o->value);
  int32_t dims[MOTE_MAX_RANK];
  for (int32_t d = 0; d < r; d++) {
    const int32_t before = o->pads[d], after = o->pads[r + d], n = x->dims[d];
    if (before < 0 || after < 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "negative pad (%d, %d) on axis %d", before, after, d);
    if (o->mode == MOTE_PADMODE_REFLECT && (before > n - 1 || after > n - 1))
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                             "reflect pads (%d, %d) on axis %d must be smaller than its size %d", before, after, d, n);
    if (o->mode == MOTE_PADMODE_EDGE && n == 0 && (before > 0 || after > 0))
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "edge padding of the empty axis %d", d);
    const int64_t out = (int64_t)n + before + after;
    if (out > INT32_MAX) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "padded axis %d too large", d);
    dims[d] = (int32_t)out;
  }
  MOTE_TRY(mote_op_check_shape(node, y, r, dims, "output"));

  mote_pad_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->rank = r;
  p->elem_size = es;
  p->mode = (int)o->mode;
  for (int32_t d = 0; d < r; d++) {
    p->in_dims[d] = (size_t)x->dims[d];
    p->out_dims[d] = (size_t)dims[d];
    p->before[d] = (size_t)o->pads[d];
  }
  if (x->dtype == MOTE_FLOAT32) memcpy(p->value, &o->value, sizeof o->value);  // else zero bytes
  // a quantized tensor pads with the real value 0: its zero point (TFLite's int8 PAD)
  if ((x->dtype == MOTE_INT8 || x->dtype == MOTE_UINT8) && y->quant_count == 1 && o->value == 0.0f) {
    const int64_t zp = y->quant_zero_points[0];
    if (zp < (x->dtype == MOTE_INT8 ? -128 : 0) || zp > (x->dtype == MOTE_INT8 ? 127 : 255))
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output zero point %lld out of range", (long long)zp);
    p->value[0] = (uint8_t)(int8_t)zp;
  }
  return MOTE_OK;
}

mote_status mote_op_pad_eval(mote_context* ctx, mote_node* node) {
  const mote_pad_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_ref_pad(p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}

// the node state is the params (see mote_op_pad_prepare)
const mote_pad_params* mote_op_pad_params(const mote_node* node) { return node->user_data; }
