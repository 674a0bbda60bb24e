// Reference strided copy and gather (ref_data2.h).
#include "ref/ref_data2.h"

#include <string.h>

void mote_strided_copy_simplify(mote_strided_copy_params* p) {
  int32_t n = 0;
  for (int32_t d = 0; d < p->rank; d++) {
    if (p->dims[d] == 0) {  // empty output: nothing is read
      p->rank = 1;
      p->dims[0] = 0;
      p->strides[0] = 1;
      return;
    }
  }
  for (int32_t d = 0; d < p->rank; d++) {
    const size_t dim = p->dims[d];
    const int64_t st = p->strides[d];
    if (dim == 1) continue;
    if (n > 0 && p->strides[n - 1] == st * (int64_t)dim) {
      p->dims[n - 1] *= dim;
      p->strides[n - 1] = st;
    } else {
      p->dims[n] = dim;
      p->strides[n] = st;
      n++;
    }
  }
  if (n == 0) {
    p->dims[0] = 1;
    p->strides[0] = 1;
    n = 1;
  }
  p->rank = n;
}

size_t mote_strided_copy_rows(const mote_strided_copy_params* p) {
  size_t rows = 1;
  for (int32_t d = 0; d < p->rank - 1; d++) rows *= p->dims[d];
  return rows;
}

#define COPY_ROW(T)                                                          \
  do {                                                                       \
    const T* xs = (const T*)(src + (size_t)off * es);                        \
    T* yd = (T*)dst;                                                         \
    for (size_t i = 0; i < inner; i++) yd[i] = xs[(ptrdiff_t)i * (ptrdiff_t)st]; \
  } while (0)

void mote_ref_strided_copy(const mote_strided_copy_params* p, const void* x, void* y, size_t row_begin,
                           size_t row_end) {
  const int32_t last = p->rank - 1;
  const size_t es = p->elem_size, inner = p->dims[last];
  const int64_t st = p->strides[last];
  if (inner == 0 || row_begin >= row_end) return;
  // odometer position of row_begin over the outer dims
  size_t idx[MOTE_STRIDED_MAX_RANK] = {0};
  int64_t off = p->offset;
  size_t rest = row_begin;
  for (int32_t d = last - 1; d >= 0; d--) {
    idx[d] = rest % p->dims[d];
    rest /= p->dims[d];
    off += (int64_t)idx[d] * p->strides[d];
  }
  const uint8_t* src_base = x;
  uint8_t* dst = (uint8_t*)y + row_begin * inner * es;
  for (size_t row = row_begin; row < row_end; row++, dst += inner * es) {
    const uint8_t* src = src_base;
    if (st == 1) {
      memcpy(dst, src + (size_t)off * es, inner * es);
    } else if (st == 0) {  // broadcast: one element repeated
      for (size_t i = 0; i < inner; i++) memcpy(dst + i * es, src + (size_t)off * es, es);
    } else {
      switch (es) {
        case 1: COPY_ROW(uint8_t); break;
        case 2: COPY_ROW(uint16_t); break;
        case 4: COPY_ROW(uint32_t); break;
        case 8: COPY_ROW(uint64_t); break;
        default:
          for (size_t i = 0; i < inner; i++)
            memcpy(dst + i * es, src + (size_t)(off + (int64_t)i * st) * es, es);
      }
    }
    for (int32_t d = last - 1; d >= 0; d--) {
      off += p->strides[d];
      if (++idx[d] < p->dims[d]) break;
      off -= (int64_t)idx[d] * p->strides[d];
      idx[d] = 0;
    }
  }
}

int64_t mote_ref_gather_index(const mote_gather_params* p, const void* indices, size_t i) {
  return p->index64 ? ((const int64_t*)indices)[i] : (int64_t)((const int32_t*)indices)[i];
}

size_t mote_ref_gather_find_bad(const mote_gather_params* p, const void* indices) {
  const int64_t n = (int64_t)p->axis_len;
  for (size_t i = 0; i < p->count; i++) {
    const int64_t v = mote_ref_gather_index(p, indices, i);
    if (v < -n || v >= n) return i;
  }
  return p->count;
}

void mote_ref_gather(const mote_gather_params* p, const void* x, const void* indices, void* y, size_t row_begin,
                     size_t row_end) {
  const size_t rb = p->inner_bytes;
  if (rb == 0) return;
  const uint8_t* src = x;
  uint8_t* dst = (uint8_t*)y + row_begin * rb;
  for (size_t row = row_begin; row < row_end; row++, dst += rb) {
    const size_t o = row / p->count, k = row % p->count;
    int64_t v = mote_ref_gather_index(p, indices, k);
    if (v < 0) v += (int64_t)p->axis_len;  // negative counts from the end
    memcpy(dst, src + (o * p->axis_len + (size_t)v) * rb, rb);
  }
}
