// IEEE half -> float, portable (no F16C / NEON fp16 needed): weights stored as float16
// are widened once at prepare, so this never runs in an inference loop.
#ifndef MOTE_CORE_FP16_H
#define MOTE_CORE_FP16_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline float mote_f16_to_f32(uint16_t h) {
  const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1fu) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf, nan (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;  // +-0
  } else {
    // subnormal half: value = mant * 2^-24, exact in float
    const float v = (float)mant * (1.0f / 16777216.0f);
    memcpy(&bits, &v, sizeof bits);
    bits |= sign;
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static inline void mote_f16_to_f32_array(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; i++) dst[i] = mote_f16_to_f32(src[i]);
}

#endif  // MOTE_CORE_FP16_H
