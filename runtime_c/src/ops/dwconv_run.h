// DEPTHWISE_CONV_2D (depth multiplier 1, constant weights) on the f32 depthwise
// microkernels: weights packed once at prepare; for each output pixel the driver
// points each tap at its input pixel (or at a row of zeros in the padding).
#ifndef MOTE_OPS_DWCONV_RUN_H
#define MOTE_OPS_DWCONV_RUN_H

#include "configs/kernels.h"
#include "core/types.h"

// more taps than this (a kernel larger than 8x8) stays on the reference kernel
#define MOTE_DWCONV_MAX_TAPS 64

typedef struct mote_dwconv_plan {
  mote_f32_dwconv_config dw;
  float* packed;   // mote_f32_dwconv_packed_size(C, taps, cb) floats
  float* zeros;    // C floats of zeros (the padding row)
} mote_dwconv_plan;

// floats the plan needs after the state block: packed weights, then the zero row
size_t mote_dwconv_plan_floats(const mote_f32_dwconv_config* dw, const mote_conv2d_params* p);
void mote_dwconv_plan_init(const mote_conv2d_params* p, const float* w, const float* bias, mote_dwconv_plan* plan);
void mote_dwconv_run(mote_context* ctx, const mote_conv2d_params* p, const mote_dwconv_plan* plan, const float* x,
                     float* y);

#endif  // MOTE_OPS_DWCONV_RUN_H
