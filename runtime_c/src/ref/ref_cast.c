// Reference CAST between all eight dtypes, and the float16 conversions.
// Values go through a small block of int64 (integer and bool sources) or
// double (float sources; exact for float32 and float16), so the dtype switches
// run once per block, not per element, and no int64 loses precision.
#include <math.h>
#include <string.h>

#include "ref/ref_elementwise2.h"

enum { BLOCK = 256 };

uint16_t mote_f32_to_f16(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u)  // nan: keep the top payload bits, stay quiet
    return (uint16_t)(sign | 0x7e00u | ((ax >> 13) & 0x3ffu));
  if (ax >= 0x477ff000u) return sign | 0x7c00u;  // >= 65520 rounds to inf (and inf itself)
  if (ax >= 0x38800000u) {                       // normal half (>= 2^-14)
    uint32_t r = (ax - 0x38000000u) >> 13;       // rebias the exponent (127 -> 15), drop 13 bits
    const uint32_t rest = ax & 0x1fffu;
    r += (rest > 0x1000u) | ((rest == 0x1000u) & r);  // ties to even, no branch; a carry into the exponent is right
    return (uint16_t)(sign | r);
  }
  if (ax <= 0x33000000u) return sign;  // <= 2^-25: rounds to (signed) zero, the tie to even
  // subnormal half: round(|f| * 2^24) with the implicit bit made explicit
  const uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;
  const uint32_t shift = 126u - e;  // 14..24 here
  uint32_t r = m >> shift;
  const uint32_t rest = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
  if (rest > half || (rest == half && (r & 1u))) r++;  // may round up to the smallest normal: 0x400
  return (uint16_t)(sign | r);
}

float mote_f16_to_f32(uint16_t h) {
  const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  uint32_t x;
  if (e == 0x1f) {
    x = sign | 0x7f800000u | (m << 13);  // inf, nan (payload kept)
  } else if (e != 0) {
    x = sign | ((e + 112u) << 23) | (m << 13);
  } else {
    const float v = (float)m * 0x1p-24f;  // zero or subnormal: exact in float32
    memcpy(&x, &v, 4);
    x |= sign;
  }
  float f;
  memcpy(&f, &x, 4);
  return f;
}

static int is_float(mote_dtype t) { return t == MOTE_FLOAT32 || t == MOTE_FLOAT16; }

static void load_int(mote_dtype t, const void* x, size_t n, int64_t* v) {
  switch (t) {
    case MOTE_INT8: for (size_t i = 0; i < n; i++) v[i] = ((const int8_t*)x)[i]; break;
    case MOTE_UINT8: for (size_t i = 0; i < n; i++) v[i] = ((const uint8_t*)x)[i]; break;
    case MOTE_INT16: for (size_t i = 0; i < n; i++) v[i] = ((const int16_t*)x)[i]; break;
    case MOTE_INT32: for (size_t i = 0; i < n; i++) v[i] = ((const int32_t*)x)[i]; break;
    case MOTE_INT64: for (size_t i = 0; i < n; i++) v[i] = ((const int64_t*)x)[i]; break;
    case MOTE_BOOL: for (size_t i = 0; i < n; i++) v[i] = ((const uint8_t*)x)[i] != 0; break;
    default: break;
  }
}

static void load_float(mote_dtype t, const void* x, size_t n, double* v) {
  if (t == MOTE_FLOAT32)
    for (size_t i = 0; i < n; i++) v[i] = ((const float*)x)[i];
  else
    for (size_t i = 0; i < n; i++) v[i] = mote_f16_to_f32(((const uint16_t*)x)[i]);
}

// integer -> narrower integer keeps the low bits (two's complement): the
// unsigned conversion is defined, its bytes are then read as the signed type
static void store_int(mote_dtype t, const int64_t* v, size_t n, void* y) {
  switch (t) {
    case MOTE_FLOAT32: for (size_t i = 0; i < n; i++) ((float*)y)[i] = (float)v[i]; break;
    case MOTE_FLOAT16: for (size_t i = 0; i < n; i++) ((uint16_t*)y)[i] = mote_f32_to_f16((float)v[i]); break;
    case MOTE_INT8:
      for (size_t i = 0; i < n; i++) {
        const uint8_t u = (uint8_t)v[i];
        memcpy((int8_t*)y + i, &u, 1);
      }
      break;
    case MOTE_UINT8: for (size_t i = 0; i < n; i++) ((uint8_t*)y)[i] = (uint8_t)v[i]; break;
    case MOTE_INT16:
      for (size_t i = 0; i < n; i++) {
        const uint16_t u = (uint16_t)v[i];
        memcpy((int16_t*)y + i, &u, 2);
      }
      break;
    case MOTE_INT32:
      for (size_t i = 0; i < n; i++) {
        const uint32_t u = (uint32_t)v[i];
        memcpy((int32_t*)y + i, &u, 4);
      }
      break;
    case MOTE_INT64: for (size_t i = 0; i < n; i++) ((int64_t*)y)[i] = v[i]; break;
    case MOTE_BOOL: for (size_t i = 0; i < n; i++) ((uint8_t*)y)[i] = v[i] != 0; break;
  }
}

// float -> integer: truncate toward zero, saturate at [lo, hi], nan -> 0 (C
// leaves all of these undefined; onnx calls out-of-range results undefined)
static int64_t trunc_sat(double v, double lo, double hi, int64_t ilo, int64_t ihi) {
  if (isnan(v)) return 0;
  if (v >= hi + 1.0) return ihi;  // for int64, hi + 1.0 is 2^63 exactly
  if (v <= lo - 1.0) return ilo;  // for int64, lo - 1.0 rounds to -2^63, which is ilo anyway
  return (int64_t)v;
}
#define SAT(T, LO, HI, v) ((T)trunc_sat((v), (double)(LO), (double)(HI), (LO), (HI)))

static void store_float(mote_dtype t, const double* v, size_t n, void* y) {
  switch (t) {
    case MOTE_FLOAT32: for (size_t i = 0; i < n; i++) ((float*)y)[i] = (float)v[i]; break;
    case MOTE_FLOAT16: for (size_t i = 0; i < n; i++) ((uint16_t*)y)[i] = mote_f32_to_f16((float)v[i]); break;
    case MOTE_INT8: for (size_t i = 0; i < n; i++) ((int8_t*)y)[i] = SAT(int8_t, INT8_MIN, INT8_MAX, v[i]); break;
    case MOTE_UINT8: for (size_t i = 0; i < n; i++) ((uint8_t*)y)[i] = SAT(uint8_t, 0, UINT8_MAX, v[i]); break;
    case MOTE_INT16:
      for (size_t i = 0; i < n; i++) ((int16_t*)y)[i] = SAT(int16_t, INT16_MIN, INT16_MAX, v[i]);
      break;
    case MOTE_INT32:
      for (size_t i = 0; i < n; i++) ((int32_t*)y)[i] = SAT(int32_t, INT32_MIN, INT32_MAX, v[i]);
      break;
    case MOTE_INT64:
      for (size_t i = 0; i < n; i++) ((int64_t*)y)[i] = SAT(int64_t, INT64_MIN, INT64_MAX, v[i]);
      break;
    case MOTE_BOOL: for (size_t i = 0; i < n; i++) ((uint8_t*)y)[i] = v[i] != 0.0; break;
  }
}

void mote_ref_cast(mote_dtype from, mote_dtype to, const void* x, void* y, size_t n) {
  const size_t fes = mote_dtype_size(from), tes = mote_dtype_size(to);
  if (fes == 0 || tes == 0) return;  // prepare refused it
  if (from == to) {
    if (x != y) memmove(y, x, n * fes);
    return;
  }
  // the float conversions without the double block
  if (from == MOTE_FLOAT32 && to == MOTE_FLOAT16) {
    for (size_t i = 0; i < n; i++) ((uint16_t*)y)[i] = mote_f32_to_f16(((const float*)x)[i]);
    return;
  }
  if (from == MOTE_FLOAT16 && to == MOTE_FLOAT32) {
    for (size_t i = 0; i < n; i++) ((float*)y)[i] = mote_f16_to_f32(((const uint16_t*)x)[i]);
    return;
  }
  for (size_t i = 0; i < n; i += BLOCK) {
    const size_t m = n - i < BLOCK ? n - i : BLOCK;
    const void* src = (const char*)x + i * fes;
    void* dst = (char*)y + i * tes;
    if (is_float(from)) {
      double v[BLOCK];
      load_float(from, src, m, v);
      store_float(to, v, m, dst);
    } else {
      int64_t v[BLOCK];
      load_int(from, src, m, v);
      store_int(to, v, m, dst);
    }
  }
}
