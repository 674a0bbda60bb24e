// Reference INSTANCE_NORM and LAYER_NORM, float32: mean, then the mean of squared
// deviations (two passes accumulated in double, so that large or offset inputs lose
// no digits), then an output pass in float.
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
    // the output pass in float: x - mean is exact-ish near the mean, so little is lost
    float mean_f[BLOCK], mul[BLOCK];
    for (size_t k = 0; k < width; k++) {
      mean_f[k] = (float)mean[k];
      mul[k] = (float)(scale[c0 + k] / sqrt(var[k] / (double)spatial + p->epsilon));
    }
    for (size_t s = 0; s < spatial; s++)
      for (size_t k = 0; k < width; k++) yn[s * c + k] = (xn[s * c + k] - mean_f[k]) * mul[k] + bias[c0 + k];
    item += width;
  }
}

// Σ x and Σ (x - mean)², each in four double chains (a single chain is bound by the add latency)
static double sum(const float* x, size_t n) {
  double a[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t k = 0; k < 4; k++) a[k] += x[i + k];
  for (; i < n; i++) a[0] += x[i];
  return (a[0] + a[1]) + (a[2] + a[3]);
}

static double sum_sq_dev(const float* x, size_t n, double mean) {
  double a[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t k = 0; k < 4; k++) a[k] += (x[i + k] - mean) * (x[i + k] - mean);
  for (; i < n; i++) a[0] += (x[i] - mean) * (x[i] - mean);
  return (a[0] + a[1]) + (a[2] + a[3]);
}

void mote_ref_layer_norm_f32(const mote_layer_norm_params* p, const float* x, const float* scale,
                             const float* bias, float* y, size_t row_begin, size_t row_end) {
  const size_t inner = p->inner;
  if (inner == 0) return;
  for (size_t row = row_begin; row < row_end; row++) {
    const float* xr = x + row * inner;
    float* yr = y + row * inner;
    const double mean = sum(xr, inner) / (double)inner;
    const double var = sum_sq_dev(xr, inner, mean) / (double)inner;
    // the output pass in float, as in INSTANCE_NORM
    const float inv = (float)(1.0 / sqrt(var + p->epsilon)), mean_f = (float)mean;
    for (size_t i = 0; i < inner; i++) yr[i] = (xr[i] - mean_f) * inv * scale[i] + (bias ? bias[i] : 0.0f);
  }
}
