// Winograd F(2x2, 3x3) for 3x3 stride-1 undilated single-group CONV_2D (winograd.c):
// weights transformed and packed at prepare into 16 GEMM right-hand sides.
#ifndef MOTE_OPS_WINOGRAD_H
#define MOTE_OPS_WINOGRAD_H

#include <stdbool.h>

#include "configs/kernels.h"
#include "core/types.h"

typedef struct mote_winograd_plan {
  mote_f32_gemm_config gemm;
  float* packed;            // 16 x packed_pos floats
  size_t packed_pos;        // floats per position
  const float* bias;        // may be NULL
  size_t tiles_h, tiles_w;  // 2x2 output tiles per image
} mote_winograd_plan;

// a 3x3 stride-1 undilated conv with groups 1 and at least 16 channels in and out
bool mote_winograd_applies(const mote_conv2d_params* p);
size_t mote_winograd_packed_floats(const mote_f32_gemm_config* g, const mote_conv2d_params* p);
// transform + pack (tmp: out_c * in_c floats of working space); returns the scratch bytes eval needs
size_t mote_winograd_prepare(const mote_conv2d_params* p, const float* w, const float* bias, int threads, float* tmp,
                          mote_winograd_plan* plan);
void mote_winograd_run(mote_context* ctx, const mote_conv2d_params* p, const mote_winograd_plan* plan,
                       const float* x, float* y);

#endif  // MOTE_OPS_WINOGRAD_H
