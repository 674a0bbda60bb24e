// FULLY_CONNECTED with int8 weights and float input/output (dynamic range,
// docs/quantization-format.md): each input row is quantized at run time into
// scratch, then int32 dot products are scaled back by s_x * s_w[j].
#include "ops/fully_connected_hybrid.h"

#include "core/ops.h"
#include "ops/op_common.h"

typedef struct {
  mote_fc_hybrid_params p;
  // then: w_scales [n] floats, w_row_sums [n] int32
} hybrid_state;

mote_status mote_fc_hybrid_prepare(mote_context* ctx, mote_node* node, const mote_tensor* w, size_t m, size_t k,
                                   size_t n, mote_activation act) {
  (void)ctx;
  if (!w->is_constant) return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "int8 weights must be constant");
  const int32_t q = w->quant_count;
  if (q != 1 && !(q == (int32_t)n && w->quant_axis == 0))
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                           "int8 weights need one scale or one per output feature on axis 0 (have %d on axis %d)", q,
                           w->quant_axis);
  for (int32_t i = 0; i < q; i++) {
    if (w->quant_zero_points[i] != 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "int8 weights must be symmetric (zero point %lld)",
                             (long long)w->quant_zero_points[i]);
    if (!(w->quant_scales[i] > 0.0f) || !isfinite(w->quant_scales[i]))
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "weight scale %g (must be finite and > 0)",
                             (double)w->quant_scales[i]);
  }
  if (n > (SIZE_MAX - sizeof(hybrid_state)) / (sizeof(float) + sizeof(int32_t)))
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "too many output features");
  hybrid_state* st;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *st + n * (sizeof(float) + sizeof(int32_t)), (void**)&st));
  float* scales = (float*)(st + 1);
  int32_t* sums = (int32_t*)(scales + n);
  const int8_t* wd = w->data;
  for (size_t j = 0; j < n; j++) {
    scales[j] = w->quant_scales[q == 1 ? 0 : j];
    int64_t s = 0;
    for (size_t i = 0; i < k; i++) s += wd[j * k + i];
    sums[j] = (int32_t)s;  // |s| <= 128 k < 2^31 for k < 2^24 (checked below)
  }
  if (k >= ((size_t)1 << 24))
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "%zu input features: int32 accumulators could overflow", k);
  st->p = (mote_fc_hybrid_params){.m = m, .k = k, .n = n, .w_scales = scales, .w_row_sums = sums};
  mote_op_activation_range(act, &st->p.act_min, &st->p.act_max);
  // scratch: a scale and a zero point per row, then the quantized rows
  node->scratch_size = m * k + m * (sizeof(float) + sizeof(int32_t)) + 16;
  return MOTE_OK;
}

typedef struct {
  const mote_fc_hybrid_params* p;
  const float* x;
  int8_t* xq;
  float* x_scale;
  int32_t* x_zp;
  const int8_t* w;
  const float* bias;
  float* y;
} hybrid_job;

static void quantize_rows(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  for (size_t r = begin; r < end; r++)
    mote_ref_quantize_row_i8(j->x + r * j->p->k, j->p->k, j->xq + r * j->p->k, &j->x_scale[r], &j->x_zp[r]);
}

static void rows(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  mote_ref_fc_hybrid_f32(j->p, j->xq, j->x_scale, j->x_zp, j->w, j->bias, j->y, begin, end, 0, j->p->n);
}

static void cols(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  mote_ref_fc_hybrid_f32(j->p, j->xq, j->x_scale, j->x_zp, j->w, j->bias, j->y, 0, j->p->m, begin, end);
}

mote_status mote_fc_hybrid_eval(mote_context* ctx, mote_node* node) {
  const hybrid_state* st = node->user_data;
  if (!st) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_fc_hybrid_params* p = &st->p;
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  // scratch layout: per-row scales and zero points first (4-byte aligned), then the int8 rows
  float* x_scale = ctx->scratch;
  int32_t* x_zp = (int32_t*)(x_scale + p->m);
  hybrid_job job = {p,      mote_node_input(ctx, node, 0)->data, (int8_t*)(x_zp + p->m), x_scale, x_zp,
                    mote_node_input(ctx, node, 1)->data, bias ? bias->data : NULL, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, quantize_rows, &job, p->m, p->k);
  if (p->m >= (size_t)ctx->num_threads) mote_op_parallel(ctx, rows, &job, p->m, p->n * p->k);
  else mote_op_parallel(ctx, cols, &job, p->n, p->m * p->k);
  return MOTE_OK;
}
