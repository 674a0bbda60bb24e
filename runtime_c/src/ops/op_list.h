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

// Ops of the breadth work (issue 3), declared weak while they are being written:
// an op whose file is not in the build yet has a NULL entry, so mote_op_lookup
// reports its opcode as unsupported instead of the link failing.
// TODO(breadth): drop MOTE_WEAK once every op below is implemented.
#if defined(__GNUC__)
#define MOTE_WEAK __attribute__((weak))
#else
#define MOTE_WEAK
#endif
#define MOTE_DECLARE_WEAK_OP(name)                                                   \
  MOTE_WEAK mote_status mote_op_##name##_prepare(mote_context* ctx, mote_node* node); \
  MOTE_WEAK mote_status mote_op_##name##_eval(mote_context* ctx, mote_node* node)

MOTE_DECLARE_WEAK_OP(unary);            // EXP .. COS, HARD_SIGMOID (ops/unary.c)
MOTE_DECLARE_WEAK_OP(compare);          // EQUAL .. GREATER_EQUAL (ops/compare.c)
MOTE_DECLARE_WEAK_OP(logical);          // LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT (ops/logical.c)
MOTE_DECLARE_WEAK_OP(where);            // ops/where.c
MOTE_DECLARE_WEAK_OP(cast);             // ops/cast.c
MOTE_DECLARE_WEAK_OP(reduce);           // REDUCE_SUM .. REDUCE_L2 (ops/reduce.c)
MOTE_DECLARE_WEAK_OP(arg_minmax);       // ARG_MAX, ARG_MIN (ops/arg_minmax.c)
MOTE_DECLARE_WEAK_OP(split);            // ops/split.c
MOTE_DECLARE_WEAK_OP(slice);            // ops/slice.c
MOTE_DECLARE_WEAK_OP(gather);           // ops/gather.c
MOTE_DECLARE_WEAK_OP(tile);             // ops/tile.c
MOTE_DECLARE_WEAK_OP(broadcast_to);     // ops/broadcast_to.c
MOTE_DECLARE_WEAK_OP(depth_space);      // DEPTH_TO_SPACE, SPACE_TO_DEPTH (ops/depth_space.c)
MOTE_DECLARE_WEAK_OP(topk);             // ops/topk.c
MOTE_DECLARE_WEAK_OP(resize);           // ops/resize.c
MOTE_DECLARE_WEAK_OP(transpose_conv2d); // ops/transpose_conv2d.c
MOTE_DECLARE_WEAK_OP(instance_norm);    // ops/norm.c
MOTE_DECLARE_WEAK_OP(layer_norm);       // ops/norm.c
MOTE_DECLARE_WEAK_OP(lstm);             // ops/lstm.c
MOTE_DECLARE_WEAK_OP(gru);              // ops/gru.c

#undef MOTE_DECLARE_WEAK_OP

#undef MOTE_DECLARE_OP

#endif  // MOTE_OPS_OP_LIST_H
