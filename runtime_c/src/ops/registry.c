// The op table, indexed by opcode (core/ops.h). Ops that share a family file
// share prepare/eval and switch on node->opcode.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/op_list.h"

#define OP(code, opts, fn, has_data) \
  [MOTE_OP_##code] = {#code, MOTE_OPTIONS_##opts, mote_op_##fn##_prepare, mote_op_##fn##_eval, \
                      has_data ? mote_op_free_user_data : NULL}

static const mote_op_registration g_ops[] = {
    OP(ADD, BINARY, binary, 1),
    OP(SUB, BINARY, binary, 1),
    OP(MUL, BINARY, binary, 1),
    OP(DIV, BINARY, binary, 1),
    OP(FULLY_CONNECTED, FULLY_CONNECTED, fully_connected, 1),
    OP(BATCH_MATMUL, BATCH_MATMUL, batch_matmul, 1),
    OP(CONV_2D, CONV2D, conv2d, 1),
    OP(DEPTHWISE_CONV_2D, CONV2D, depthwise_conv2d, 1),
    OP(MAX_POOL_2D, POOL2D, pool2d, 1),
    OP(AVERAGE_POOL_2D, POOL2D, pool2d, 1),
    OP(MEAN, REDUCE, mean, 1),
    OP(SOFTMAX, SOFTMAX, softmax, 1),
    OP(RESHAPE, RESHAPE, reshape, 0),
    OP(CONCATENATION, CONCATENATION, concatenation, 0),
    OP(PAD, PAD, pad, 1),
    OP(TRANSPOSE, TRANSPOSE, transpose, 1),
    OP(RELU, NONE, activation, 0),
    OP(RELU6, NONE, activation, 0),
    OP(CLIP, CLIP, activation, 0),
    OP(LEAKY_RELU, LEAKY_RELU, activation, 0),
    OP(LOGISTIC, NONE, activation, 0),
    OP(TANH, NONE, activation, 0),
    OP(HARD_SWISH, NONE, activation, 0),
    OP(GELU, GELU, activation, 0),
};

// a new opcode past the last entry fails here; a gap inside fails the registry test
_Static_assert(sizeof g_ops / sizeof g_ops[0] == MOTE_OP_COUNT, "op table must cover every opcode");

const mote_op_registration* mote_op_lookup(int32_t opcode) {
  if (opcode < 0 || opcode >= MOTE_OP_COUNT || !g_ops[opcode].prepare) return NULL;
  return &g_ops[opcode];
}

const char* mote_op_name(int32_t opcode) {
  const mote_op_registration* r = mote_op_lookup(opcode);
  return r && r->name ? r->name : "UNKNOWN";
}
