// FULLY_CONNECTED: x [..., in] · w[out, in]ᵀ + bias -> [..., out], float32.
#include "configs/kernels.h"
#include "core/fp16.h"
#include "core/ops.h"
#include "ops/fully_connected_hybrid.h"
#include "ops/gemm_conv.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"

// node state: params, then for constant weights the GEMM plan and the packed weights
typedef struct {
  mote_fully_connected_params p;
  mote_gemm_plan plan;
  bool gemm, f16;
} fc_state;

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_FULLY_CONNECTED};

mote_status mote_op_fully_connected_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_fully_connected_q8_prepare(ctx, node);
  const mote_op_options* opts;
  mote_tensor *x, *w, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 3, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_FULLY_CONNECTED, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &w));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  mote_tensor* bias = mote_node_input(ctx, node, 2);
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  // weights: float32; float16 constants (widened at prepare); int8 constants (dynamic range)
  if (w->dtype != MOTE_INT8 && w->dtype != MOTE_FLOAT16) MOTE_TRY(mote_op_check_dtype(node, w, MOTE_FLOAT32, "weights"));
  if (w->dtype == MOTE_FLOAT16 && !w->is_constant)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "float16 weights must be constant");
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_rank(node, w, 2, "weights"));
  MOTE_TRY(mote_op_check_activation(node, opts->u.fully_connected.activation, y->dtype));
  if (x->rank < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input must have rank >= 1");
  const int32_t in = x->dims[x->rank - 1], out = w->dims[0];
  if (w->dims[1] != in)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "weights [%d,%d] do not take %d input features",
                           w->dims[0], w->dims[1], in);
  if (bias) {
    MOTE_TRY(mote_op_check_dtype(node, bias, MOTE_FLOAT32, "bias"));
    MOTE_TRY(mote_op_check_shape(node, bias, 1, &out, "bias"));
  }
  int32_t dims[MOTE_MAX_RANK];
  size_t m = 1;
  for (int32_t d = 0; d < x->rank - 1; d++) {
    dims[d] = x->dims[d];
    m *= (size_t)x->dims[d];
  }
  dims[x->rank - 1] = out;
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, dims, "output"));

  if (w->dtype == MOTE_INT8)
    return mote_fc_hybrid_prepare(ctx, node, w, m, (size_t)in, (size_t)out, opts->u.fully_connected.activation);
  const bool f16 = w->dtype == MOTE_FLOAT16;
  const bool gemm = (w->is_constant && (!bias || bias->is_constant)) || f16;
  const mote_f32_gemm_config* gc = &mote_kernels_get()->f32_gemm;
  const size_t packed = gemm ? mote_gemm_packed_floats(gc, 1, (size_t)out, (size_t)in) : 0;
  const size_t widened = f16 ? w->num_elements : 0;
  if (packed > (SIZE_MAX - sizeof(fc_state)) / sizeof(float) - widened)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "weights too large");
  fc_state* st;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *st + (packed + widened) * sizeof(float), (void**)&st));
  const float* wf = w->data;
  if (f16) {
    float* buf = (float*)(st + 1) + packed;
    mote_f16_to_f32_array(w->data, buf, widened);
    wf = buf;
  }
  mote_fully_connected_params* p = &st->p;
  p->m = m;
  p->k = (size_t)in;
  p->n = (size_t)out;
  mote_op_activation_range(opts->u.fully_connected.activation, &p->act_min, &p->act_max);
  st->gemm = gemm && m > 0 && in > 0 && out > 0;
  st->f16 = f16;
  if (st->gemm) {
    st->plan.gemm = *gc;
    st->plan.packed = (float*)(st + 1);
    mote_gemm_fc_plan(p->m, p->k, p->n, wf, bias ? bias->data : NULL, p->act_min, p->act_max, &st->plan);
  }
  return MOTE_OK;
}

typedef struct {
  const mote_kernel_config* k;
  const mote_fully_connected_params* p;
  const float *x, *w, *bias;
  float* y;
} fc_job;

static void fc_rows(void* arg, size_t begin, size_t end) {
  const fc_job* j = arg;
  j->k->fully_connected_f32(j->p, j->x, j->w, j->bias, j->y, begin, end, 0, j->p->n);
}

static void fc_cols(void* arg, size_t begin, size_t end) {
  const fc_job* j = arg;
  j->k->fully_connected_f32(j->p, j->x, j->w, j->bias, j->y, 0, j->p->m, begin, end);
}

mote_status mote_op_fully_connected_eval(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_fully_connected_q8_eval(ctx, node);
  if (mote_node_input(ctx, node, 1)->dtype == MOTE_INT8) return mote_fc_hybrid_eval(ctx, node);
  const fc_state* st = node->user_data;
  if (!st) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_fully_connected_params* p = &st->p;
  if (st->gemm || st->f16) {
    if (!st->gemm) return MOTE_OK;  // float16 weights but nothing to compute (an empty dim)
    mote_gemm_fc_run(ctx, &st->plan, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
    return MOTE_OK;
  }
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  fc_job job = {
      .k = mote_kernels_get(),
      .p = p,
      .x = mote_node_input(ctx, node, 0)->data,
      .w = mote_node_input(ctx, node, 1)->data,
      .bias = bias ? bias->data : NULL,
      .y = mote_node_output(ctx, node, 0)->data,
  };
  // few rows (batch 1): split the output features instead
  if (p->m >= (size_t)ctx->num_threads) mote_op_parallel(ctx, fc_rows, &job, p->m, p->n * p->k);
  else mote_op_parallel(ctx, fc_cols, &job, p->n, p->m * p->k);
  return MOTE_OK;
}
