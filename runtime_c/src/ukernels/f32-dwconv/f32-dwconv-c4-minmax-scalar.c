// f32 depthwise convolution, one output pixel, 4 channels per block, portable C.
#include <assert.h>

#include "ukernels/ukernels.h"

#define CB 4

void mote_f32_dwconv_minmax_ukernel_c4__scalar(size_t channels, size_t taps, const float* const* in, const float* w,
                                               float* y, const mote_f32_minmax_params* params) {
  assert(channels >= 1 && taps >= 1);
  const float lo = params->min, hi = params->max;
  for (size_t c0 = 0; c0 < channels; c0 += CB, w += (taps + 1) * CB) {
    const size_t nb = channels - c0 < CB ? channels - c0 : CB;
    float acc[CB];
    for (size_t j = 0; j < CB; j++) acc[j] = w[j];
    for (size_t t = 0; t < taps; t++) {
      const float* x = in[t] + c0;
      const float* wt = w + (t + 1) * CB;
      for (size_t j = 0; j < nb; j++) acc[j] += x[j] * wt[j];
    }
    for (size_t j = 0; j < nb; j++) {
      float v = acc[j];
      v = v < lo ? lo : v;
      y[c0 + j] = v > hi ? hi : v;
    }
  }
}
