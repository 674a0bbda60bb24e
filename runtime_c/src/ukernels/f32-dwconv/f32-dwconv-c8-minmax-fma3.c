// f32 depthwise convolution, one output pixel, 8 channels per block, AVX2 + FMA3;
// the channel tail loads and stores through a mask.
#include <assert.h>
#include <immintrin.h>

#include "ukernels/ukernels.h"

#define CB 8

void mote_f32_dwconv_minmax_ukernel_c8__fma3(size_t channels, size_t taps, const float* const* in, const float* w,
                                             float* y, const mote_f32_minmax_params* params) {
  assert(channels >= 1 && taps >= 1);
  const __m256 lo = _mm256_set1_ps(params->min), hi = _mm256_set1_ps(params->max);
  size_t c0 = 0;
  for (; c0 + CB <= channels; c0 += CB, w += (taps + 1) * CB) {
    __m256 acc = _mm256_loadu_ps(w);
    for (size_t t = 0; t < taps; t++)
      acc = _mm256_fmadd_ps(_mm256_loadu_ps(in[t] + c0), _mm256_loadu_ps(w + (t + 1) * CB), acc);
    _mm256_storeu_ps(y + c0, _mm256_min_ps(hi, _mm256_max_ps(lo, acc)));
  }
  if (c0 < channels) {
    const int rem = (int)(channels - c0);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rem), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256 acc = _mm256_loadu_ps(w);
    for (size_t t = 0; t < taps; t++)
      acc = _mm256_fmadd_ps(_mm256_maskload_ps(in[t] + c0, mask), _mm256_loadu_ps(w + (t + 1) * CB), acc);
    _mm256_maskstore_ps(y + c0, mask, _mm256_min_ps(hi, _mm256_max_ps(lo, acc)));
  }
}
