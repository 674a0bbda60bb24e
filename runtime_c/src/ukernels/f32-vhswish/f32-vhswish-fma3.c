// f32 hard swish, AVX2 (the FMA3 level; no FMA used: bit-identical to the reference).
#include <immintrin.h>

#include "ukernels/ukernels.h"

static inline __m256 hswish(__m256 x) {
  const __m256 r = _mm256_min_ps(_mm256_set1_ps(6.0f), _mm256_max_ps(_mm256_setzero_ps(), _mm256_add_ps(x, _mm256_set1_ps(3.0f))));
  return _mm256_div_ps(_mm256_mul_ps(x, r), _mm256_set1_ps(6.0f));
}

void mote_f32_vhswish_ukernel__fma3(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, hswish(_mm256_loadu_ps(x + i)));
  for (; i < n; i++) {
    const float v = x[i] + 3.0f;
    const float r = v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    y[i] = x[i] * r / 6.0f;
  }
}
