// Four dot products of one uint8 row with four int8 rows (the dynamic-range FC inner
// loop): out[r] = sum_i x[i] * w[r * w_stride + i]. Portable C.
#include "ukernels/ukernels.h"

void mote_qu8s8_dot4_ukernel__scalar(size_t k, const uint8_t* x, const int8_t* w, size_t w_stride, int32_t* out) {
  for (size_t r = 0; r < 4; r++) {
    const int8_t* wr = w + r * w_stride;
    int32_t acc = 0;
    for (size_t i = 0; i < k; i++) acc += (int32_t)x[i] * (int32_t)wr[i];
    out[r] = acc;
  }
}
