// The op registry: one enum (values equal the schema's OpCode), one table of
// registrations beside it (src/ops/registry.c), a static_assert on the count.
#ifndef MOTE_CORE_OPS_H
#define MOTE_CORE_OPS_H

#include "core/types.h"

typedef enum mote_opcode {
  MOTE_OP_ADD = 0,
  MOTE_OP_SUB = 1,
  MOTE_OP_MUL = 2,
  MOTE_OP_DIV = 3,
  MOTE_OP_FULLY_CONNECTED = 4,
  MOTE_OP_BATCH_MATMUL = 5,
  MOTE_OP_CONV_2D = 6,
  MOTE_OP_DEPTHWISE_CONV_2D = 7,
  MOTE_OP_MAX_POOL_2D = 8,
  MOTE_OP_AVERAGE_POOL_2D = 9,
  MOTE_OP_MEAN = 10,
  MOTE_OP_SOFTMAX = 11,
  MOTE_OP_RESHAPE = 12,
  MOTE_OP_CONCATENATION = 13,
  MOTE_OP_PAD = 14,
  MOTE_OP_TRANSPOSE = 15,
  MOTE_OP_RELU = 16,
  MOTE_OP_RELU6 = 17,
  MOTE_OP_CLIP = 18,
  MOTE_OP_LEAKY_RELU = 19,
  MOTE_OP_LOGISTIC = 20,
  MOTE_OP_TANH = 21,
  MOTE_OP_HARD_SWISH = 22,
  MOTE_OP_GELU = 23,
  MOTE_OP_EXP = 24,
  MOTE_OP_LOG = 25,
  MOTE_OP_SQRT = 26,
  MOTE_OP_RSQRT = 27,
  MOTE_OP_ABS = 28,
  MOTE_OP_NEG = 29,
  MOTE_OP_RECIPROCAL = 30,
  MOTE_OP_FLOOR = 31,
  MOTE_OP_CEIL = 32,
  MOTE_OP_ROUND = 33,
  MOTE_OP_ERF = 34,
  MOTE_OP_SOFTPLUS = 35,
  MOTE_OP_SWISH = 36,
  MOTE_OP_MISH = 37,
  MOTE_OP_HARD_SIGMOID = 38,
  MOTE_OP_SIN = 39,
  MOTE_OP_COS = 40,
  MOTE_OP_POW = 41,
  MOTE_OP_MINIMUM = 42,
  MOTE_OP_MAXIMUM = 43,
  MOTE_OP_PRELU = 44,
  MOTE_OP_EQUAL = 45,
  MOTE_OP_NOT_EQUAL = 46,
  MOTE_OP_LESS = 47,
  MOTE_OP_LESS_EQUAL = 48,
  MOTE_OP_GREATER = 49,
  MOTE_OP_GREATER_EQUAL = 50,
  MOTE_OP_LOGICAL_AND = 51,
  MOTE_OP_LOGICAL_OR = 52,
  MOTE_OP_LOGICAL_NOT = 53,
  MOTE_OP_WHERE = 54,
  MOTE_OP_CAST = 55,
  MOTE_OP_REDUCE_SUM = 56,
  MOTE_OP_REDUCE_MAX = 57,
  MOTE_OP_REDUCE_MIN = 58,
  MOTE_OP_REDUCE_PROD = 59,
  MOTE_OP_REDUCE_L2 = 60,
  MOTE_OP_ARG_MAX = 61,
  MOTE_OP_ARG_MIN = 62,
  MOTE_OP_SPLIT = 63,
  MOTE_OP_SLICE = 64,
  MOTE_OP_GATHER = 65,
  MOTE_OP_TILE = 66,
  MOTE_OP_BROADCAST_TO = 67,
  MOTE_OP_DEPTH_TO_SPACE = 68,
  MOTE_OP_SPACE_TO_DEPTH = 69,
  MOTE_OP_TOPK = 70,
  MOTE_OP_RESIZE = 71,
  MOTE_OP_TRANSPOSE_CONV_2D = 72,
  MOTE_OP_INSTANCE_NORM = 73,
  MOTE_OP_LAYER_NORM = 74,
  MOTE_OP_LSTM = 75,
  MOTE_OP_GRU = 76,
  MOTE_OP_QUANTIZE = 77,
  MOTE_OP_DEQUANTIZE = 78,
  MOTE_OP_COUNT = 79
} mote_opcode;

// An op is prepare/eval, like TFLite Micro's Prepare/Eval.
// prepare: runs once per interpreter after the graph is built. It must check
//   everything eval relies on (input count, dtypes, ranks, that the output
//   shapes stored in the model equal the shapes the op computes from its inputs
//   and options, options in range), so that eval can never index out of bounds
//   on any file. It may request scratch memory via node->scratch_size and
//   keep per-node state in node->user_data (freed by `free_data`).
// eval: computes outputs from inputs; no allocation, no failure for valid input.
typedef struct mote_op_registration {
  const char* name;                       // "CONV_2D"
  mote_options_type options_type;         // options this op expects (NONE if none)
  uint32_t optional_inputs;               // bit i set: input i may be absent (-1)
  mote_status (*prepare)(mote_context* ctx, mote_node* node);
  mote_status (*eval)(mote_context* ctx, mote_node* node);
  void (*free_data)(mote_context* ctx, mote_node* node);  // may be NULL
} mote_op_registration;

// NULL for an opcode outside [0, MOTE_OP_COUNT).
const mote_op_registration* mote_op_lookup(int32_t opcode);
const char* mote_op_name(int32_t opcode);
// the name of an op this build left out (selective build), NULL otherwise
const char* mote_op_excluded_name(int32_t opcode);

#endif  // MOTE_CORE_OPS_H
