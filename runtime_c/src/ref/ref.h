// Reference kernels: plain C, written for clarity, the ground truth that the
// SIMD microkernels are tested against. They take plain parameter structs (no
// model or node types), trust their parameters (ops' prepare checked them) and
// never allocate. Heavy kernels compute a slice [begin, end) of their output
// rows so that ops can split the work over threads.
#ifndef MOTE_REF_REF_H
#define MOTE_REF_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

// ---- convolution (conv.c) -------------------------------------------------

// x [n, in_h, in_w, in_c] NHWC; output [n, out_h, out_w, out_c].
// conv: w [out_c, kernel_h, kernel_w, in_c / groups] (OHWI).
// depthwise: w [1, kernel_h, kernel_w, in_c * depth_multiplier], out_c = in_c * m.
typedef struct mote_conv2d_params {
  int32_t n, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t groups;            // conv only
  int32_t depth_multiplier;  // depthwise only
  float act_min, act_max;    // fused activation (-inf, inf: none)
} mote_conv2d_params;

// rows: [row_begin, row_end) of the n * out_h output rows. bias may be NULL.
void mote_ref_conv2d_f32(const mote_conv2d_params* p, const float* x, const float* w, const float* bias,
                         float* y, size_t row_begin, size_t row_end);
void mote_ref_depthwise_conv2d_f32(const mote_conv2d_params* p, const float* x, const float* w,
                                   const float* bias, float* y, size_t row_begin, size_t row_end);

// ---- matrix products (gemm.c) ---------------------------------------------

// x [m, k], w [n, k] (one row per output feature), bias [n]?; y [m, n].
typedef struct mote_fully_connected_params {
  size_t m, k, n;
  float act_min, act_max;
} mote_fully_connected_params;

// computes y[m0:m1, n0:n1]
void mote_ref_fully_connected_f32(const mote_fully_connected_params* p, const float* x, const float* w,
                                  const float* bias, float* y, size_t m0, size_t m1, size_t n0, size_t n1);

// y[b] = op(a[b]) @ op(b[b]); a matrices are [m, k] ([k, m] if adj_a),
// b matrices [k, n] ([n, k] if adj_b). Batch dims broadcast through strides
// counted in matrices (0 where broadcast).
typedef struct mote_batch_matmul_params {
  size_t m, k, n;
  bool adj_a, adj_b;
  int32_t batch_rank;  // >= 1
  size_t batch_dims[MOTE_MAX_RANK];
  size_t a_batch_strides[MOTE_MAX_RANK];
  size_t b_batch_strides[MOTE_MAX_RANK];
} mote_batch_matmul_params;

// rows: [row_begin, row_end) of the batch * m output rows
void mote_ref_batch_matmul_f32(const mote_batch_matmul_params* p, const float* a, const float* b, float* y,
                               size_t row_begin, size_t row_end);

// ---- dynamic range (ref_hybrid.c) ------------------------------------------

// x [m, k] float · w [n, k] int8 symmetric (scale per output feature) + bias -> y [m, n]
typedef struct mote_fc_hybrid_params {
  size_t m, k, n;
  const float* w_scales;      // [n]
  const int32_t* w_row_sums;  // [n]: sum over k of w[j][k]
  float act_min, act_max;
} mote_fc_hybrid_params;

// one row to 8 bits, asymmetric, over its [min, max] widened to hold 0: the int8 codes
// of docs/quantization-format.md plus 128, as uint8 (zero_point likewise)
void mote_ref_quantize_row_u8(const float* x, size_t k, uint8_t* q, float* scale, int32_t* zero_point);
// rows [m0, m1) x columns [n0, n1) from rows quantized by mote_ref_quantize_row_i8
void mote_ref_fc_hybrid_f32(const mote_fc_hybrid_params* p, const uint8_t* xq, const float* x_scale,
                            const int32_t* x_zp, const int8_t* w, const float* bias, float* y, size_t m0, size_t m1,
                            size_t n0, size_t n1);

// ---- pooling (pool2d.c) ---------------------------------------------------

typedef struct mote_pool2d_params {
  int32_t n, in_h, in_w, c;
  int32_t out_h, out_w;
  int32_t filter_h, filter_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  bool count_include_pad;  // average: divide by the taps inside the padded input
  float act_min, act_max;
} mote_pool2d_params;

void mote_ref_max_pool2d_f32(const mote_pool2d_params* p, const float* x, float* y, size_t row_begin,
                             size_t row_end);
void mote_ref_avg_pool2d_f32(const mote_pool2d_params* p, const float* x, float* y, size_t row_begin,
                             size_t row_end);

// ---- elementwise (elementwise.c) ------------------------------------------

typedef enum { MOTE_BINARY_ADD, MOTE_BINARY_SUB, MOTE_BINARY_MUL, MOTE_BINARY_DIV } mote_binary_kind;

// output dims with per-operand element strides (0 where broadcast); rank >= 1
typedef struct mote_binary_params {
  mote_binary_kind kind;
  int32_t rank;
  size_t dims[MOTE_MAX_RANK];
  size_t a_strides[MOTE_MAX_RANK];
  size_t b_strides[MOTE_MAX_RANK];
  float act_min, act_max;
} mote_binary_params;

void mote_ref_binary_f32(const mote_binary_params* p, const float* a, const float* b, float* y);

typedef enum {
  MOTE_UNARY_RELU,
  MOTE_UNARY_RELU6,
  MOTE_UNARY_CLIP,        // min, max
  MOTE_UNARY_LEAKY_RELU,  // alpha
  MOTE_UNARY_LOGISTIC,
  MOTE_UNARY_TANH,
  MOTE_UNARY_HARD_SWISH,
  MOTE_UNARY_GELU,        // erf form
  MOTE_UNARY_GELU_TANH,   // tanh approximation
} mote_unary_kind;

typedef struct mote_unary_params {
  mote_unary_kind kind;
  float alpha, min, max;
} mote_unary_params;

// y may equal x (in place)
void mote_ref_unary_f32(const mote_unary_params* p, const float* x, float* y, size_t n);
void mote_ref_clamp_f32(float* y, size_t n, float lo, float hi);

// ---- reductions (reduce.c) ------------------------------------------------

// input viewed as `rank` dims (adjacent dims with the same flag may be merged);
// output holds the kept dims in order.
typedef struct mote_mean_params {
  int32_t rank;
  size_t dims[MOTE_MAX_RANK];
  bool reduce[MOTE_MAX_RANK];
} mote_mean_params;

// x viewed as [outer, red, inner]: y[o][i] = mean over r of x[o][r][i], read in memory
// order with `inner` double accumulators in acc (same sums as mote_ref_mean_f32)
void mote_ref_mean_rows_f32(size_t outer, size_t red, size_t inner, const float* x, float* y, double* acc);
void mote_ref_mean_f32(const mote_mean_params* p, const float* x, float* y);

// x viewed as [outer, axis, inner]; softmax along the middle dim
typedef struct mote_softmax_params {
  size_t outer, axis, inner;
  float beta;
} mote_softmax_params;

void mote_ref_softmax_f32(const mote_softmax_params* p, const float* x, float* y);

// ---- data movement, any dtype by element size (data.c) --------------------

typedef struct mote_pad_params {
  int32_t rank;
  size_t elem_size;  // 1..8
  size_t in_dims[MOTE_MAX_RANK];
  size_t out_dims[MOTE_MAX_RANK];
  size_t before[MOTE_MAX_RANK];
  int mode;          // 0 constant, 1 reflect (pads < dim), 2 edge (dim >= 1 where padded)
  uint8_t value[8];  // the constant, elem_size bytes
} mote_pad_params;

void mote_ref_pad(const mote_pad_params* p, const void* x, void* y);

// y[i0..] = x[sum i_d * in_strides[d]]: the output walked in order
typedef struct mote_transpose_params {
  int32_t rank;  // >= 1
  size_t elem_size;
  size_t out_dims[MOTE_MAX_RANK];
  size_t in_strides[MOTE_MAX_RANK];  // in elements
} mote_transpose_params;

void mote_ref_transpose(const mote_transpose_params* p, const void* x, void* y);

// copy `rows` rows of src_row bytes into dst rows of dst_row bytes (one concat input)
void mote_ref_concat_slot(size_t rows, const void* src, size_t src_row, void* dst, size_t dst_row);

#endif  // MOTE_REF_REF_H
