// DEPTHWISE_CONV_2D driver over the f32 depthwise microkernels (dwconv_run.h).
#include "ops/dwconv_run.h"

#include <string.h>

#include "ops/op_common.h"

size_t mote_dwconv_plan_floats(const mote_f32_dwconv_config* dw, const mote_conv2d_params* p) {
  const size_t taps = (size_t)p->kernel_h * (size_t)p->kernel_w;
  return mote_f32_dwconv_packed_size((size_t)p->out_c, taps, dw->cb) + (size_t)p->in_c;
}

void mote_dwconv_plan_init(const mote_conv2d_params* p, const float* w, const float* bias, mote_dwconv_plan* plan) {
  const size_t taps = (size_t)p->kernel_h * (size_t)p->kernel_w, c = (size_t)p->out_c;
  mote_pack_f32_dwconv(c, taps, plan->dw.cb, w, bias, plan->packed);
  plan->zeros = plan->packed + mote_f32_dwconv_packed_size(c, taps, plan->dw.cb);
  memset(plan->zeros, 0, (size_t)p->in_c * sizeof(float));
}

typedef struct {
  const mote_conv2d_params* p;
  const mote_dwconv_plan* plan;
  const float* x;
  float* y;
} dw_job;

// output rows [begin, end) of the n * out_h rows
static void dw_rows(void* arg, size_t begin, size_t end) {
  const dw_job* j = arg;
  const mote_conv2d_params* p = j->p;
  const size_t c = (size_t)p->in_c, taps = (size_t)p->kernel_h * (size_t)p->kernel_w;
  const mote_f32_minmax_params mm = {p->act_min, p->act_max};
  const float* in[MOTE_DWCONV_MAX_TAPS];
  for (size_t row = begin; row < end; row++) {
    const size_t b = row / (size_t)p->out_h, oy = row % (size_t)p->out_h;
    const float* xb = j->x + b * (size_t)p->in_h * (size_t)p->in_w * c;
    float* yr = j->y + row * (size_t)p->out_w * c;
    for (int32_t ox = 0; ox < p->out_w; ox++) {
      size_t t = 0;
      for (int32_t ky = 0; ky < p->kernel_h; ky++) {
        const int64_t iy = (int64_t)oy * p->stride_h - p->pad_top + (int64_t)ky * p->dilation_h;
        for (int32_t kx = 0; kx < p->kernel_w; kx++, t++) {
          const int64_t ix = (int64_t)ox * p->stride_w - p->pad_left + (int64_t)kx * p->dilation_w;
          in[t] = iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w
                      ? j->plan->zeros
                      : xb + ((size_t)iy * (size_t)p->in_w + (size_t)ix) * c;
        }
      }
      j->plan->dw.fn(c, taps, in, j->plan->packed, yr + (size_t)ox * c, &mm);
    }
  }
}

void mote_dwconv_run(mote_context* ctx, const mote_conv2d_params* p, const mote_dwconv_plan* plan, const float* x,
                     float* y) {
  dw_job job = {p, plan, x, y};
  const size_t taps = (size_t)p->kernel_h * (size_t)p->kernel_w;
  mote_op_parallel(ctx, dw_rows, &job, (size_t)p->n * (size_t)p->out_h, (size_t)p->out_w * (size_t)p->out_c * taps);
}
