// The int8 paths of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD/SUB, the 2-D pools, MEAN
// and SOFTMAX:
// each float op's prepare/eval hands over to these when its input is INT8
// (docs/quantization-format.md; kernels in ref/ref_quant.c).
#ifndef MOTE_OPS_Q8_OPS_H
#define MOTE_OPS_Q8_OPS_H

#include <stdbool.h>

#include "core/types.h"

mote_status mote_conv2d_q8_prepare(mote_context* ctx, mote_node* node, bool depthwise);
mote_status mote_conv2d_q8_eval(mote_context* ctx, mote_node* node, bool depthwise);
mote_status mote_fully_connected_q8_prepare(mote_context* ctx, mote_node* node);
mote_status mote_fully_connected_q8_eval(mote_context* ctx, mote_node* node);
mote_status mote_binary_q8_prepare(mote_context* ctx, mote_node* node);
mote_status mote_binary_q8_eval(mote_context* ctx, mote_node* node);
mote_status mote_pool2d_q8_prepare(mote_context* ctx, mote_node* node);
mote_status mote_pool2d_q8_eval(mote_context* ctx, mote_node* node);
mote_status mote_mean_q8_prepare(mote_context* ctx, mote_node* node);
mote_status mote_mean_q8_eval(mote_context* ctx, mote_node* node);
mote_status mote_softmax_q8_prepare(mote_context* ctx, mote_node* node);
mote_status mote_softmax_q8_eval(mote_context* ctx, mote_node* node);

static inline bool mote_is_q8_input(mote_context* ctx, const mote_node* node) {
  return node->num_inputs > 0 && node->inputs[0] >= 0 && ctx->tensors[node->inputs[0]].dtype == MOTE_INT8;
}

#endif  // MOTE_OPS_Q8_OPS_H
