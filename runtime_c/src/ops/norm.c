// INSTANCE_NORM (channel-last, over every axis but the first and the last) and
// LAYER_NORM (over axes [axis, rank)): float32, split over (batch, channel)
// pairs and over rows.
#include <math.h>

#include "core/ops.h"
#include "ops/op_common.h"
#include "ref/ref_nn.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_NORM, .u.norm = {.axis = -1, .epsilon = 1e-5f}};

static mote_status check_epsilon(const mote_node* node, float eps) {
  if (!(isfinite(eps) && eps >= 0.0f))
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "epsilon %g (must be finite and >= 0)", (double)eps);
  return MOTE_OK;
}

mote_status mote_op_instance_norm_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *scale, *bias, *y;
  MOTE_TRY(mote_op_check_counts(node, 3, 3, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_NORM, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &scale));
  MOTE_TRY(mote_op_input(ctx, node, 2, &bias));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, scale, MOTE_FLOAT32, "scale"));
  MOTE_TRY(mote_op_check_dtype(node, bias, MOTE_FLOAT32, "bias"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(check_epsilon(node, opts->u.norm.epsilon));
  if (x->rank < 3)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input has rank %d (at least 3: batch, spatial, channel)",
                           x->rank);
  const int32_t c = x->dims[x->rank - 1];
  MOTE_TRY(mote_op_check_shape(node, scale, 1, &c, "scale"));
  MOTE_TRY(mote_op_check_shape(node, bias, 1, &c, "bias"));
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, x->dims, "output"));
  mote_instance_norm_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  size_t spatial = 1;
  for (int32_t d = 1; d < x->rank - 1; d++) spatial *= (size_t)x->dims[d];
  *p = (mote_instance_norm_params){.n = (size_t)x->dims[0], .spatial = spatial, .c = (size_t)c,
                                   .epsilon = opts->u.norm.epsilon};
  return MOTE_OK;
}

mote_status mote_op_layer_norm_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *scale, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 3, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_NORM, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &scale));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  mote_tensor* bias = mote_node_input(ctx, node, 2);
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, scale, MOTE_FLOAT32, "scale"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(check_epsilon(node, opts->u.norm.epsilon));
  const int32_t rank = x->rank, axis_opt = opts->u.norm.axis;
  if (rank < 1 || axis_opt < -rank || axis_opt >= rank)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", axis_opt, rank);
  const int32_t axis = axis_opt < 0 ? axis_opt + rank : axis_opt;
  // scale and bias have exactly the normalised dims (the converter expands broadcast forms)
  MOTE_TRY(mote_op_check_shape(node, scale, rank - axis, x->dims + axis, "scale"));
  if (bias) {
    MOTE_TRY(mote_op_check_dtype(node, bias, MOTE_FLOAT32, "bias"));
    MOTE_TRY(mote_op_check_shape(node, bias, rank - axis, x->dims + axis, "bias"));
  }
  MOTE_TRY(mote_op_check_shape(node, y, rank, x->dims, "output"));
  mote_layer_norm_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  size_t outer = 1, inner = 1;
  for (int32_t d = 0; d < rank; d++) *(d < axis ? &outer : &inner) *= (size_t)x->dims[d];
  *p = (mote_layer_norm_params){.outer = outer, .inner = inner, .epsilon = opts->u.norm.epsilon};
  return MOTE_OK;
}

typedef struct {
  const void* p;
  const float *x, *scale, *bias;
  float* y;
} norm_job;

static void instance_items(void* arg, size_t begin, size_t end) {
  const norm_job* j = arg;
  mote_ref_instance_norm_f32(j->p, j->x, j->scale, j->bias, j->y, begin, end);
}

static void layer_rows(void* arg, size_t begin, size_t end) {
  const norm_job* j = arg;
  mote_ref_layer_norm_f32(j->p, j->x, j->scale, j->bias, j->y, begin, end);
}

static norm_job make_job(mote_context* ctx, const mote_node* node) {
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  return (norm_job){node->user_data, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                    bias ? bias->data : NULL, mote_node_output(ctx, node, 0)->data};
}

mote_status mote_op_instance_norm_eval(mote_context* ctx, mote_node* node) {
  const mote_instance_norm_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  norm_job job = make_job(ctx, node);
  mote_op_parallel(ctx, instance_items, &job, p->n * p->c, 3 * p->spatial);
  return MOTE_OK;
}

mote_status mote_op_layer_norm_eval(mote_context* ctx, mote_node* node) {
  const mote_layer_norm_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  norm_job job = make_job(ctx, node);
  mote_op_parallel(ctx, layer_rows, &job, p->outer, 3 * p->inner);
  return MOTE_OK;
}
