// Reference 2-D convolutions, NHWC, float32.
#include "ref/ref.h"
#include "ref/ref_common.h"

void mote_ref_conv2d_f32(const mote_conv2d_params* p, const float* x, const float* w, const float* bias,
                         float* y, size_t row_begin, size_t row_end) {
  const size_t cpg = (size_t)(p->in_c / p->groups);       // input channels per group
  const int32_t opg = p->out_c / p->groups;               // output channels per group
  const size_t w_oc_stride = (size_t)p->kernel_h * p->kernel_w * cpg;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t n = row / (size_t)p->out_h;
    const int32_t oh = (int32_t)(row % (size_t)p->out_h);
    const float* xn = x + n * p->in_h * p->in_w * p->in_c;
    float* yrow = y + row * p->out_w * p->out_c;
    for (int32_t ow = 0; ow < p->out_w; ow++) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      const int32_t iw0 = ow * p->stride_w - p->pad_left;
      float* yp = yrow + (size_t)ow * p->out_c;
      for (int32_t oc = 0; oc < p->out_c; oc++) {
        const size_t g = (size_t)(oc / opg);
        float acc = bias ? bias[oc] : 0.0f;
        for (int32_t kh = 0; kh < p->kernel_h; kh++) {
          const int32_t ih = ih0 + kh * p->dilation_h;
          if (ih < 0 || ih >= p->in_h) continue;
          for (int32_t kw = 0; kw < p->kernel_w; kw++) {
            const int32_t iw = iw0 + kw * p->dilation_w;
            if (iw < 0 || iw >= p->in_w) continue;
            const float* xp = xn + ((size_t)ih * p->in_w + iw) * p->in_c + g * cpg;
            const float* wp = w + oc * w_oc_stride + ((size_t)kh * p->kernel_w + kw) * cpg;
            for (size_t ic = 0; ic < cpg; ic++) acc += xp[ic] * wp[ic];
          }
        }
        yp[oc] = mote_clampf(acc, p->act_min, p->act_max);
      }
    }
  }
}

void mote_ref_depthwise_conv2d_f32(const mote_conv2d_params* p, const float* x, const float* w,
                                   const float* bias, float* y, size_t row_begin, size_t row_end) {
  const int32_t m = p->depth_multiplier;
  const size_t oc_n = (size_t)p->out_c;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t n = row / (size_t)p->out_h;
    const int32_t oh = (int32_t)(row % (size_t)p->out_h);
    const float* xn = x + n * p->in_h * p->in_w * p->in_c;
    float* yrow = y + row * p->out_w * oc_n;
    for (int32_t ow = 0; ow < p->out_w; ow++) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      const int32_t iw0 = ow * p->stride_w - p->pad_left;
      float* yp = yrow + (size_t)ow * oc_n;
      for (size_t oc = 0; oc < oc_n; oc++) yp[oc] = bias ? bias[oc] : 0.0f;
      // taps outer, channels inner: both x and w rows are contiguous
      for (int32_t kh = 0; kh < p->kernel_h; kh++) {
        const int32_t ih = ih0 + kh * p->dilation_h;
        if (ih < 0 || ih >= p->in_h) continue;
        for (int32_t kw = 0; kw < p->kernel_w; kw++) {
          const int32_t iw = iw0 + kw * p->dilation_w;
          if (iw < 0 || iw >= p->in_w) continue;
          const float* xp = xn + ((size_t)ih * p->in_w + iw) * p->in_c;
          const float* wp = w + ((size_t)kh * p->kernel_w + kw) * oc_n;
          for (int32_t c = 0; c < p->in_c; c++)
            for (int32_t j = 0; j < m; j++) yp[c * m + j] += xp[c] * wp[c * m + j];
        }
      }
      for (size_t oc = 0; oc < oc_n; oc++) yp[oc] = mote_clampf(yp[oc], p->act_min, p->act_max);
    }
  }
}
