// Reference data-movement kernels for any dtype (by element size): pad,
// transpose, concatenation.
#include <string.h>

#include "ref/ref.h"

// input index for output index o along one dim, or -1 for the constant
static long long pad_source(long long o, long long before, long long n, int mode) {
  long long i = o - before;
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 1:  // reflect, as numpy: no edge repeat (prepare ensured pads < n)
      if (i < 0) i = -i;
      if (i >= n) i = 2 * (n - 1) - i;
      return i;
    case 2:  // edge
      return i < 0 ? 0 : n - 1;
    default:
      return -1;
  }
}

static void fill(uint8_t* dst, size_t count, const uint8_t* value, size_t es) {
  for (size_t i = 0; i < count; i++) memcpy(dst + i * es, value, es);
}

void mote_ref_pad(const mote_pad_params* p, const void* x, void* y) {
  const size_t es = p->elem_size;
  const uint8_t* src = x;
  uint8_t* dst = y;
  if (p->rank == 0) {
    memcpy(dst, src, es);
    return;
  }
  const int32_t r = p->rank, last = r - 1;
  size_t in_strides[MOTE_MAX_RANK];
  size_t s = 1, rows = 1;
  for (int32_t d = r - 1; d >= 0; d--) {
    in_strides[d] = s;
    s *= p->in_dims[d];
  }
  for (int32_t d = 0; d < last; d++) rows *= p->out_dims[d];
  const size_t out_w = p->out_dims[last], in_w = p->in_dims[last], before_w = p->before[last];
  size_t idx[MOTE_MAX_RANK] = {0};
  for (size_t row = 0; row < rows; row++) {
    uint8_t* yr = dst + row * out_w * es;
    // source row of this output row, or none (constant padding)
    long long off = 0;
    for (int32_t d = 0; d < last && off >= 0; d++) {
      const long long i = pad_source((long long)idx[d], (long long)p->before[d], (long long)p->in_dims[d], p->mode);
      off = i < 0 ? -1 : off + i * (long long)in_strides[d];
    }
    if (off < 0) {
      fill(yr, out_w, p->value, es);
    } else {
      const uint8_t* xr = src + (size_t)off * es;
      for (size_t o = 0; o < out_w; o++) {
        if (o == before_w && in_w > 0) {  // the middle is one copy
          memcpy(yr + o * es, xr, in_w * es);
          o += in_w - 1;
          continue;
        }
        const long long i = pad_source((long long)o, (long long)before_w, (long long)in_w, p->mode);
        if (i < 0) memcpy(yr + o * es, p->value, es);
        else memcpy(yr + o * es, xr + (size_t)i * es, es);
      }
    }
    for (int32_t d = last - 1; d >= 0; d--) {
      if (++idx[d] < p->out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

#define TRANSPOSE_ROWS(T)                                                      \
  do {                                                                         \
    const T* xs = x;                                                           \
    T* yd = y;                                                                 \
    for (size_t row = 0; row < rows; row++) {                                  \
      const T* xr = xs + off;                                                  \
      T* yr = yd + row * inner;                                                \
      for (size_t i = 0; i < inner; i++) yr[i] = xr[i * stride];               \
      for (int32_t d = r - 2; d >= 0; d--) {                                   \
        idx[d]++;                                                              \
        off += p->in_strides[d];                                               \
        if (idx[d] < p->out_dims[d]) break;                                    \
        off -= idx[d] * p->in_strides[d];                                      \
        idx[d] = 0;                                                            \
      }                                                                        \
    }                                                                          \
  } while (0)

void mote_ref_transpose(const mote_transpose_params* p, const void* x, void* y) {
  const int32_t r = p->rank;
  const size_t inner = p->out_dims[r - 1], stride = p->in_strides[r - 1];
  size_t rows = 1;
  for (int32_t d = 0; d < r - 1; d++) rows *= p->out_dims[d];
  if (rows == 0 || inner == 0) return;
  size_t idx[MOTE_MAX_RANK] = {0};
  size_t off = 0;
  switch (p->elem_size) {
    case 1: TRANSPOSE_ROWS(uint8_t); break;
    case 2: TRANSPOSE_ROWS(uint16_t); break;
    case 4: TRANSPOSE_ROWS(uint32_t); break;
    case 8: TRANSPOSE_ROWS(uint64_t); break;
    default: break;  // prepare accepts only these sizes
  }
}

void mote_ref_concat_slot(size_t rows, const void* src, size_t src_row, void* dst, size_t dst_row) {
  const uint8_t* s = src;
  uint8_t* d = dst;
  for (size_t i = 0; i < rows; i++) memcpy(d + i * dst_row, s + i * src_row, src_row);
}
