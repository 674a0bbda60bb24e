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

// breadth ops (issue 3)

MOTE_DECLARE_OP(unary);            // EXP .. COS, HARD_SIGMOID (ops/unary.c)
MOTE_DECLARE_OP(compare);          // EQUAL .. GREATER_EQUAL (ops/compare.c)
MOTE_DECLARE_OP(logical);          // LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT (ops/logical.c)
MOTE_DECLARE_OP(where);            // ops/where.c
MOTE_DECLARE_OP(cast);             // ops/cast.c
MOTE_DECLARE_OP(reduce);           // REDUCE_SUM .. REDUCE_L2 (ops/reduce.c)
MOTE_DECLARE_OP(arg_minmax);       // ARG_MAX, ARG_MIN (ops/arg_minmax.c)
MOTE_DECLARE_OP(split);            // ops/split.c
MOTE_DECLARE_OP(slice);            // ops/slice.c
MOTE_DECLARE_OP(gather);           // ops/gather.c
MOTE_DECLARE_OP(tile);             // ops/tile.c
MOTE_DECLARE_OP(broadcast_to);     // ops/broadcast_to.c
MOTE_DECLARE_OP(depth_space);      // DEPTH_TO_SPACE, SPACE_TO_DEPTH (ops/depth_space.c)
MOTE_DECLARE_OP(topk);             // ops/topk.c
MOTE_DECLARE_OP(resize);           // ops/resize.c
MOTE_DECLARE_OP(transpose_conv2d); // ops/transpose_conv2d.c
MOTE_DECLARE_OP(instance_norm);    // ops/norm.c
MOTE_DECLARE_OP(layer_norm);       // ops/norm.c
MOTE_DECLARE_OP(lstm);             // ops/lstm.c
MOTE_DECLARE_OP(gru);              // ops/gru.c
MOTE_DECLARE_OP(quantize);         // QUANTIZE, DEQUANTIZE (ops/quantize.c)


#undef MOTE_DECLARE_OP

#endif  // MOTE_OPS_OP_LIST_H
