// Reference transposed 2-D convolution, NHWC float32. Written as a gather per
// output pixel (the input pixels whose scatter lands on it), so that output rows
// split over threads without write conflicts.
#include "ref/ref_common.h"
#include "ref/ref_nn.h"

// input index i with i * stride + k * dilation == o + pad, or -1
static int32_t source_index(int32_t o, int32_t k, int32_t stride, int32_t dilation, int32_t pad, int32_t in) {
  const int64_t t = (int64_t)o + pad - (int64_t)k * dilation;
  if (t < 0 || t % stride != 0) return -1;
  const int64_t i = t / stride;
  return i < in ? (int32_t)i : -1;
}

void mote_ref_transpose_conv2d_f32(const mote_transpose_conv2d_params* p, const float* x, const float* w,
                                   const float* bias, float* y, size_t row_begin, size_t row_end) {
  const size_t cpg = (size_t)(p->in_c / p->groups);  // input channels per group
  const int32_t opg = p->out_c / p->groups;          // output channels per group
  const size_t w_oc_stride = (size_t)p->kernel_h * p->kernel_w * cpg;
  for (size_t row = row_begin; row < row_end; row++) {
    const size_t n = row / (size_t)p->out_h;
    const int32_t oh = (int32_t)(row % (size_t)p->out_h);
    const float* xn = x + n * p->in_h * p->in_w * p->in_c;
    float* yrow = y + row * p->out_w * p->out_c;
    for (int32_t ow = 0; ow < p->out_w; ow++) {
      float* yp = yrow + (size_t)ow * p->out_c;
      for (int32_t oc = 0; oc < p->out_c; oc++) yp[oc] = bias ? bias[oc] : 0.0f;
      // taps outer (each found once per pixel), channels inner; per channel the sum runs bias, taps, inputs
      for (int32_t kh = 0; kh < p->kernel_h; kh++) {
        const int32_t ih = source_index(oh, kh, p->stride_h, p->dilation_h, p->pad_top, p->in_h);
        if (ih < 0) continue;
        for (int32_t kw = 0; kw < p->kernel_w; kw++) {
          const int32_t iw = source_index(ow, kw, p->stride_w, p->dilation_w, p->pad_left, p->in_w);
          if (iw < 0) continue;
          const float* xpix = xn + ((size_t)ih * p->in_w + iw) * p->in_c;
          const float* wtap = w + ((size_t)kh * p->kernel_w + kw) * cpg;
          for (int32_t oc = 0; oc < p->out_c; oc++) {
            const float* xp = xpix + (size_t)(oc / opg) * cpg;
            const float* wp = wtap + oc * w_oc_stride;
            float acc = yp[oc];
            for (size_t ic = 0; ic < cpg; ic++) acc += xp[ic] * wp[ic];
            yp[oc] = acc;
          }
        }
      }
      for (int32_t oc = 0; oc < p->out_c; oc++) yp[oc] = mote_clampf(yp[oc], p->act_min, p->act_max);
    }
  }
}
