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
typedef struct { float alpha, beta; } mote_hard_sigmoid_options;
typedef struct { int32_t axis; bool keep_dims, select_last_index; } mote_arg_options;
// at most MOTE_MAX_OUTPUTS sizes
#define MOTE_MAX_SPLITS 64
typedef struct { int32_t axis; int32_t num_sizes; int32_t sizes[MOTE_MAX_SPLITS]; } mote_split_options;
typedef struct {
  int32_t rank;  // entries in each array
  int32_t starts[MOTE_MAX_RANK], ends[MOTE_MAX_RANK], steps[MOTE_MAX_RANK];
} mote_slice_options;
typedef struct { int32_t axis; } mote_gather_options;
typedef struct { int32_t rank; int32_t multiples[MOTE_MAX_RANK]; } mote_tile_options;
// values equal the schema's DepthSpaceMode
typedef enum { MOTE_DEPTHSPACE_DCR = 0, MOTE_DEPTHSPACE_CRD = 1 } mote_depth_space_mode;
typedef struct { int32_t block_size; mote_depth_space_mode mode; } mote_depth_space_options;
typedef struct { int32_t k, axis; bool largest; } mote_topk_options;
// values equal the schema's ResizeMode, CoordinateTransform, NearestMode
typedef enum { MOTE_RESIZE_NEAREST = 0, MOTE_RESIZE_LINEAR = 1, MOTE_RESIZE_CUBIC = 2 } mote_resize_mode;
typedef enum {
  MOTE_COORD_HALF_PIXEL = 0,
  MOTE_COORD_ALIGN_CORNERS = 1,
  MOTE_COORD_ASYMMETRIC = 2,
  MOTE_COORD_PYTORCH_HALF_PIXEL = 3,
  MOTE_COORD_TF_HALF_PIXEL_FOR_NN = 4,
  MOTE_COORD_HALF_PIXEL_SYMMETRIC = 5
} mote_coordinate_transform;
typedef enum {
  MOTE_NEAREST_ROUND_PREFER_FLOOR = 0,
  MOTE_NEAREST_ROUND_PREFER_CEIL = 1,
  MOTE_NEAREST_FLOOR = 2,
  MOTE_NEAREST_CEIL = 3
} mote_nearest_mode;
typedef struct {
  mote_resize_mode mode;
  mote_coordinate_transform coordinate_transform;
  mote_nearest_mode nearest_mode;
  float cubic_coeff_a;
  bool exclude_outside;
  float extrapolation_value;
  float scale_h, scale_w;  // 0: out / in
} mote_resize_options;
typedef struct {
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t output_padding_h, output_padding_w;
  mote_activation activation;
} mote_transpose_conv2d_options;
typedef struct { int32_t axis; float epsilon; } mote_norm_options;
// values equal the schema's RnnDirection
typedef enum { MOTE_RNN_FORWARD = 0, MOTE_RNN_REVERSE = 1, MOTE_RNN_BIDIRECTIONAL = 2 } mote_rnn_direction;
typedef struct {
  int32_t hidden_size;
  mote_rnn_direction direction;
  float clip;  // 0: none
  bool linear_before_reset, input_forget;
} mote_rnn_options;

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
  MOTE_OPTIONS_HARD_SIGMOID = 15,
  MOTE_OPTIONS_ARG = 16,
  MOTE_OPTIONS_SPLIT = 17,
  MOTE_OPTIONS_SLICE = 18,
  MOTE_OPTIONS_GATHER = 19,
  MOTE_OPTIONS_TILE = 20,
  MOTE_OPTIONS_DEPTH_SPACE = 21,
  MOTE_OPTIONS_TOPK = 22,
  MOTE_OPTIONS_RESIZE = 23,
  MOTE_OPTIONS_TRANSPOSE_CONV2D = 24,
  MOTE_OPTIONS_NORM = 25,
  MOTE_OPTIONS_RNN = 26,
  MOTE_OPTIONS_COUNT = 27
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
    mote_hard_sigmoid_options hard_sigmoid;
    mote_arg_options arg;
    mote_split_options split;
    mote_slice_options slice;
    mote_gather_options gather;
    mote_tile_options tile;
    mote_depth_space_options depth_space;
    mote_topk_options topk;
    mote_resize_options resize;
    mote_transpose_conv2d_options transpose_conv2d;
    mote_norm_options norm;
    mote_rnn_options rnn;
  } u;
} mote_op_options;

#endif  // MOTE_CORE_OPTIONS_H
