// Small inline helpers shared by the reference kernels.
#ifndef MOTE_REF_REF_COMMON_H
#define MOTE_REF_REF_COMMON_H

#include <stddef.h>

// clamp written with comparisons so that nan passes through (fminf/fmaxf would drop it)
static inline float mote_clampf(float v, float lo, float hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

static inline float mote_relu6f(float v) { return mote_clampf(v, 0.0f, 6.0f); }

// [begin, end) of chunk i when n items are split into `chunks` near-equal parts
static inline void mote_chunk_range(size_t n, size_t chunks, size_t i, size_t* begin, size_t* end) {
  size_t q = n / chunks, r = n % chunks;
  *begin = i * q + (i < r ? i : r);
  *end = *begin + q + (i < r ? 1 : 0);
}

#endif  // MOTE_REF_REF_COMMON_H
