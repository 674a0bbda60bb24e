// Four uint8 x int8 dot products, AVX2: 16 bytes widened to int16 and multiplied
// pairwise into int32 (vpmaddwd: 255 * 127 * 2 cannot saturate, unlike vpmaddubsw).
#include <immintrin.h>

#include "ukernels/ukernels.h"

static inline int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

void mote_qu8s8_dot4_ukernel__avx2(size_t k, const uint8_t* x, const int8_t* w, size_t w_stride, int32_t* out) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  const int8_t *w0 = w, *w1 = w + w_stride, *w2 = w + 2 * w_stride, *w3 = w + 3 * w_stride;
  size_t i = 0;
  for (; i + 16 <= k; i += 16) {
    const __m256i xv = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i*)(x + i)));
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w0 + i)))));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w1 + i)))));
    a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w2 + i)))));
    a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w3 + i)))));
  }
  int32_t s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  for (; i < k; i++) {
    const int32_t xi = x[i];
    s0 += xi * w0[i];
    s1 += xi * w1[i];
    s2 += xi * w2[i];
    s3 += xi * w3[i];
  }
  out[0] = s0, out[1] = s1, out[2] = s2, out[3] = s3;
}
