// Weight packing for the f32 GEMM microkernels (layout: ukernels.h). Runs once per
// interpreter at prepare, so it is written for clarity.
#include <assert.h>
#include <string.h>

#include "ukernels/ukernels.h"

void mote_pack_f32_gemm_goi(size_t nc, size_t kc, size_t nr, const float* w, const float* bias, float* packed) {
  assert(nr > 0);
  for (size_t n0 = 0; n0 < nc; n0 += nr) {
    const size_t nb = nc - n0 < nr ? nc - n0 : nr;
    for (size_t j = 0; j < nr; j++) *packed++ = j < nb && bias ? bias[n0 + j] : 0.0f;
    for (size_t k = 0; k < kc; k++) {
      for (size_t j = 0; j < nr; j++) *packed++ = j < nb ? w[(n0 + j) * kc + k] : 0.0f;
    }
  }
}

void mote_pack_f32_gemm_kn(size_t nc, size_t kc, size_t nr, const float* w, const float* bias, float* packed) {
  assert(nr > 0);
  for (size_t n0 = 0; n0 < nc; n0 += nr) {
    const size_t nb = nc - n0 < nr ? nc - n0 : nr;
    for (size_t j = 0; j < nr; j++) *packed++ = j < nb && bias ? bias[n0 + j] : 0.0f;
    for (size_t k = 0; k < kc; k++) {
      memcpy(packed, w + k * nc + n0, nb * sizeof(float));
      for (size_t j = nb; j < nr; j++) packed[j] = 0.0f;
      packed += nr;
    }
  }
}
