// f32 GEMM, 4 rows x 8 columns per tile, NEON without fused multiply-add (armv7 NEON:
// Cortex-A7/A9/A53 in 32-bit mode); vmlaq rounds the product, so results may differ
// from the FMA kernels in the last bit.
#include <arm_neon.h>
#include <assert.h>

#include "ukernels/ukernels.h"

#define MR 4
#define NR 8

void mote_f32_gemm_minmax_ukernel_4x8__neon(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                            const float* w, float* c, size_t c_stride,
                                            const mote_f32_minmax_params* params) {
  assert(mr >= 1 && mr <= MR && nc >= 1);
  const float* ar[MR];
  float* cr[MR];
  for (size_t i = 0; i < MR; i++) {
    const size_t r = i < mr ? i : mr - 1;
    ar[i] = a + r * a_stride;
    cr[i] = c + r * c_stride;
  }
  const float32x4_t lo = vdupq_n_f32(params->min), hi = vdupq_n_f32(params->max);
  for (size_t n0 = 0; n0 < nc; n0 += NR, w += (kc + 1) * NR) {
    float32x4_t acc0[MR], acc1[MR];
    const float32x4_t b0 = vld1q_f32(w), b1 = vld1q_f32(w + 4);
    for (size_t i = 0; i < MR; i++) {
      acc0[i] = b0;
      acc1[i] = b1;
    }
    const float* wk = w + NR;
    for (size_t k = 0; k < kc; k++, wk += NR) {
      const float32x4_t w0 = vld1q_f32(wk), w1 = vld1q_f32(wk + 4);
      for (size_t i = 0; i < MR; i++) {
        const float32x4_t av = vdupq_n_f32(ar[i][k]);
        acc0[i] = vmlaq_f32(acc0[i], av, w0);
        acc1[i] = vmlaq_f32(acc1[i], av, w1);
      }
    }
    const size_t nb = nc - n0;
    for (size_t i = MR; i-- > 0;) {
      float tmp[NR];
      float* out = nb >= NR ? cr[i] + n0 : tmp;
      vst1q_f32(out, vminq_f32(vmaxq_f32(acc0[i], lo), hi));
      vst1q_f32(out + 4, vminq_f32(vmaxq_f32(acc1[i], lo), hi));
      if (nb < NR)
        for (size_t j = 0; j < nb; j++) cr[i][n0 + j] = tmp[j];
    }
  }
}
