// SOFTMAX along one axis: exp(beta·(x − max)) / Σ, float32.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"
#include "ops/op_params.h"
#include "ref/ref.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_SOFTMAX, .u.softmax = {.axis = -1, .beta = 1.0f}};

mote_status mote_op_softmax_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_softmax_q8_prepare(ctx, node);
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_SOFTMAX, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, x->dims, "output"));
  if (x->rank < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input must have rank >= 1");
  int32_t axis = opts->u.softmax.axis;
  if (axis < -x->rank || axis >= x->rank)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", axis, x->rank);
  if (axis < 0) axis += x->rank;

  mote_softmax_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->outer = p->inner = 1;
  for (int32_t d = 0; d < axis; d++) p->outer *= (size_t)x->dims[d];
  for (int32_t d = axis + 1; d < x->rank; d++) p->inner *= (size_t)x->dims[d];
  p->axis = (size_t)x->dims[axis];
  p->beta = opts->u.softmax.beta;
  return MOTE_OK;
}

mote_status mote_op_softmax_eval(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_softmax_q8_eval(ctx, node);
  const mote_softmax_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_ref_softmax_f32(p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}

// the node state is the params (see mote_op_softmax_prepare)
const mote_softmax_params* mote_op_softmax_params(const mote_node* node) { return node->user_data; }
