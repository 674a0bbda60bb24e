// FULLY_CONNECTED with int8 weights and float input/output (dynamic range,
// docs/quantization-format.md): each input row is quantized at run time into
// scratch, then int32 dot products are scaled back by s_x * s_w[j].
#include "ops/fully_connected_hybrid.h"

#include "configs/kernels.h"
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
    sums[j] = (int32_t)s;  // |s| <= 128 k: fits (k is checked below)
  }
  // 255 * 128 * k must fit the int32 accumulators
  if (k > 65536)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED,
                           "%zu input features with int8 weights: int32 accumulators could overflow (at most 65536)", k);
  st->p = (mote_fc_hybrid_params){.m = m, .k = k, .n = n, .w_scales = scales, .w_row_sums = sums};
  mote_op_activation_range(act, &st->p.act_min, &st->p.act_max);
  // scratch: a scale and a zero point per row, then the quantized rows
  node->scratch_size = m * k + m * (sizeof(float) + sizeof(int32_t)) + 16;
  return MOTE_OK;
}

typedef struct {
  const mote_fc_hybrid_params* p;
  const float* x;
  uint8_t* xq;
  float* x_scale;
  int32_t* x_zp;
  const int8_t* w;
  const float* bias;
  float* y;
} hybrid_job;

static void quantize_rows(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  for (size_t r = begin; r < end; r++)
    mote_ref_quantize_row_u8(j->x + r * j->p->k, j->p->k, j->xq + r * j->p->k, &j->x_scale[r], &j->x_zp[r]);
}

// rows [m0, m1) x columns [n0, n1): four columns at a time on the dot4 microkernel
static void block(const hybrid_job* j, size_t m0, size_t m1, size_t n0, size_t n1) {
  const mote_fc_hybrid_params* p = j->p;
  const mote_qu8s8_dot4_ukernel_fn dot4 = mote_kernels_get()->qu8s8_dot4;
  for (size_t r = m0; r < m1; r++) {
    const uint8_t* xr = j->xq + r * p->k;
    float* yr = j->y + r * p->n;
    for (size_t c = n0; c < n1; c += 4) {
      int32_t acc[4];
      if (c + 4 <= n1) {
        dot4(p->k, xr, j->w + c * p->k, p->k, acc);
      } else {
        for (size_t t = 0; t < 4 && c + t < n1; t++) {
          int32_t a = 0;
          for (size_t i = 0; i < p->k; i++) a += (int32_t)xr[i] * (int32_t)j->w[(c + t) * p->k + i];
          acc[t] = a;
        }
      }
      for (size_t t = 0; t < 4 && c + t < n1; t++) {
        const size_t col = c + t;
        const int64_t exact = (int64_t)acc[t] - (int64_t)j->x_zp[r] * p->w_row_sums[col];
        float v = (float)exact * (j->x_scale[r] * p->w_scales[col]) + (j->bias ? j->bias[col] : 0.0f);
        v = v < p->act_min ? p->act_min : v;
        yr[col] = v > p->act_max ? p->act_max : v;
      }
    }
  }
}

static void rows(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  block(j, begin, end, 0, j->p->n);
}

// column ranges in multiples of 4 (one task per range)
static void cols(void* arg, size_t begin, size_t end) {
  const hybrid_job* j = arg;
  const size_t n1 = end * 4 < j->p->n ? end * 4 : j->p->n;
  block(j, 0, j->p->m, begin * 4, n1);
}

mote_status mote_fc_hybrid_eval(mote_context* ctx, mote_node* node) {
  const hybrid_state* st = node->user_data;
  if (!st) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_fc_hybrid_params* p = &st->p;
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  // scratch layout: per-row scales and zero points first (4-byte aligned), then the int8 rows
  float* x_scale = ctx->scratch;
  int32_t* x_zp = (int32_t*)(x_scale + p->m);
  hybrid_job job = {p,      mote_node_input(ctx, node, 0)->data, (uint8_t*)(x_zp + p->m), x_scale, x_zp,
                    mote_node_input(ctx, node, 1)->data, bias ? bias->data : NULL, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, quantize_rows, &job, p->m, p->k);
  if (p->m >= (size_t)ctx->num_threads) mote_op_parallel(ctx, rows, &job, p->m, p->n * p->k);
  else mote_op_parallel(ctx, cols, &job, (p->n + 3) / 4, 4 * p->m * p->k);
  return MOTE_OK;
}
