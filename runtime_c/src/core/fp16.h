// IEEE half <-> float, portable (no F16C / NEON fp16 needed): weights stored as float16
// are widened once at prepare; the GPU delegate's fp16 storage converts partition inputs
// and outputs with these (a copy per element at the partition boundary only).
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

// float -> half, rounding to nearest even; overflow gives inf, NaN stays NaN (quiet)
static inline uint16_t mote_f32_to_f16(float f) {
  uint32_t x;
  memcpy(&x, &f, sizeof x);
  const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
  const uint32_t exp = (x >> 23) & 0xffu, mant = x & 0x7fffffu;
  if (exp == 0xffu) return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0u));
  const int32_t e = (int32_t)exp - 127 + 15;
  if (e >= 0x1f) return (uint16_t)(sign | 0x7c00u);  // too large: inf
  if (e <= 0) {
    if (e < -10) return sign;  // below half the smallest subnormal: +-0
    // subnormal: shift the mantissa (with its implicit 1) into place, round to nearest even
    const uint32_t m = mant | 0x800000u;
    const uint32_t shift = (uint32_t)(14 - e);
    uint32_t h = m >> shift;
    const uint32_t rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return (uint16_t)(sign | h);
  }
  uint32_t h = ((uint32_t)e << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;  // a carry into the exponent is right (even to inf)
  return (uint16_t)(sign | h);
}

static inline void mote_f32_to_f16_array(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; i++) dst[i] = mote_f32_to_f16(src[i]);
}

#endif  // MOTE_CORE_FP16_H
