// Reference 2-D pooling, NHWC, float32.
#include <math.h>

#include "ref/ref.h"
#include "ref/ref_common.h"

void mote_ref_max_pool2d_f32(const mote_pool2d_params* p, const float* x, float* y, size_t row_begin,
                             size_t row_end) {
  const size_t c_n = (size_t)p->c;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t n = row / (size_t)p->out_h;
    const int32_t oh = (int32_t)(row % (size_t)p->out_h);
    const float* xn = x + n * p->in_h * p->in_w * c_n;
    for (int32_t ow = 0; ow < p->out_w; ow++) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      const int32_t iw0 = ow * p->stride_w - p->pad_left;
      float* yp = y + (row * p->out_w + ow) * c_n;
      for (size_t c = 0; c < c_n; c++) yp[c] = -INFINITY;
      int taps = 0;
      for (int32_t kh = 0; kh < p->filter_h; kh++) {
        const int32_t ih = ih0 + kh * p->dilation_h;
        if (ih < 0 || ih >= p->in_h) continue;
        for (int32_t kw = 0; kw < p->filter_w; kw++) {
          const int32_t iw = iw0 + kw * p->dilation_w;
          if (iw < 0 || iw >= p->in_w) continue;
          const float* xp = xn + ((size_t)ih * p->in_w + iw) * c_n;
          // written so that a nan input wins, as in onnx runtime's max
          for (size_t c = 0; c < c_n; c++) yp[c] = xp[c] > yp[c] || xp[c] != xp[c] ? xp[c] : yp[c];
          taps++;
        }
      }
      // a window entirely in the padding has no value; write 0 rather than -inf
      for (size_t c = 0; c < c_n; c++) yp[c] = taps ? mote_clampf(yp[c], p->act_min, p->act_max) : 0.0f;
    }
  }
}

void mote_ref_avg_pool2d_f32(const mote_pool2d_params* p, const float* x, float* y, size_t row_begin,
                             size_t row_end) {
  const size_t c_n = (size_t)p->c;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t n = row / (size_t)p->out_h;
    const int32_t oh = (int32_t)(row % (size_t)p->out_h);
    const float* xn = x + n * p->in_h * p->in_w * c_n;
    for (int32_t ow = 0; ow < p->out_w; ow++) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      const int32_t iw0 = ow * p->stride_w - p->pad_left;
      float* yp = y + (row * p->out_w + ow) * c_n;
      for (size_t c = 0; c < c_n; c++) yp[c] = 0.0f;
      int32_t count = 0;  // taps inside the input, or inside the padded input
      for (int32_t kh = 0; kh < p->filter_h; kh++) {
        const int32_t ih = ih0 + kh * p->dilation_h;
        const bool h_in = ih >= 0 && ih < p->in_h;
        const bool h_padded = ih >= -p->pad_top && ih < p->in_h + p->pad_bottom;
        for (int32_t kw = 0; kw < p->filter_w; kw++) {
          const int32_t iw = iw0 + kw * p->dilation_w;
          const bool w_in = iw >= 0 && iw < p->in_w;
          const bool w_padded = iw >= -p->pad_left && iw < p->in_w + p->pad_right;
          if (p->count_include_pad ? (h_padded && w_padded) : (h_in && w_in)) count++;
          if (!h_in || !w_in) continue;
          const float* xp = xn + ((size_t)ih * p->in_w + iw) * c_n;
          for (size_t c = 0; c < c_n; c++) yp[c] += xp[c];
        }
      }
      const float div = count > 0 ? (float)count : 1.0f;  // no taps: the sum is 0
      for (size_t c = 0; c < c_n; c++) yp[c] = mote_clampf(yp[c] / div, p->act_min, p->act_max);
    }
  }
}
