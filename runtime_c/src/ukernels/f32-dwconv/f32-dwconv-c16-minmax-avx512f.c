// f32 depthwise convolution, one output pixel, 16 channels per block, AVX-512F;
// the channel tail loads and stores through a mask.
#include <assert.h>
#include <immintrin.h>

#include "ukernels/ukernels.h"

#define CB 16

void mote_f32_dwconv_minmax_ukernel_c16__avx512f(size_t channels, size_t taps, const float* const* in,
                                                 const float* w, float* y, const mote_f32_minmax_params* params) {
  assert(channels >= 1 && taps >= 1);
  const __m512 lo = _mm512_set1_ps(params->min), hi = _mm512_set1_ps(params->max);
  size_t c0 = 0;
  for (; c0 + CB <= channels; c0 += CB, w += (taps + 1) * CB) {
    __m512 acc = _mm512_loadu_ps(w);
    for (size_t t = 0; t < taps; t++)
      acc = _mm512_fmadd_ps(_mm512_loadu_ps(in[t] + c0), _mm512_loadu_ps(w + (t + 1) * CB), acc);
    _mm512_storeu_ps(y + c0, _mm512_min_ps(hi, _mm512_max_ps(lo, acc)));
  }
  if (c0 < channels) {
    const __mmask16 m = (__mmask16)((1u << (channels - c0)) - 1u);
    __m512 acc = _mm512_loadu_ps(w);
    for (size_t t = 0; t < taps; t++)
      acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, in[t] + c0), _mm512_loadu_ps(w + (t + 1) * CB), acc);
    _mm512_mask_storeu_ps(y + c0, m, _mm512_min_ps(hi, _mm512_max_ps(lo, acc)));
  }
}
