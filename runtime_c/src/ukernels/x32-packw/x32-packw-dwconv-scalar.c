// Weight packing for the f32 depthwise microkernels (layout: ukernels.h).
#include <assert.h>

#include "ukernels/ukernels.h"

void mote_pack_f32_dwconv(size_t channels, size_t taps, size_t cb, const float* w, const float* bias, float* packed) {
  assert(cb > 0);
  for (size_t c0 = 0; c0 < channels; c0 += cb) {
    const size_t nb = channels - c0 < cb ? channels - c0 : cb;
    for (size_t j = 0; j < cb; j++) *packed++ = j < nb && bias ? bias[c0 + j] : 0.0f;
    for (size_t t = 0; t < taps; t++)
      for (size_t j = 0; j < cb; j++) *packed++ = j < nb ? w[t * channels + c0 + j] : 0.0f;
  }
}
