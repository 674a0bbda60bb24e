// f32 GEMM, 6 rows x 16 columns per tile, AVX2 + FMA3: 12 ymm accumulators, the two
// weight vectors loaded once per k and each A element broadcast.
#include <assert.h>
#include <immintrin.h>

#include "ukernels/ukernels.h"

#define MR 6
#define NR 16

void mote_f32_gemm_minmax_ukernel_6x16__fma3(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                             const float* w, float* c, size_t c_stride,
                                             const mote_f32_minmax_params* params) {
  assert(mr >= 1 && mr <= MR && nc >= 1);
  // rows past mr alias the last real row: their (identical) results land on it
  const float* ar[MR];
  float* cr[MR];
  for (size_t i = 0; i < MR; i++) {
    const size_t r = i < mr ? i : mr - 1;
    ar[i] = a + r * a_stride;
    cr[i] = c + r * c_stride;
  }
  const __m256 lo = _mm256_set1_ps(params->min), hi = _mm256_set1_ps(params->max);
  for (size_t n0 = 0; n0 < nc; n0 += NR, w += (kc + 1) * NR) {
    __m256 acc0[MR], acc1[MR];
    const __m256 b0 = _mm256_loadu_ps(w), b1 = _mm256_loadu_ps(w + 8);
    for (size_t i = 0; i < MR; i++) {
      acc0[i] = b0;
      acc1[i] = b1;
    }
    const float* wk = w + NR;
    for (size_t k = 0; k < kc; k++, wk += NR) {
      const __m256 w0 = _mm256_loadu_ps(wk), w1 = _mm256_loadu_ps(wk + 8);
      for (size_t i = 0; i < MR; i++) {
        const __m256 av = _mm256_broadcast_ss(ar[i] + k);
        acc0[i] = _mm256_fmadd_ps(av, w0, acc0[i]);
        acc1[i] = _mm256_fmadd_ps(av, w1, acc1[i]);
      }
    }
    const size_t nb = nc - n0;
    for (size_t i = MR; i-- > 0;) {
      const __m256 v0 = _mm256_min_ps(hi, _mm256_max_ps(lo, acc0[i]));
      const __m256 v1 = _mm256_min_ps(hi, _mm256_max_ps(lo, acc1[i]));
      float* ci = cr[i] + n0;
      if (nb >= NR) {
        _mm256_storeu_ps(ci, v0);
        _mm256_storeu_ps(ci + 8, v1);
      } else {
        float tmp[NR];
        _mm256_storeu_ps(tmp, v0);
        _mm256_storeu_ps(tmp + 8, v1);
        for (size_t j = 0; j < nb; j++) ci[j] = tmp[j];
      }
    }
  }
}
