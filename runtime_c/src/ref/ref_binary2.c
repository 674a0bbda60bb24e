// Reference broadcasting kernels: binary arithmetic (float32, int32, int64),
// comparisons, logical AND / OR, WHERE. One walker visits the output elements
// [begin, end) row by row (a row = a run along the innermost coalesced dim) and
// calls a typed row function; the dtype and op switch sits outside the loops.
#include <math.h>
#include <string.h>

#include "ref/ref_common.h"
#include "ref/ref_elementwise2.h"

// one row: operand k starts at p[k] and steps s[k] elements; y is contiguous
typedef void (*row_fn)(const void* const* p, const size_t* s, void* y, size_t n);

static void walk(const mote_bcast_layout* l, int32_t nops, const void* const* ops, const size_t* es, void* y,
                 size_t y_es, size_t begin, size_t end, row_fn fn) {
  if (begin >= end) return;  // also covers empty outputs (a zero dim)
  const int32_t r = l->rank;
  size_t idx[MOTE_MAX_RANK], off[MOTE_BCAST_MAX_OPERANDS] = {0};
  // the index of `begin`, and each operand's offset there (in elements)
  size_t rem = begin;
  for (int32_t d = r - 1; d >= 0; d--) {
    idx[d] = rem % l->dims[d];
    rem /= l->dims[d];
    for (int32_t k = 0; k < nops; k++) off[k] += idx[d] * l->strides[k][d];
  }
  const size_t inner = l->dims[r - 1];
  size_t s[MOTE_BCAST_MAX_OPERANDS];
  for (int32_t k = 0; k < nops; k++) s[k] = l->strides[k][r - 1];
  for (size_t pos = begin; pos < end;) {
    size_t n = inner - idx[r - 1];
    if (n > end - pos) n = end - pos;
    const void* p[MOTE_BCAST_MAX_OPERANDS];
    for (int32_t k = 0; k < nops; k++) p[k] = (const char*)ops[k] + off[k] * es[k];
    fn(p, s, (char*)y + pos * y_es, n);
    pos += n;
    idx[r - 1] += n;
    for (int32_t k = 0; k < nops; k++) off[k] += n * s[k];
    // odometer: carry into the outer dims, keeping the offsets in step
    for (int32_t d = r - 1; d > 0 && idx[d] == l->dims[d]; d--) {
      idx[d] = 0;
      idx[d - 1]++;
      for (int32_t k = 0; k < nops; k++) {
        off[k] -= l->dims[d] * l->strides[k][d];
        off[k] += l->strides[k][d - 1];
      }
    }
  }
}

// a row function computing y = EXPR(x, z) for x from a, z from b; the
// contiguous case gets its own loop so that the compiler can vectorise it
#define ROW2(name, T, TY, EXPR)                                                     \
  static void name(const void* const* p, const size_t* s, void* yv, size_t n) {    \
    const T* a = p[0];                                                             \
    const T* b = p[1];                                                             \
    TY* y = yv;                                                                    \
    const size_t sa = s[0], sb = s[1]; /* locals: a bool y may alias s */          \
    if (sa == 1 && sb == 1) {                                                      \
      for (size_t i = 0; i < n; i++) {                                             \
        const T x = a[i], z = b[i];                                                \
        y[i] = (TY)(EXPR);                                                         \
      }                                                                            \
    } else {                                                                       \
      for (size_t i = 0; i < n; i++) {                                             \
        const T x = a[i * sa], z = b[i * sb];                                      \
        y[i] = (TY)(EXPR);                                                         \
      }                                                                            \
    }                                                                              \
  }

// ---- arithmetic -------------------------------------------------------------

// comparisons written so that a nan on either side propagates (as numpy)
ROW2(add_f32, float, float, x + z)
ROW2(sub_f32, float, float, x - z)
ROW2(mul_f32, float, float, x * z)
ROW2(div_f32, float, float, x / z)
ROW2(pow_f32, float, float, powf(x, z))
ROW2(min_f32, float, float, (x < z || isnan(x)) ? x : z)
ROW2(max_f32, float, float, (x > z || isnan(x)) ? x : z)
// x < 0 ? z * x : x with a bit mask: written as a select, the compiler moves
// the (trapping) multiply into a branch on the sign, ~8x slower on random signs
static inline float prelu(float x, float z) {
  const float p = z * x;
  uint32_t pb, xb;
  memcpy(&pb, &p, 4);
  memcpy(&xb, &x, 4);
  const uint32_t m = 0u - (uint32_t)(x < 0.0f);
  const uint32_t r = (pb & m) | (xb & ~m);
  float y;
  memcpy(&y, &r, 4);
  return y;
}
ROW2(prelu_f32, float, float, prelu(x, z))

// integer arithmetic in unsigned types: overflow wraps instead of being undefined
#define INT_OPS(T, U)                                                                  \
  static inline T add_##T(T x, T z) { return (T)((U)x + (U)z); }                           \
  static inline T sub_##T(T x, T z) { return (T)((U)x - (U)z); }                           \
  static inline T mul_##T(T x, T z) { return (T)((U)x * (U)z); }                           \
  /* truncates toward zero (C, onnx runtime); x / 0 is defined as 0 here (onnx leaves it */ \
  /* undefined, onnx runtime traps) and MIN / -1 wraps to MIN instead of trapping */       \
  static inline T div_##T(T x, T z) { return z == 0 ? 0 : (z == -1 ? (T)(0u - (U)x) : x / z); } \
  ROW2(add_r_##T, T, T, add_##T(x, z))                                                      \
  ROW2(sub_r_##T, T, T, sub_##T(x, z))                                                      \
  ROW2(mul_r_##T, T, T, mul_##T(x, z))                                                      \
  ROW2(div_r_##T, T, T, div_##T(x, z))                                                      \
  ROW2(min_r_##T, T, T, x < z ? x : z)                                                      \
  ROW2(max_r_##T, T, T, x > z ? x : z)                                                      \
  static row_fn int_row_##T(mote_binary2_kind kind) {                                       \
    switch (kind) {                                                                         \
      case MOTE_BINARY2_ADD: return add_r_##T;                                              \
      case MOTE_BINARY2_SUB: return sub_r_##T;                                              \
      case MOTE_BINARY2_MUL: return mul_r_##T;                                              \
      case MOTE_BINARY2_DIV: return div_r_##T;                                              \
      case MOTE_BINARY2_MINIMUM: return min_r_##T;                                          \
      case MOTE_BINARY2_MAXIMUM: return max_r_##T;                                          \
      default: return NULL; /* prepare refused the rest */                                  \
    }                                                                                       \
  }

INT_OPS(int32_t, uint32_t)
INT_OPS(int64_t, uint64_t)

static row_fn f32_row(mote_binary2_kind kind) {
  switch (kind) {
    case MOTE_BINARY2_ADD: return add_f32;
    case MOTE_BINARY2_SUB: return sub_f32;
    case MOTE_BINARY2_MUL: return mul_f32;
    case MOTE_BINARY2_DIV: return div_f32;
    case MOTE_BINARY2_POW: return pow_f32;
    case MOTE_BINARY2_MINIMUM: return min_f32;
    case MOTE_BINARY2_MAXIMUM: return max_f32;
    case MOTE_BINARY2_PRELU: return prelu_f32;
  }
  return NULL;
}

void mote_ref_binary2_f32(mote_binary2_kind kind, const mote_bcast_layout* l, const float* a, const float* b,
                          float* y, float act_min, float act_max, size_t begin, size_t end) {
  const row_fn fn = f32_row(kind);
  if (!fn) return;
  walk(l, 2, (const void* const[]){a, b}, (const size_t[]){4, 4}, y, 4, begin, end, fn);
  if (!(act_min == -INFINITY && act_max == INFINITY))
    for (size_t i = begin; i < end; i++) y[i] = mote_clampf(y[i], act_min, act_max);
}

void mote_ref_binary2_i32(mote_binary2_kind kind, const mote_bcast_layout* l, const int32_t* a, const int32_t* b,
                          int32_t* y, size_t begin, size_t end) {
  const row_fn fn = int_row_int32_t(kind);
  if (fn) walk(l, 2, (const void* const[]){a, b}, (const size_t[]){4, 4}, y, 4, begin, end, fn);
}

void mote_ref_binary2_i64(mote_binary2_kind kind, const mote_bcast_layout* l, const int64_t* a, const int64_t* b,
                          int64_t* y, size_t begin, size_t end) {
  const row_fn fn = int_row_int64_t(kind);
  if (fn) walk(l, 2, (const void* const[]){a, b}, (const size_t[]){8, 8}, y, 8, begin, end, fn);
}

// ---- comparisons ----------------------------------------------------------------

// bool operands compare as truth values (a non-zero byte is true)
#define B(v) ((v) != 0)
#define COMPARE_ROWS(T, tag, N)                        \
  ROW2(eq_##tag, T, uint8_t, N(x) == N(z))             \
  ROW2(ne_##tag, T, uint8_t, N(x) != N(z))             \
  ROW2(lt_##tag, T, uint8_t, N(x) < N(z))              \
  ROW2(le_##tag, T, uint8_t, N(x) <= N(z))             \
  ROW2(gt_##tag, T, uint8_t, N(x) > N(z))              \
  ROW2(ge_##tag, T, uint8_t, N(x) >= N(z))             \
  static const row_fn compare_##tag[] = {eq_##tag, ne_##tag, lt_##tag, le_##tag, gt_##tag, ge_##tag};
#define SAME(v) (v)

COMPARE_ROWS(float, f32, SAME)
COMPARE_ROWS(int32_t, i32, SAME)
COMPARE_ROWS(int64_t, i64, SAME)
COMPARE_ROWS(uint8_t, b8, B)

void mote_ref_compare(mote_compare_kind kind, mote_dtype dtype, const mote_bcast_layout* l, const void* a,
                      const void* b, uint8_t* y, size_t begin, size_t end) {
  if ((unsigned)kind > MOTE_COMPARE_GREATER_EQUAL) return;
  const row_fn* table;
  size_t es;
  switch (dtype) {
    case MOTE_FLOAT32: table = compare_f32, es = 4; break;
    case MOTE_INT32: table = compare_i32, es = 4; break;
    case MOTE_INT64: table = compare_i64, es = 8; break;
    case MOTE_BOOL: table = compare_b8, es = 1; break;
    default: return;  // prepare refused it
  }
  walk(l, 2, (const void* const[]){a, b}, (const size_t[]){es, es}, y, 1, begin, end, table[kind]);
}

// ---- logical ----------------------------------------------------------------------

ROW2(and_b8, uint8_t, uint8_t, B(x) & B(z))
ROW2(or_b8, uint8_t, uint8_t, B(x) | B(z))

void mote_ref_logical(mote_logical_kind kind, const mote_bcast_layout* l, const uint8_t* a, const uint8_t* b,
                      uint8_t* y, size_t begin, size_t end) {
  walk(l, 2, (const void* const[]){a, b}, (const size_t[]){1, 1}, y, 1, begin, end,
       kind == MOTE_LOGICAL_AND ? and_b8 : or_b8);
}

void mote_ref_logical_not(const uint8_t* x, uint8_t* y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] == 0;
}

// ---- where ------------------------------------------------------------------------

// elements moved as unsigned integers of their size (memcpy of a constant size
// compiles to one move); both sides are loaded and one selected, without a
// branch on the (often random) condition
#define WHERE_ROW(ES, U)                                                                    \
  static void where_##ES(const void* const* p, const size_t* s, void* yv, size_t n) {     \
    const uint8_t* c = p[0];                                                              \
    const uint8_t* a = p[1];                                                              \
    const uint8_t* b = p[2];                                                              \
    uint8_t* y = yv;                                                                      \
    const size_t sc = s[0], sa = s[1] * ES, sb = s[2] * ES;                               \
    for (size_t i = 0; i < n; i++) {                                                      \
      U va, vb;                                                                           \
      memcpy(&va, a + i * sa, ES);                                                        \
      memcpy(&vb, b + i * sb, ES);                                                        \
      const U m = (U)((U)0 - (U)(c[i * sc] != 0)); /* all ones where the condition holds */ \
      const U r = (U)((va & m) | (vb & (U)~m));                                           \
      memcpy(y + i * ES, &r, ES);                                                         \
    }                                                                                     \
  }
WHERE_ROW(1, uint8_t)
WHERE_ROW(2, uint16_t)
WHERE_ROW(4, uint32_t)
WHERE_ROW(8, uint64_t)

void mote_ref_where(const mote_bcast_layout* l, size_t elem_size, const uint8_t* cond, const void* a,
                    const void* b, void* y, size_t begin, size_t end) {
  row_fn fn;
  switch (elem_size) {
    case 1: fn = where_1; break;
    case 2: fn = where_2; break;
    case 4: fn = where_4; break;
    case 8: fn = where_8; break;
    default: return;  // prepare refused it
  }
  walk(l, 3, (const void* const[]){cond, a, b}, (const size_t[]){1, elem_size, elem_size}, y, elem_size, begin,
       end, fn);
}
