// Reference INSTANCE_NORM and LAYER_NORM, float32: two passes (mean, then the
// mean of squared deviations) accumulated in double, so that the reference does
// not lose digits on large or offset inputs.
#include <math.h>

#include "ref/ref_nn.h"

// channels normalised together: a contiguous run of the channel-last rows
#define BLOCK 16

void mote_ref_instance_norm_f32(const mote_instance_norm_params* p, const float* x, const float* scale,
                                const float* bias, float* y, size_t begin, size_t end) {
  const size_t c = p->c, spatial = p->spatial;
  if (spatial == 0) return;
  for (size_t item = begin; item < end;) {
    const size_t n = item / c, c0 = item % c;
    size_t width = c - c0;
    if (width > BLOCK) width = BLOCK;
    if (width > end - item) width = end - item;
    const float* xn = x + n * spatial * c + c0;
    float* yn = y + n * spatial * c + c0;
    double mean[BLOCK] = {0}, var[BLOCK] = {0};
    for (size_t s = 0; s < spatial; s++)
      for (size_t k = 0; k < width; k++) mean[k] += xn[s * c + k];
    for (size_t k = 0; k < width; k++) mean[k] /= (double)spatial;
    for (size_t s = 0; s < spatial; s++)
      for (size_t k = 0; k < width; k++) {
        const double d = xn[s * c + k] - mean[k];
        var[k] += d * d;
      }
    double mul[BLOCK];
    for (size_t k = 0; k < width; k++) mul[k] = scale[c0 + k] / sqrt(var[k] / (double)spatial + p->epsilon);
    for (size_t s = 0; s < spatial; s++)
      for (size_t k = 0; k < width; k++)
        yn[s * c + k] = (float)((xn[s * c + k] - mean[k]) * mul[k] + bias[c0 + k]);
    item += width;
  }
}

void mote_ref_layer_norm_f32(const mote_layer_norm_params* p, const float* x, const float* scale,
                             const float* bias, float* y, size_t row_begin, size_t row_end) {
  const size_t inner = p->inner;
  if (inner == 0) return;
  for (size_t row = row_begin; row < row_end; row++) {
    const float* xr = x + row * inner;
    float* yr = y + row * inner;
    double mean = 0, var = 0;
    for (size_t i = 0; i < inner; i++) mean += xr[i];
    mean /= (double)inner;
    for (size_t i = 0; i < inner; i++) var += (xr[i] - mean) * (xr[i] - mean);
    const double inv = 1.0 / sqrt(var / (double)inner + p->epsilon);
    for (size_t i = 0; i < inner; i++)
      yr[i] = (float)((xr[i] - mean) * inv * scale[i] + (bias ? bias[i] : 0.0f));
  }
}
