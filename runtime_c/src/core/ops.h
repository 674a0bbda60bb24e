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
  MOTE_OP_COUNT = 24
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
  mote_status (*prepare)(mote_context* ctx, mote_node* node);
  mote_status (*eval)(mote_context* ctx, mote_node* node);
  void (*free_data)(mote_context* ctx, mote_node* node);  // may be NULL
} mote_op_registration;

// NULL for an opcode outside [0, MOTE_OP_COUNT).
const mote_op_registration* mote_op_lookup(int32_t opcode);
const char* mote_op_name(int32_t opcode);

#endif  // MOTE_CORE_OPS_H
