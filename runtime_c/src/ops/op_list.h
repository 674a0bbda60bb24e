// prepare/eval of every op, for the registry table (registry.c).
#ifndef MOTE_OPS_OP_LIST_H
#define MOTE_OPS_OP_LIST_H

#include "core/types.h"

#define MOTE_DECLARE_OP(name)                                             \
  mote_status mote_op_##name##_prepare(mote_context* ctx, mote_node* node); \
  mote_status mote_op_##name##_eval(mote_context* ctx, mote_node* node)

MOTE_DECLARE_OP(binary);           // ADD, SUB, MUL, DIV
MOTE_DECLARE_OP(fully_connected);
MOTE_DECLARE_OP(batch_matmul);
MOTE_DECLARE_OP(conv2d);
MOTE_DECLARE_OP(depthwise_conv2d);
MOTE_DECLARE_OP(pool2d);           // MAX_POOL_2D, AVERAGE_POOL_2D
MOTE_DECLARE_OP(mean);
MOTE_DECLARE_OP(softmax);
MOTE_DECLARE_OP(reshape);
MOTE_DECLARE_OP(concatenation);
MOTE_DECLARE_OP(pad);
MOTE_DECLARE_OP(transpose);
MOTE_DECLARE_OP(activation);       // RELU .. GELU

#undef MOTE_DECLARE_OP

#endif  // MOTE_OPS_OP_LIST_H
