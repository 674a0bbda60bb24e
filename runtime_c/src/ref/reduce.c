// Reference reductions, float32: mean and softmax. Sums are kept in double:
// cheap here and it makes the reference closer to the exact result.
#include <math.h>

#include "ref/ref.h"

void mote_ref_mean_f32(const mote_mean_params* p, const float* x, float* y) {
  size_t strides[MOTE_MAX_RANK];
  size_t s = 1;
  for (int32_t d = p->rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= p->dims[d];
  }
  int32_t kept[MOTE_MAX_RANK], red[MOTE_MAX_RANK];
  int32_t nk = 0, nr = 0;
  size_t out_count = 1, red_count = 1;
  for (int32_t d = 0; d < p->rank; d++) {
    if (p->reduce[d]) {
      red[nr++] = d;
      red_count *= p->dims[d];
    } else {
      kept[nk++] = d;
      out_count *= p->dims[d];
    }
  }
  for (size_t o = 0; o < out_count; o++) {
    // offset of output element o: its kept-dim indices, last dim fastest
    size_t base = 0, rest = o;
    for (int32_t i = nk - 1; i >= 0; i--) {
      const size_t d = (size_t)kept[i];
      base += (rest % p->dims[d]) * strides[d];
      rest /= p->dims[d];
    }
    double sum = 0.0;
    size_t idx[MOTE_MAX_RANK] = {0};
    size_t off = base;
    for (size_t t = 0; t < red_count; t++) {
      sum += x[off];
      for (int32_t i = nr - 1; i >= 0; i--) {
        const int32_t d = red[i];
        idx[i]++;
        off += strides[d];
        if (idx[i] < p->dims[d]) break;
        off -= idx[i] * strides[d];
        idx[i] = 0;
      }
    }
    // red_count == 0 gives nan, as numpy's mean of nothing
    y[o] = (float)(sum / (double)red_count);
  }
}

void mote_ref_mean_rows_f32(size_t outer, size_t red, size_t inner, const float* x, float* y, double* acc) {
  for (size_t o = 0; o < outer; o++) {
    const float* xo = x + o * red * inner;
    for (size_t i = 0; i < inner; i++) acc[i] = 0.0;
    for (size_t r = 0; r < red; r++) {
      const float* row = xo + r * inner;
      for (size_t i = 0; i < inner; i++) acc[i] += (double)row[i];
    }
    // red == 0 gives nan, as numpy's mean of nothing
    for (size_t i = 0; i < inner; i++) y[o * inner + i] = (float)(acc[i] / (double)red);
  }
}

void mote_ref_softmax_f32(const mote_softmax_params* p, const float* x, float* y) {
  const size_t len = p->axis, inner = p->inner;
  for (size_t o = 0; o < p->outer; o++) {
    for (size_t j = 0; j < inner; j++) {
      const float* xr = x + o * len * inner + j;
      float* yr = y + o * len * inner + j;
      // max of beta*x (not of x) keeps the exponents <= 0 for any sign of beta
      float mx = -INFINITY;
      for (size_t i = 0; i < len; i++) {
        const float v = p->beta * xr[i * inner];
        if (v > mx) mx = v;
      }
      double sum = 0.0;
      for (size_t i = 0; i < len; i++) {
        const float e = expf(p->beta * xr[i * inner] - mx);
        yr[i * inner] = e;
        sum += e;
      }
      const double inv = 1.0 / sum;
      for (size_t i = 0; i < len; i++) yr[i * inner] = (float)(yr[i * inner] * inv);
    }
  }
}
