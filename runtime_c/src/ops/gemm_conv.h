// CONV_2D and FULLY_CONNECTED on the f32 GEMM microkernels (configs/kernels.h):
// weights packed once at prepare into the kernel's layout (ukernels.h), then
// 1×1 stride-1 convolutions and FC read their input rows directly, other
// convolutions go through im2col in tiles of rows held in per-thread scratch.
#ifndef MOTE_OPS_GEMM_CONV_H
#define MOTE_OPS_GEMM_CONV_H

#include "configs/kernels.h"
#include "core/types.h"

typedef struct mote_gemm_plan {
  mote_f32_gemm_config gemm;
  size_t m, k, n;          // rows, depth, columns per group
  size_t groups;
  size_t tile_m;           // rows per im2col tile (0: direct, no im2col)
  size_t packed_group;     // floats of packed weights per group
  float* packed;           // groups * packed_group floats, inside the node's state block
  float act_min, act_max;
} mote_gemm_plan;

// floats the packed weights of `groups` groups of n columns at depth k take
size_t mote_gemm_packed_floats(const mote_f32_gemm_config* g, size_t groups, size_t n, size_t k);

// CONV_2D: fill `plan` (plan->packed must point at mote_gemm_packed_floats floats) and
// return the scratch bytes eval needs for `threads` threads.
size_t mote_gemm_conv_plan(const mote_conv2d_params* p, const float* w, const float* bias, int threads,
                           mote_gemm_plan* plan);
void mote_gemm_conv_run(mote_context* ctx, const mote_conv2d_params* p, const mote_gemm_plan* plan,
                        const float* x, float* y);

// FULLY_CONNECTED: x [m, k] · w [n, k]ᵀ + bias
void mote_gemm_fc_plan(size_t m, size_t k, size_t n, const float* w, const float* bias, float act_min,
                       float act_max, mote_gemm_plan* plan);
void mote_gemm_fc_run(mote_context* ctx, const mote_gemm_plan* plan, const float* x, float* y);

// BATCH_MATMUL without adj_a: each batch's right-hand side is packed per invoke into
// scratch (one slot per thread), then the GEMM runs over the rows of its left-hand side
size_t mote_gemm_bmm_scratch(const mote_f32_gemm_config* g, const mote_batch_matmul_params* p, int threads);
void mote_gemm_bmm_run(mote_context* ctx, const mote_f32_gemm_config* g, const mote_batch_matmul_params* p,
                       const float* a, const float* b, float* y);

#endif  // MOTE_OPS_GEMM_CONV_H
