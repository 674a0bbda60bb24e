// Shared by the breadth family tests: a thread pool per thread count, run_op with the
// scratch buffer the interpreter would give, and a small deterministic RNG.
#ifndef MOTE_TESTS_OPS_FAMILY_RUN_H
#define MOTE_TESTS_OPS_FAMILY_RUN_H

#include <stdint.h>
#include <stdlib.h>

#include "core/threadpool.h"
#include "harness.h"
#include "ops/op_common.h"

#define I32(g, data, ...) add_tensor((g), MOTE_INT32, (data), DIMS(__VA_ARGS__))
#define I64(g, data, ...) add_tensor((g), MOTE_INT64, (data), DIMS(__VA_ARGS__))

static mote_threadpool* g_pool[5];

#define STRONG_OP(name)                                                   \
  mote_status mote_op_##name##_prepare(mote_context* ctx, mote_node* node); \
  mote_status mote_op_##name##_eval(mote_context* ctx, mote_node* node)
typedef mote_status (*op_fn)(mote_context*, mote_node*);

// run_op with the scratch buffer the interpreter would give (run_op has none)
static inline mote_status run_scratch(graph* g, int32_t opcode, const mote_op_options* opts, const int32_t* ins,
                               int32_t n_in, const int32_t* outs, int32_t n_out, int threads) {
  const mote_op_registration* reg = mote_op_lookup(opcode);
  if (!reg) return MOTE_ERROR_UNSUPPORTED;
  mote_node node = {.opcode = opcode, .name = "test", .num_inputs = n_in, .inputs = ins, .num_outputs = n_out,
                    .outputs = outs, .options = opts};
  mote_context ctx = {.tensors = g->t, .num_tensors = g->n, .pool = g_pool[threads], .num_threads = threads};
  mote_status st = reg->prepare(&ctx, &node);
  void* scratch = NULL;
  if (st == MOTE_OK && node.scratch_size) {
    scratch = calloc(1, node.scratch_size);
    ctx.scratch = scratch;
    ctx.scratch_size = node.scratch_size;
  }
  if (st == MOTE_OK) st = reg->eval(&ctx, &node);
  if (reg->free_data) reg->free_data(&ctx, &node);
  free(scratch);
  return st;
}

static unsigned g_seed = 12345;
static inline int32_t rnd(int32_t n) {  // [0, n)
  g_seed = g_seed * 1103515245u + 12345u;
  return (int32_t)((g_seed >> 8) % (unsigned)n);
}


#endif  // MOTE_TESTS_OPS_FAMILY_RUN_H
