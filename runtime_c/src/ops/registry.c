// The op table, indexed by opcode (core/ops.h). Ops that share a family file
// share prepare/eval and switch on node->opcode.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/op_list.h"

// Selective builds (CMake -DMOTE_OPS=ops.txt, from `mote convert --emit-op-list`): the generated
// header sets MOTE_WANT_<OP> to 1 or 0 for every opcode; a 0 entry keeps only the name (for the
// error message) and references none of the op's code, which the linker then drops.
#ifdef MOTE_SELECTIVE_OPS
#include "mote_selected_ops.h"
#define WANT(code) MOTE_WANT_##code
#else
#define WANT(code) 1
#endif

// optional: bit i set when input i may be absent (-1)
#define OP(code, opts, fn, has_data, optional)                                                              \
  [MOTE_OP_##code] = {#code, MOTE_OPTIONS_##opts, optional, WANT(code) ? mote_op_##fn##_prepare : NULL,   \
                      WANT(code) ? mote_op_##fn##_eval : NULL,                                              \
                      WANT(code) && (has_data) ? mote_op_free_user_data : NULL}
#define BIAS (1u << 2)
// ONNX LSTM/GRU: B, sequence_lens, initial_h, initial_c, P (inputs 3..7)
#define RNN_OPTIONAL (0x1fu << 3)

static const mote_op_registration g_ops[] = {
    OP(ADD, BINARY, binary, 1, 0),
    OP(SUB, BINARY, binary, 1, 0),
    OP(MUL, BINARY, binary, 1, 0),
    OP(DIV, BINARY, binary, 1, 0),
    OP(FULLY_CONNECTED, FULLY_CONNECTED, fully_connected, 1, BIAS),
    OP(BATCH_MATMUL, BATCH_MATMUL, batch_matmul, 1, 0),
    OP(CONV_2D, CONV2D, conv2d, 1, BIAS),
    OP(DEPTHWISE_CONV_2D, CONV2D, depthwise_conv2d, 1, BIAS),
    OP(MAX_POOL_2D, POOL2D, pool2d, 1, 0),
    OP(AVERAGE_POOL_2D, POOL2D, pool2d, 1, 0),
    OP(MEAN, REDUCE, mean, 1, 0),
    OP(SOFTMAX, SOFTMAX, softmax, 1, 0),
    OP(RESHAPE, RESHAPE, reshape, 0, 0),
    OP(CONCATENATION, CONCATENATION, concatenation, 0, 0),
    OP(PAD, PAD, pad, 1, 0),
    OP(TRANSPOSE, TRANSPOSE, transpose, 1, 0),
    OP(RELU, NONE, activation, 1, 0),
    OP(RELU6, NONE, activation, 1, 0),
    OP(CLIP, CLIP, activation, 1, 0),
    OP(LEAKY_RELU, LEAKY_RELU, activation, 1, 0),
    OP(LOGISTIC, NONE, activation, 1, 0),
    OP(TANH, NONE, activation, 1, 0),
    OP(HARD_SWISH, NONE, activation, 1, 0),
    OP(GELU, GELU, activation, 1, 0),
    OP(EXP, NONE, unary, 1, 0),
    OP(LOG, NONE, unary, 1, 0),
    OP(SQRT, NONE, unary, 1, 0),
    OP(RSQRT, NONE, unary, 1, 0),
    OP(ABS, NONE, unary, 1, 0),
    OP(NEG, NONE, unary, 1, 0),
    OP(RECIPROCAL, NONE, unary, 1, 0),
    OP(FLOOR, NONE, unary, 1, 0),
    OP(CEIL, NONE, unary, 1, 0),
    OP(ROUND, NONE, unary, 1, 0),
    OP(ERF, NONE, unary, 1, 0),
    OP(SOFTPLUS, NONE, unary, 1, 0),
    OP(SWISH, NONE, unary, 1, 0),
    OP(MISH, NONE, unary, 1, 0),
    OP(HARD_SIGMOID, HARD_SIGMOID, unary, 1, 0),
    OP(SIN, NONE, unary, 1, 0),
    OP(COS, NONE, unary, 1, 0),
    OP(POW, BINARY, binary, 1, 0),
    OP(MINIMUM, BINARY, binary, 1, 0),
    OP(MAXIMUM, BINARY, binary, 1, 0),
    OP(PRELU, BINARY, binary, 1, 0),
    OP(EQUAL, NONE, compare, 1, 0),
    OP(NOT_EQUAL, NONE, compare, 1, 0),
    OP(LESS, NONE, compare, 1, 0),
    OP(LESS_EQUAL, NONE, compare, 1, 0),
    OP(GREATER, NONE, compare, 1, 0),
    OP(GREATER_EQUAL, NONE, compare, 1, 0),
    OP(LOGICAL_AND, NONE, logical, 1, 0),
    OP(LOGICAL_OR, NONE, logical, 1, 0),
    OP(LOGICAL_NOT, NONE, logical, 1, 0),
    OP(WHERE, NONE, where, 1, 0),
    OP(CAST, NONE, cast, 1, 0),
    OP(REDUCE_SUM, REDUCE, reduce, 1, 0),
    OP(REDUCE_MAX, REDUCE, reduce, 1, 0),
    OP(REDUCE_MIN, REDUCE, reduce, 1, 0),
    OP(REDUCE_PROD, REDUCE, reduce, 1, 0),
    OP(REDUCE_L2, REDUCE, reduce, 1, 0),
    OP(ARG_MAX, ARG, arg_minmax, 1, 0),
    OP(ARG_MIN, ARG, arg_minmax, 1, 0),
    OP(SPLIT, SPLIT, split, 1, 0),
    OP(SLICE, SLICE, slice, 1, 0),
    OP(GATHER, GATHER, gather, 1, 0),
    OP(TILE, TILE, tile, 1, 0),
    OP(BROADCAST_TO, NONE, broadcast_to, 1, 0),
    OP(DEPTH_TO_SPACE, DEPTH_SPACE, depth_space, 1, 0),
    OP(SPACE_TO_DEPTH, DEPTH_SPACE, depth_space, 1, 0),
    OP(TOPK, TOPK, topk, 1, 0),
    OP(RESIZE, RESIZE, resize, 1, 0),
    OP(TRANSPOSE_CONV_2D, TRANSPOSE_CONV2D, transpose_conv2d, 1, BIAS),
    OP(INSTANCE_NORM, NORM, instance_norm, 1, 0),
    OP(LAYER_NORM, NORM, layer_norm, 1, BIAS),
    OP(LSTM, RNN, lstm, 1, RNN_OPTIONAL),
    OP(GRU, RNN, gru, 1, RNN_OPTIONAL),
    OP(QUANTIZE, NONE, quantize, 1, 0),
    OP(DEQUANTIZE, NONE, quantize, 1, 0),
};

// a new opcode past the last entry fails here; a gap inside fails the registry test
_Static_assert(sizeof g_ops / sizeof g_ops[0] == MOTE_OP_COUNT, "op table must cover every opcode");

const mote_op_registration* mote_op_lookup(int32_t opcode) {
  if (opcode < 0 || opcode >= MOTE_OP_COUNT || !g_ops[opcode].prepare) return NULL;
  return &g_ops[opcode];
}

const char* mote_op_excluded_name(int32_t opcode) {
  if (opcode < 0 || opcode >= MOTE_OP_COUNT || g_ops[opcode].prepare || !g_ops[opcode].name) return NULL;
  return g_ops[opcode].name;
}

const char* mote_op_name(int32_t opcode) {
  const mote_op_registration* r = mote_op_lookup(opcode);
  return r && r->name ? r->name : "UNKNOWN";
}
