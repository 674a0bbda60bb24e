// f32 GEMM, 8 rows x 32 columns per tile, AVX-512F: 16 zmm accumulators, two weight
// vectors per k, A broadcast from memory; partial column blocks use masked stores.
#include <assert.h>
#include <immintrin.h>

#include "ukernels/ukernels.h"

#define MR 8
#define NR 32

void mote_f32_gemm_minmax_ukernel_8x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
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
  const __m512 lo = _mm512_set1_ps(params->min), hi = _mm512_set1_ps(params->max);
  for (size_t n0 = 0; n0 < nc; n0 += NR, w += (kc + 1) * NR) {
    __m512 acc0[MR], acc1[MR];
    const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);
    for (size_t i = 0; i < MR; i++) {
      acc0[i] = b0;
      acc1[i] = b1;
    }
    const float* wk = w + NR;
    for (size_t k = 0; k < kc; k++, wk += NR) {
      const __m512 w0 = _mm512_loadu_ps(wk), w1 = _mm512_loadu_ps(wk + 16);
      for (size_t i = 0; i < MR; i++) {
        const __m512 av = _mm512_set1_ps(ar[i][k]);
        acc0[i] = _mm512_fmadd_ps(av, w0, acc0[i]);
        acc1[i] = _mm512_fmadd_ps(av, w1, acc1[i]);
      }
    }
    const size_t nb = nc - n0;
    const __mmask16 m0 = nb >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << nb) - 1u);
    const __mmask16 m1 = nb >= 32 ? (__mmask16)0xffff : nb <= 16 ? (__mmask16)0 : (__mmask16)((1u << (nb - 16)) - 1u);
    for (size_t i = MR; i-- > 0;) {
      float* ci = cr[i] + n0;
      _mm512_mask_storeu_ps(ci, m0, _mm512_min_ps(hi, _mm512_max_ps(lo, acc0[i])));
      _mm512_mask_storeu_ps(ci + 16, m1, _mm512_min_ps(hi, _mm512_max_ps(lo, acc1[i])));
    }
  }
}
