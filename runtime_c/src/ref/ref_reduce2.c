// Reference REDUCE_*, ARG_MAX / ARG_MIN and TOPK kernels (ref_reduce2.h).
#include "ref/ref_reduce2.h"

#include <math.h>

// ---- REDUCE_* ---------------------------------------------------------------

typedef struct {
  size_t strides[MOTE_MAX_RANK];
  int32_t kept[MOTE_MAX_RANK], red[MOTE_MAX_RANK];
  int32_t nk, nr;
  size_t red_count;
} reduce_layout;

static void layout_init(const mote_reduce_params* p, reduce_layout* l) {
  size_t s = 1;
  for (int32_t d = p->rank - 1; d >= 0; d--) {
    l->strides[d] = s;
    s *= p->dims[d];
  }
  l->nk = l->nr = 0;
  l->red_count = 1;
  for (int32_t d = 0; d < p->rank; d++) {
    if (p->reduce[d]) {
      l->red[l->nr++] = d;
      l->red_count *= p->dims[d];
    } else {
      l->kept[l->nk++] = d;
    }
  }
}

// input offset of output element o: its kept-dim indices, last dim fastest
static size_t base_of(const mote_reduce_params* p, const reduce_layout* l, size_t o) {
  size_t base = 0;
  for (int32_t i = l->nk - 1; i >= 0; i--) {
    const int32_t d = l->kept[i];
    base += (o % p->dims[d]) * l->strides[d];
    o /= p->dims[d];
  }
  return base;
}

// next offset of the odometer over the reduced dims
static inline size_t advance(const mote_reduce_params* p, const reduce_layout* l, size_t* idx, size_t off) {
  for (int32_t i = l->nr - 1; i >= 0; i--) {
    const int32_t d = l->red[i];
    off += l->strides[d];
    if (++idx[i] < p->dims[d]) return off;
    off -= idx[i] * l->strides[d];
    idx[i] = 0;
  }
  return off;
}

// acc starts at INIT, STEP folds in v = x[off] (of type T), y[o] = FINISH
#define REDUCE_LOOP(T, ACC_T, INIT, STEP, FINISH)           \
  do {                                                      \
    reduce_layout l;                                        \
    layout_init(p, &l);                                     \
    for (size_t o = o_begin; o < o_end; o++) {              \
      size_t idx[MOTE_MAX_RANK] = {0};                      \
      size_t off = base_of(p, &l, o);                       \
      ACC_T acc = INIT;                                     \
      for (size_t t = 0; t < l.red_count; t++) {            \
        const T v = x[off];                                 \
        STEP;                                               \
        off = advance(p, &l, idx, off);                     \
      }                                                     \
      y[o] = FINISH;                                        \
    }                                                       \
  } while (0)

void mote_ref_reduce_f32(const mote_reduce_params* p, const float* x, float* y, size_t o_begin, size_t o_end) {
  switch (p->kind) {
    case MOTE_REDUCE_SUM: REDUCE_LOOP(float, double, 0.0, acc += v, (float)acc); break;
    case MOTE_REDUCE_L2: REDUCE_LOOP(float, double, 0.0, acc += (double)v * v, (float)sqrt(acc)); break;
    case MOTE_REDUCE_PROD: REDUCE_LOOP(float, double, 1.0, acc *= v, (float)acc); break;
    // a nan, once taken, stays: no comparison with it is true
    case MOTE_REDUCE_MAX: REDUCE_LOOP(float, float, -INFINITY, if (v > acc || isnan(v)) acc = v, acc); break;
    case MOTE_REDUCE_MIN: REDUCE_LOOP(float, float, INFINITY, if (v < acc || isnan(v)) acc = v, acc); break;
  }
}

// integer sums and products in uint64: wrap-around without signed overflow
#define REDUCE_INT(T, TMIN, TMAX)                                                                   \
  switch (p->kind) {                                                                                \
    case MOTE_REDUCE_SUM: REDUCE_LOOP(T, uint64_t, 0, acc += (uint64_t)(int64_t)v, (T)acc); break;     \
    case MOTE_REDUCE_PROD: REDUCE_LOOP(T, uint64_t, 1, acc *= (uint64_t)(int64_t)v, (T)acc); break;    \
    case MOTE_REDUCE_MAX: REDUCE_LOOP(T, T, TMIN, if (v > acc) acc = v, acc); break;                   \
    case MOTE_REDUCE_MIN: REDUCE_LOOP(T, T, TMAX, if (v < acc) acc = v, acc); break;                   \
    case MOTE_REDUCE_L2: break; /* float only: prepare refuses */                                   \
  }

void mote_ref_reduce_i32(const mote_reduce_params* p, const int32_t* x, int32_t* y, size_t o_begin,
                         size_t o_end) {
  REDUCE_INT(int32_t, INT32_MIN, INT32_MAX)
}

void mote_ref_reduce_bool(const mote_reduce_params* p, const uint8_t* x, uint8_t* y, size_t o_begin,
                          size_t o_end) {
  if (p->kind == MOTE_REDUCE_MAX) REDUCE_LOOP(uint8_t, uint8_t, 0, acc |= v != 0, acc);  // any
  else if (p->kind == MOTE_REDUCE_MIN) REDUCE_LOOP(uint8_t, uint8_t, 1, acc &= v != 0, acc);  // all
}

void mote_ref_reduce_i64(const mote_reduce_params* p, const int64_t* x, int64_t* y, size_t o_begin,
                         size_t o_end) {
  REDUCE_INT(int64_t, INT64_MIN, INT64_MAX)
}

// ---- ARG_MAX / ARG_MIN ------------------------------------------------------

static inline int isnan_i(int64_t v) { return (void)v, 0; }

// nan wins over numbers (numpy); among equals the first, or the last with select_last
#define ARG_LOOP(T, ISNAN)                                                              \
  do {                                                                                  \
    const T* xs = x;                                                                    \
    for (size_t o = o_begin; o < o_end; o++) {                                          \
      const T* xr = xs + (o / p->inner) * p->axis * p->inner + o % p->inner;            \
      T best = xr[0];                                                                   \
      size_t bi = 0;                                                                    \
      for (size_t j = 1; j < p->axis; j++) {                                            \
        const T v = xr[j * p->inner];                                                   \
        int take;                                                                       \
        if (ISNAN(best)) take = p->select_last && ISNAN(v);                             \
        else if (ISNAN(v)) take = 1;                                                    \
        else take = (p->is_max ? v > best : v < best) || (p->select_last && v == best); \
        if (take) best = v, bi = j;                                                     \
      }                                                                                 \
      if (p->index64) ((int64_t*)y)[o] = (int64_t)bi;                                   \
      else ((int32_t*)y)[o] = (int32_t)bi;                                              \
    }                                                                                   \
  } while (0)

void mote_ref_arg_minmax(const mote_arg_params* p, const void* x, void* y, size_t o_begin, size_t o_end) {
  switch (p->dtype) {
    case MOTE_FLOAT32: ARG_LOOP(float, isnan); break;
    case MOTE_INT32: ARG_LOOP(int32_t, isnan_i); break;
    case MOTE_INT64: ARG_LOOP(int64_t, isnan_i); break;
    default: break;  // prepare accepts only these
  }
}

// ---- TOPK -------------------------------------------------------------------

// A heap of the k best positions seen so far, the worst at the root; then
// emptied from the back. Order: value (nan above +inf), ties by lower index.
#define DEFINE_TOPK(SUFFIX, T, ISNAN)                                                               \
  static inline int cmp_##SUFFIX(T a, T b) {                                                        \
    if (ISNAN(a)) return ISNAN(b) ? 0 : 1;                                                          \
    if (ISNAN(b)) return -1;                                                                        \
    return (a > b) - (a < b);                                                                       \
  }                                                                                                 \
  /* position i comes before position j in the output */                                           \
  static inline int before_##SUFFIX(const T* xr, size_t inner, int sign, int32_t i, int32_t j) {    \
    const int c = sign * cmp_##SUFFIX(xr[(size_t)i * inner], xr[(size_t)j * inner]);                \
    return c > 0 || (c == 0 && i < j);                                                              \
  }                                                                                                 \
  static void sift_down_##SUFFIX(const T* xr, size_t inner, int sign, int32_t* h, size_t n,         \
                                 size_t at) {                                                       \
    for (;;) {                                                                                      \
      size_t w = at, l = 2 * at + 1, r = l + 1;                                                     \
      if (l < n && before_##SUFFIX(xr, inner, sign, h[w], h[l])) w = l;                             \
      if (r < n && before_##SUFFIX(xr, inner, sign, h[w], h[r])) w = r;                             \
      if (w == at) return;                                                                          \
      const int32_t t = h[w];                                                                       \
      h[w] = h[at];                                                                                 \
      h[at] = t;                                                                                    \
      at = w;                                                                                       \
    }                                                                                               \
  }                                                                                                 \
  static void topk_##SUFFIX(const mote_topk_params* p, const T* x, T* values, void* indices,        \
                            int32_t* h, size_t r_begin, size_t r_end) {                             \
    const size_t inner = p->inner, n = p->axis, k = p->k;                                           \
    const int sign = p->largest ? 1 : -1;                                                           \
    for (size_t row = r_begin; row < r_end; row++) {                                                \
      const size_t o = row / inner, i = row % inner;                                                \
      const T* xr = x + o * n * inner + i;                                                          \
      for (size_t j = 0; j < k; j++) { /* sift up */                                                \
        size_t at = j;                                                                              \
        h[at] = (int32_t)j;                                                                         \
        while (at > 0 && before_##SUFFIX(xr, inner, sign, h[(at - 1) / 2], h[at])) {                \
          const int32_t t = h[at];                                                                  \
          h[at] = h[(at - 1) / 2];                                                                  \
          h[(at - 1) / 2] = t;                                                                      \
          at = (at - 1) / 2;                                                                        \
        }                                                                                           \
      }                                                                                             \
      for (size_t j = k; j < n && k > 0; j++) {                                                     \
        if (before_##SUFFIX(xr, inner, sign, (int32_t)j, h[0])) {                                   \
          h[0] = (int32_t)j;                                                                        \
          sift_down_##SUFFIX(xr, inner, sign, h, k, 0);                                             \
        }                                                                                           \
      }                                                                                             \
      const size_t out0 = o * k * inner + i;                                                        \
      for (size_t m = k; m-- > 0;) {                                                                \
        const int32_t j = h[0];                                                                     \
        values[out0 + m * inner] = xr[(size_t)j * inner];                                           \
        if (p->index64) ((int64_t*)indices)[out0 + m * inner] = j;                                  \
        else ((int32_t*)indices)[out0 + m * inner] = j;                                             \
        h[0] = h[m];                                                                                \
        sift_down_##SUFFIX(xr, inner, sign, h, m, 0);                                               \
      }                                                                                             \
    }                                                                                               \
  }

DEFINE_TOPK(f32, float, isnan)
DEFINE_TOPK(i32, int32_t, isnan_i)
DEFINE_TOPK(i64, int64_t, isnan_i)

void mote_ref_topk(const mote_topk_params* p, const void* x, void* values, void* indices, int32_t* heap,
                   size_t r_begin, size_t r_end) {
  switch (p->dtype) {
    case MOTE_FLOAT32: topk_f32(p, x, values, indices, heap, r_begin, r_end); break;
    case MOTE_INT32: topk_i32(p, x, values, indices, heap, r_begin, r_end); break;
    case MOTE_INT64: topk_i64(p, x, values, indices, heap, r_begin, r_end); break;
    default: break;  // prepare accepts only these
  }
}
