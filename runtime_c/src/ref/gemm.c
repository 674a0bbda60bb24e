// Reference matrix products, float32.
#include "ref/ref.h"
#include "ref/ref_common.h"

void mote_ref_fully_connected_f32(const mote_fully_connected_params* p, const float* x, const float* w,
                                  const float* bias, float* y, size_t m0, size_t m1, size_t n0, size_t n1) {
  for (size_t i = m0; i < m1; i++) {
    const float* xr = x + i * p->k;
    float* yr = y + i * p->n;
    for (size_t o = n0; o < n1; o++) {
      const float* wr = w + o * p->k;
      float acc = bias ? bias[o] : 0.0f;
      for (size_t j = 0; j < p->k; j++) acc += xr[j] * wr[j];
      yr[o] = mote_clampf(acc, p->act_min, p->act_max);
    }
  }
}

// matrix offsets (in matrices) of batch index `bi` for a and b
static void batch_offsets(const mote_batch_matmul_params* p, size_t bi, size_t* a_off, size_t* b_off) {
  size_t ao = 0, bo = 0;
  for (int32_t d = p->batch_rank - 1; d >= 0; d--) {
    const size_t i = bi % p->batch_dims[d];
    bi /= p->batch_dims[d];
    ao += i * p->a_batch_strides[d];
    bo += i * p->b_batch_strides[d];
  }
  *a_off = ao;
  *b_off = bo;
}

void mote_ref_batch_matmul_f32(const mote_batch_matmul_params* p, const float* a, const float* b, float* y,
                               size_t row_begin, size_t row_end) {
  const size_t m = p->m, k = p->k, n = p->n;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t bi = row / m, i = row % m;
    size_t ao, bo;
    batch_offsets(p, bi, &ao, &bo);
    const float* am = a + ao * m * k;
    const float* bm = b + bo * k * n;
    float* yr = y + row * n;
    if (p->adj_b) {
      // b is [n, k]: each output is a contiguous dot product
      for (size_t j = 0; j < n; j++) {
        float acc = 0.0f;
        for (size_t t = 0; t < k; t++) acc += (p->adj_a ? am[t * m + i] : am[i * k + t]) * bm[j * k + t];
        yr[j] = acc;
      }
    } else {
      // b is [k, n]: accumulate rows of b, same summation order (t ascending)
      for (size_t j = 0; j < n; j++) yr[j] = 0.0f;
      for (size_t t = 0; t < k; t++) {
        const float av = p->adj_a ? am[t * m + i] : am[i * k + t];
        const float* br = bm + t * n;
        for (size_t j = 0; j < n; j++) yr[j] += av * br[j];
      }
    }
  }
}
