// Reference elementwise kernels, float32: broadcasting binary ops and activations.
#include <math.h>

#include "ref/ref.h"
#include "ref/ref_common.h"

// one row of the innermost dim; the switch sits outside the loops
static void binary_row(mote_binary_kind kind, size_t n, const float* a, size_t sa, const float* b, size_t sb,
                       float* y) {
  switch (kind) {
    case MOTE_BINARY_ADD:
      for (size_t i = 0; i < n; i++) y[i] = a[i * sa] + b[i * sb];
      break;
    case MOTE_BINARY_SUB:
      for (size_t i = 0; i < n; i++) y[i] = a[i * sa] - b[i * sb];
      break;
    case MOTE_BINARY_MUL:
      for (size_t i = 0; i < n; i++) y[i] = a[i * sa] * b[i * sb];
      break;
    case MOTE_BINARY_DIV:
      for (size_t i = 0; i < n; i++) y[i] = a[i * sa] / b[i * sb];
      break;
  }
}

void mote_ref_binary_f32(const mote_binary_params* p, const float* a, const float* b, float* y) {
  const int32_t r = p->rank;
  const size_t inner = p->dims[r - 1];
  size_t rows = 1;
  for (int32_t d = 0; d < r - 1; d++) rows *= p->dims[d];
  if (rows == 0 || inner == 0) return;
  size_t idx[MOTE_MAX_RANK] = {0};
  size_t ao = 0, bo = 0;
  const bool clamp = !(p->act_min == -INFINITY && p->act_max == INFINITY);
  for (size_t row = 0; row < rows; row++) {
    float* yr = y + row * inner;
    binary_row(p->kind, inner, a + ao, p->a_strides[r - 1], b + bo, p->b_strides[r - 1], yr);
    if (clamp) mote_ref_clamp_f32(yr, inner, p->act_min, p->act_max);
    // odometer over the outer dims, keeping the operand offsets in step
    for (int32_t d = r - 2; d >= 0; d--) {
      idx[d]++;
      ao += p->a_strides[d];
      bo += p->b_strides[d];
      if (idx[d] < p->dims[d]) break;
      ao -= idx[d] * p->a_strides[d];
      bo -= idx[d] * p->b_strides[d];
      idx[d] = 0;
    }
  }
}

void mote_ref_clamp_f32(float* y, size_t n, float lo, float hi) {
  for (size_t i = 0; i < n; i++) y[i] = mote_clampf(y[i], lo, hi);
}

void mote_ref_unary_f32(const mote_unary_params* p, const float* x, float* y, size_t n) {
  switch (p->kind) {
    case MOTE_UNARY_RELU:
      for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? 0.0f : x[i];
      break;
    case MOTE_UNARY_RELU6:
      for (size_t i = 0; i < n; i++) y[i] = mote_relu6f(x[i]);
      break;
    case MOTE_UNARY_CLIP:
      // min(max(x, lo), hi) as onnx: when lo > hi every output is hi
      for (size_t i = 0; i < n; i++) {
        const float v = x[i] < p->min ? p->min : x[i];
        y[i] = v > p->max ? p->max : v;
      }
      break;
    case MOTE_UNARY_LEAKY_RELU:
      for (size_t i = 0; i < n; i++) y[i] = x[i] >= 0.0f ? x[i] : p->alpha * x[i];
      break;
    case MOTE_UNARY_LOGISTIC:
      for (size_t i = 0; i < n; i++) y[i] = 1.0f / (1.0f + expf(-x[i]));
      break;
    case MOTE_UNARY_TANH:
      for (size_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
      break;
    case MOTE_UNARY_HARD_SWISH:
      for (size_t i = 0; i < n; i++) y[i] = x[i] * mote_relu6f(x[i] + 3.0f) / 6.0f;
      break;
    case MOTE_UNARY_GELU:
      for (size_t i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
      break;
    case MOTE_UNARY_GELU_TANH: {
      const float k = 0.7978845608028654f;  // sqrt(2/pi)
      for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        y[i] = 0.5f * v * (1.0f + tanhf(k * (v + 0.044715f * v * v * v)));
      }
      break;
    }
  }
}
