// Reference unary math kernels (float32; ABS and NEG also int32 / int64).
#include <math.h>

#include "ref/ref_common.h"
#include "ref/ref_elementwise2.h"

// 1 / (1 + e^-x) without overflow: for x < 0, e^x / (1 + e^x) keeps tiny values
// (swish(-100) is -3.7e-42 as x * sigmoid(x) in onnx runtime, not -0)
static inline float sigmoidf(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
  const float e = expf(x);
  return e / (1.0f + e);
}

// log(1 + e^x) without overflow: for x > 0, x + log(1 + e^-x)
static inline float softplusf(float x) { return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x)); }

void mote_ref_unary2_f32(const mote_unary2_params* p, const float* x, float* y, size_t n) {
  switch (p->kind) {
    case MOTE_UNARY2_EXP:
      for (size_t i = 0; i < n; i++) y[i] = expf(x[i]);
      break;
    case MOTE_UNARY2_LOG:
      for (size_t i = 0; i < n; i++) y[i] = logf(x[i]);
      break;
    case MOTE_UNARY2_SQRT:
      for (size_t i = 0; i < n; i++) y[i] = sqrtf(x[i]);
      break;
    case MOTE_UNARY2_RSQRT:
      for (size_t i = 0; i < n; i++) y[i] = 1.0f / sqrtf(x[i]);
      break;
    case MOTE_UNARY2_ABS:
      for (size_t i = 0; i < n; i++) y[i] = fabsf(x[i]);
      break;
    case MOTE_UNARY2_NEG:
      for (size_t i = 0; i < n; i++) y[i] = -x[i];
      break;
    case MOTE_UNARY2_RECIPROCAL:
      for (size_t i = 0; i < n; i++) y[i] = 1.0f / x[i];
      break;
    case MOTE_UNARY2_FLOOR:
      for (size_t i = 0; i < n; i++) y[i] = floorf(x[i]);
      break;
    case MOTE_UNARY2_CEIL:
      for (size_t i = 0; i < n; i++) y[i] = ceilf(x[i]);
      break;
    case MOTE_UNARY2_ROUND:
      // the default rounding mode (to nearest, ties to even) is the one onnx asks for
      for (size_t i = 0; i < n; i++) y[i] = nearbyintf(x[i]);
      break;
    case MOTE_UNARY2_ERF:
      for (size_t i = 0; i < n; i++) y[i] = erff(x[i]);
      break;
    case MOTE_UNARY2_SOFTPLUS:
      for (size_t i = 0; i < n; i++) y[i] = softplusf(x[i]);
      break;
    case MOTE_UNARY2_SWISH:
      for (size_t i = 0; i < n; i++) y[i] = x[i] * sigmoidf(x[i]);
      break;
    case MOTE_UNARY2_MISH:
      for (size_t i = 0; i < n; i++) y[i] = x[i] * tanhf(softplusf(x[i]));
      break;
    case MOTE_UNARY2_HARD_SIGMOID:
      for (size_t i = 0; i < n; i++) y[i] = mote_clampf(p->alpha * x[i] + p->beta, 0.0f, 1.0f);
      break;
    case MOTE_UNARY2_SIN:
      for (size_t i = 0; i < n; i++) y[i] = sinf(x[i]);
      break;
    case MOTE_UNARY2_COS:
      for (size_t i = 0; i < n; i++) y[i] = cosf(x[i]);
      break;
  }
}

// negation in unsigned arithmetic: INT_MIN maps to itself instead of overflowing
void mote_ref_unary2_i32(mote_unary2_kind kind, const int32_t* x, int32_t* y, size_t n) {
  if (kind == MOTE_UNARY2_ABS) {
    for (size_t i = 0; i < n; i++) y[i] = x[i] < 0 ? (int32_t)(0u - (uint32_t)x[i]) : x[i];
  } else if (kind == MOTE_UNARY2_NEG) {
    for (size_t i = 0; i < n; i++) y[i] = (int32_t)(0u - (uint32_t)x[i]);
  }
}

void mote_ref_unary2_i64(mote_unary2_kind kind, const int64_t* x, int64_t* y, size_t n) {
  if (kind == MOTE_UNARY2_ABS) {
    for (size_t i = 0; i < n; i++) y[i] = x[i] < 0 ? (int64_t)(0u - (uint64_t)x[i]) : x[i];
  } else if (kind == MOTE_UNARY2_NEG) {
    for (size_t i = 0; i < n; i++) y[i] = (int64_t)(0u - (uint64_t)x[i]);
  }
}
