// f32 depthwise convolution, one output pixel, 8 channels per block, NEON (aarch64 and
// armv7: vfmaq on aarch64, vmlaq on armv7 without VFPv4); the channel tail goes through
// a small buffer (NEON has no masked loads).
#include <arm_neon.h>
#include <assert.h>
#include <string.h>

#include "ukernels/ukernels.h"

#define CB 8

#if defined(__aarch64__) || defined(__ARM_FEATURE_FMA)
#define MADD(acc, a, b) vfmaq_f32(acc, a, b)
#else
#define MADD(acc, a, b) vmlaq_f32(acc, a, b)
#endif

void mote_f32_dwconv_minmax_ukernel_c8__neon(size_t channels, size_t taps, const float* const* in, const float* w,
                                             float* y, const mote_f32_minmax_params* params) {
  assert(channels >= 1 && taps >= 1);
  const float32x4_t lo = vdupq_n_f32(params->min), hi = vdupq_n_f32(params->max);
  size_t c0 = 0;
  for (; c0 + CB <= channels; c0 += CB, w += (taps + 1) * CB) {
    float32x4_t a0 = vld1q_f32(w), a1 = vld1q_f32(w + 4);
    for (size_t t = 0; t < taps; t++) {
      const float* x = in[t] + c0;
      const float* wt = w + (t + 1) * CB;
      a0 = MADD(a0, vld1q_f32(x), vld1q_f32(wt));
      a1 = MADD(a1, vld1q_f32(x + 4), vld1q_f32(wt + 4));
    }
    vst1q_f32(y + c0, vminq_f32(vmaxq_f32(a0, lo), hi));
    vst1q_f32(y + c0 + 4, vminq_f32(vmaxq_f32(a1, lo), hi));
  }
  if (c0 < channels) {
    const size_t rem = channels - c0;
    float xb[CB] = {0}, out[CB];
    float32x4_t a0 = vld1q_f32(w), a1 = vld1q_f32(w + 4);
    for (size_t t = 0; t < taps; t++) {
      memcpy(xb, in[t] + c0, rem * sizeof(float));
      const float* wt = w + (t + 1) * CB;
      a0 = MADD(a0, vld1q_f32(xb), vld1q_f32(wt));
      a1 = MADD(a1, vld1q_f32(xb + 4), vld1q_f32(wt + 4));
    }
    vst1q_f32(out, vminq_f32(vmaxq_f32(a0, lo), hi));
    vst1q_f32(out + 4, vminq_f32(vmaxq_f32(a1, lo), hi));
    memcpy(y + c0, out, rem * sizeof(float));
  }
}
