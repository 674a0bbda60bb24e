// Parsed, verified operator options: one C struct per schema options table.
// The loader (model_reader.c) fills these from the file; ops read them only.
#ifndef MOTE_CORE_OPTIONS_H
#define MOTE_CORE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "mote/mote.h"

// values equal the schema's Activation enum
typedef enum { MOTE_ACT_NONE = 0, MOTE_ACT_RELU = 1, MOTE_ACT_RELU6 = 2 } mote_activation;
// values equal the schema's Padding enum
typedef enum {
  MOTE_PAD_EXPLICIT = 0,
  MOTE_PAD_SAME_UPPER = 1,
  MOTE_PAD_SAME_LOWER = 2,
  MOTE_PAD_VALID = 3
} mote_padding;
// values equal the schema's PadMode enum
typedef enum { MOTE_PADMODE_CONSTANT = 0, MOTE_PADMODE_REFLECT = 1, MOTE_PADMODE_EDGE = 2 } mote_pad_mode;

typedef struct { mote_activation activation; } mote_binary_options;
typedef struct { mote_activation activation; } mote_fully_connected_options;
typedef struct { bool adj_a, adj_b; } mote_batch_matmul_options;
typedef struct {
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  mote_padding padding;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t depth_multiplier;
  mote_activation activation;
} mote_conv2d_options;
typedef struct {
  int32_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w;
  mote_padding padding;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  bool ceil_mode, count_include_pad;
  mote_activation activation;
} mote_pool2d_options;
typedef struct { int32_t num_axes; int32_t axes[MOTE_MAX_RANK]; bool keep_dims; } mote_reduce_options;
typedef struct { int32_t axis; float beta; } mote_softmax_options;
typedef struct { int32_t rank; int32_t new_shape[MOTE_MAX_RANK]; } mote_reshape_options;
typedef struct { int32_t axis; mote_activation activation; } mote_concatenation_options;
typedef struct {
  int32_t num_pads;  // 2 * rank
  int32_t pads[2 * MOTE_MAX_RANK];
  mote_pad_mode mode;
  float value;
} mote_pad_options;
typedef struct { int32_t rank; int32_t perm[MOTE_MAX_RANK]; } mote_transpose_options;
typedef struct { float min, max; } mote_clip_options;
typedef struct { float alpha; } mote_leaky_relu_options;
typedef struct { bool approximate; } mote_gelu_options;

// Which member of mote_op_options is set; values equal the schema's OpOptions union type.
typedef enum {
  MOTE_OPTIONS_NONE = 0,
  MOTE_OPTIONS_BINARY = 1,
  MOTE_OPTIONS_FULLY_CONNECTED = 2,
  MOTE_OPTIONS_BATCH_MATMUL = 3,
  MOTE_OPTIONS_CONV2D = 4,
  MOTE_OPTIONS_POOL2D = 5,
  MOTE_OPTIONS_REDUCE = 6,
  MOTE_OPTIONS_SOFTMAX = 7,
  MOTE_OPTIONS_RESHAPE = 8,
  MOTE_OPTIONS_CONCATENATION = 9,
  MOTE_OPTIONS_PAD = 10,
  MOTE_OPTIONS_TRANSPOSE = 11,
  MOTE_OPTIONS_CLIP = 12,
  MOTE_OPTIONS_LEAKY_RELU = 13,
  MOTE_OPTIONS_GELU = 14,
  MOTE_OPTIONS_COUNT = 15
} mote_options_type;

typedef struct mote_op_options {
  mote_options_type type;
  union {
    mote_binary_options binary;
    mote_fully_connected_options fully_connected;
    mote_batch_matmul_options batch_matmul;
    mote_conv2d_options conv2d;
    mote_pool2d_options pool2d;
    mote_reduce_options reduce;
    mote_softmax_options softmax;
    mote_reshape_options reshape;
    mote_concatenation_options concatenation;
    mote_pad_options pad;
    mote_transpose_options transpose;
    mote_clip_options clip;
    mote_leaky_relu_options leaky_relu;
    mote_gelu_options gelu;
  } u;
} mote_op_options;

#endif  // MOTE_CORE_OPTIONS_H
