// The parameters an op's prepare computed (shapes resolved, SAME padding computed), for
// delegates that run the op elsewhere and must agree with the CPU kernels exactly.
// NULL before prepare. Defined beside each op's prepare, which owns the node state layout.
#ifndef MOTE_OPS_OP_PARAMS_H
#define MOTE_OPS_OP_PARAMS_H

#include "core/types.h"
#include "ref/ref.h"
#include "ref/ref_nn.h"

const mote_conv2d_params* mote_op_conv2d_params(const mote_node* node);  // CONV_2D, DEPTHWISE_CONV_2D
const mote_pool2d_params* mote_op_pool2d_params(const mote_node* node);
const mote_mean_params* mote_op_mean_params(const mote_node* node);
const mote_softmax_params* mote_op_softmax_params(const mote_node* node);
const mote_pad_params* mote_op_pad_params(const mote_node* node);
const mote_transpose_params* mote_op_transpose_params(const mote_node* node);
const mote_batch_matmul_params* mote_op_batch_matmul_params(const mote_node* node);
// RESIZE: the params and the sampling tables, (out_h + out_w) * taps entries each, height first
const mote_resize_params* mote_op_resize_tables(const mote_node* node, const int32_t** index, const float** weight);

#endif  // MOTE_OPS_OP_PARAMS_H
