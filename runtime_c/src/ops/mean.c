// MEAN over axes (negative from the end, unique), keep_dims or not, float32.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"
#include "ops/op_params.h"
#include "ref/ref.h"

// the schema's defaults: no axes (all), keep_dims false
static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_REDUCE};

mote_status mote_op_mean_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_mean_q8_prepare(ctx, node);
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_REDUCE, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  bool reduce[MOTE_MAX_RANK];
  MOTE_TRY(mote_op_reduce_axes(node, x, y, &opts->u.reduce, reduce));

  mote_mean_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  // merge neighbouring dims with the same flag: fewer, longer loops
  p->rank = 0;
  for (int32_t d = 0; d < x->rank; d++) {
    if (p->rank > 0 && p->reduce[p->rank - 1] == reduce[d]) {
      p->dims[p->rank - 1] *= (size_t)x->dims[d];
    } else {
      p->dims[p->rank] = (size_t)x->dims[d];
      p->reduce[p->rank] = reduce[d];
      p->rank++;
    }
  }
  // [outer, reduced, inner] (global average pooling over H, W of NHWC among others): a
  // row-sum kernel reading memory in order, double accumulators in scratch
  const bool mid = (p->rank == 1 && p->reduce[0]) || (p->rank == 2 && (p->reduce[0] || p->reduce[1])) ||
                   (p->rank == 3 && !p->reduce[0] && p->reduce[1] && !p->reduce[2]);
  if (mid && p->rank == 3) node->scratch_size = p->dims[2] * sizeof(double);
  else if (mid && p->rank == 2 && p->reduce[0]) node->scratch_size = p->dims[1] * sizeof(double);
  else if (mid) node->scratch_size = sizeof(double);
  return MOTE_OK;
}

// outer/red/inner view of a [keep?, reduce, keep?] merged shape; false for other patterns
static bool mid_view(const mote_mean_params* p, size_t* outer, size_t* red, size_t* inner) {
  if (p->rank == 1 && p->reduce[0]) {
    *outer = 1, *red = p->dims[0], *inner = 1;
  } else if (p->rank == 2 && p->reduce[0]) {
    *outer = 1, *red = p->dims[0], *inner = p->dims[1];
  } else if (p->rank == 2 && p->reduce[1]) {
    *outer = p->dims[0], *red = p->dims[1], *inner = 1;
  } else if (p->rank == 3 && !p->reduce[0] && p->reduce[1] && !p->reduce[2]) {
    *outer = p->dims[0], *red = p->dims[1], *inner = p->dims[2];
  } else {
    return false;
  }
  return true;
}

mote_status mote_op_mean_eval(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_mean_q8_eval(ctx, node);
  const mote_mean_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  size_t outer, red, inner;
  if (mid_view(p, &outer, &red, &inner) && ctx->scratch && ctx->scratch_size >= inner * sizeof(double)) {
    mote_ref_mean_rows_f32(outer, red, inner, mote_node_input(ctx, node, 0)->data,
                           mote_node_output(ctx, node, 0)->data, ctx->scratch);
    return MOTE_OK;
  }
  mote_ref_mean_f32(p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}

// the node state is the params (see mote_op_mean_prepare)
const mote_mean_params* mote_op_mean_params(const mote_node* node) { return node->user_data; }
