// Dynamic-range ("hybrid") kernels: float activations, int8 symmetric weights
// (docs/quantization-format.md). Each input row is quantized to int8 at run time.
#include <math.h>

#include "ref/ref.h"

void mote_ref_quantize_row_u8(const float* x, size_t k, uint8_t* q, float* scale, int32_t* zero_point) {
  float lo = 0.0f, hi = 0.0f;  // the range always holds 0, so real 0 is exact
  for (size_t i = 0; i < k; i++) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  const float s = hi > lo ? (hi - lo) / 255.0f : 1.0f;
  // the int8 code q8 = round(x / s) + zp8 in [-128, 127], stored as q8 + 128 in uint8
  long zp = lroundf(-128.0f - lo / s);
  zp = zp < -128 ? -128 : zp > 127 ? 127 : zp;
  for (size_t i = 0; i < k; i++) {
    long v = lroundf(x[i] / s) + zp;
    q[i] = (uint8_t)((v < -128 ? -128 : v > 127 ? 127 : v) + 128);
  }
  *scale = s;
  *zero_point = (int32_t)zp + 128;
}

void mote_ref_fc_hybrid_f32(const mote_fc_hybrid_params* p, const uint8_t* xq, const float* x_scale,
                            const int32_t* x_zp, const int8_t* w, const float* bias, float* y, size_t m0, size_t m1,
                            size_t n0, size_t n1) {
  for (size_t r = m0; r < m1; r++) {
    const uint8_t* xr = xq + r * p->k;
    for (size_t j = n0; j < n1; j++) {
      const int8_t* wj = w + j * p->k;
      int32_t acc = 0;
      for (size_t i = 0; i < p->k; i++) acc += (int32_t)xr[i] * (int32_t)wj[i];
      // sum (xq - zp) * wq = sum xq*wq - zp * sum wq (uint8 codes and zero point: the int8 ones + 128)
      const int64_t exact = (int64_t)acc - (int64_t)x_zp[r] * p->w_row_sums[j];
      float v = (float)exact * (x_scale[r] * p->w_scales[j]) + (bias ? bias[j] : 0.0f);
      v = v < p->act_min ? p->act_min : v;
      y[r * p->n + j] = v > p->act_max ? p->act_max : v;
    }
  }
}
