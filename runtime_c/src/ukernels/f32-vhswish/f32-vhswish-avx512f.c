// f32 hard swish, x * min(max(x + 3, 0), 6) / 6, AVX-512F: the reference's operations in its
// order (no fused multiply-add), so the results are bit-identical; NaN passes through.
#include <immintrin.h>

#include "ukernels/ukernels.h"

static inline __m512 hswish(__m512 x) {
  const __m512 r = _mm512_min_ps(_mm512_set1_ps(6.0f), _mm512_max_ps(_mm512_setzero_ps(), _mm512_add_ps(x, _mm512_set1_ps(3.0f))));
  return _mm512_div_ps(_mm512_mul_ps(x, r), _mm512_set1_ps(6.0f));
}

void mote_f32_vhswish_ukernel__avx512f(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, hswish(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(y + i, m, hswish(_mm512_maskz_loadu_ps(m, x + i)));
  }
}
