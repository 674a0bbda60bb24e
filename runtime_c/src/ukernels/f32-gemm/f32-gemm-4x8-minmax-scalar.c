// f32 GEMM, 4 rows x 8 columns per tile, portable C (the fallback on every CPU).
#include <assert.h>

#include "ukernels/ukernels.h"

#define MR 4
#define NR 8

void mote_f32_gemm_minmax_ukernel_4x8__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                              const float* w, float* c, size_t c_stride,
                                              const mote_f32_minmax_params* params) {
  assert(mr >= 1 && mr <= MR && nc >= 1);
  const float lo = params->min, hi = params->max;
  for (size_t n0 = 0; n0 < nc; n0 += NR, w += (kc + 1) * NR) {
    const size_t nb = nc - n0 < NR ? nc - n0 : NR;
    float acc[MR][NR];
    for (size_t i = 0; i < MR; i++)
      for (size_t j = 0; j < NR; j++) acc[i][j] = w[j];
    const float* wk = w + NR;
    for (size_t k = 0; k < kc; k++, wk += NR) {
      for (size_t i = 0; i < mr; i++) {
        const float av = a[i * a_stride + k];
        for (size_t j = 0; j < NR; j++) acc[i][j] += av * wk[j];
      }
    }
    for (size_t i = 0; i < mr; i++) {
      float* ci = c + i * c_stride + n0;
      for (size_t j = 0; j < nb; j++) {
        float v = acc[i][j];
        v = v < lo ? lo : v;
        ci[j] = v > hi ? hi : v;
      }
    }
  }
}
