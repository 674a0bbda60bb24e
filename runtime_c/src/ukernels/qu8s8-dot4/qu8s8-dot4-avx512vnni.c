// Four uint8 x int8 dot products, AVX-512 VNNI: vpdpbusd multiplies 64 unsigned by 64
// signed bytes and adds groups of four into 16 int32 lanes; the tail loads through a mask.
#include <immintrin.h>

#include "ukernels/ukernels.h"

void mote_qu8s8_dot4_ukernel__avx512vnni(size_t k, const uint8_t* x, const int8_t* w, size_t w_stride,
                                         int32_t* out) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
  const int8_t *w0 = w, *w1 = w + w_stride, *w2 = w + 2 * w_stride, *w3 = w + 3 * w_stride;
  size_t i = 0;
  for (; i + 64 <= k; i += 64) {
    const __m512i xv = _mm512_loadu_si512(x + i);
    a0 = _mm512_dpbusd_epi32(a0, xv, _mm512_loadu_si512(w0 + i));
    a1 = _mm512_dpbusd_epi32(a1, xv, _mm512_loadu_si512(w1 + i));
    a2 = _mm512_dpbusd_epi32(a2, xv, _mm512_loadu_si512(w2 + i));
    a3 = _mm512_dpbusd_epi32(a3, xv, _mm512_loadu_si512(w3 + i));
  }
  if (i < k) {
    const __mmask64 m = k - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (k - i)) - 1);
    const __m512i xv = _mm512_maskz_loadu_epi8(m, x + i);
    a0 = _mm512_dpbusd_epi32(a0, xv, _mm512_maskz_loadu_epi8(m, w0 + i));
    a1 = _mm512_dpbusd_epi32(a1, xv, _mm512_maskz_loadu_epi8(m, w1 + i));
    a2 = _mm512_dpbusd_epi32(a2, xv, _mm512_maskz_loadu_epi8(m, w2 + i));
    a3 = _mm512_dpbusd_epi32(a3, xv, _mm512_maskz_loadu_epi8(m, w3 + i));
  }
  out[0] = _mm512_reduce_add_epi32(a0);
  out[1] = _mm512_reduce_add_epi32(a1);
  out[2] = _mm512_reduce_add_epi32(a2);
  out[3] = _mm512_reduce_add_epi32(a3);
}
