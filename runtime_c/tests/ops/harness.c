// The golden runner's implementation (harness.h), linked into every op test executable.
#include <stdlib.h>

#include "harness.h"
#include "ops/op_common.h"

int g_failures, g_checks;
static mote_threadpool* g_pools[5];

int32_t add_tensor(graph* g, mote_dtype dtype, void* data, const int32_t* dims, int32_t rank) {
  mote_tensor* t = &g->t[g->n];
  memset(t, 0, sizeof *t);
  t->name = "t";
  t->dtype = dtype;
  t->rank = rank;
  t->num_elements = 1;
  for (int32_t d = 0; d < rank; d++) {
    t->dims[d] = dims[d];
    t->num_elements *= (size_t)dims[d];
  }
  t->bytes = t->num_elements * mote_dtype_size(dtype);
  t->data = data;
  t->quant_axis = -1;
  return g->n++;
}

mote_status run_op(graph* g, int32_t opcode, const mote_op_options* opts, const int32_t* ins, int32_t n_in,
                   const int32_t* outs, int32_t n_out, int threads) {
  const mote_op_registration* reg = mote_op_lookup(opcode);
  if (!reg) return MOTE_ERROR_UNSUPPORTED;
  // opts NULL: the op's own defaults (which equal the schema's, as the loader fills them)
  mote_node node = {.opcode = opcode, .name = "test", .num_inputs = n_in, .inputs = ins, .num_outputs = n_out,
                    .outputs = outs, .options = opts};
  mote_context ctx = {.tensors = g->t, .num_tensors = g->n, .pool = g_pools[threads], .num_threads = threads};
  mote_status st = reg->prepare(&ctx, &node);
  if (st == MOTE_OK) st = reg->eval(&ctx, &node);
  if (reg->free_data) reg->free_data(&ctx, &node);
  return st;
}

int close_f32(const float* got, const float* want, size_t n, float atol, float rtol, int line) {
  for (size_t i = 0; i < n; i++) {
    const float tol = atol + rtol * fabsf(want[i]);
    if (!(fabsf(got[i] - want[i]) <= tol) && !(isnan(got[i]) && isnan(want[i]))) {
      fprintf(stderr, "line %d: element %zu: got %.9g, want %.9g\n", line, i, (double)got[i], (double)want[i]);
      return 0;
    }
  }
  return 1;
}

void fill_random(float* x, size_t n, unsigned seed) {
  unsigned s = seed * 2654435761u + 1u;
  for (size_t i = 0; i < n; i++) {
    s = s * 1103515245u + 12345u;
    x[i] = (float)((s >> 8) & 0xffff) / 32768.0f - 1.0f;
  }
}

int harness_init(void) {
  for (int t = 1; t < 5; t++) {
    g_pools[t] = mote_threadpool_create(t);
    if (!g_pools[t]) {
      fprintf(stderr, "threadpool_create(%d) failed\n", t);
      return 0;
    }
  }
  mote_op_min_task_cost = 1;  // tiny test shapes still take the threaded paths
  return 1;
}

int harness_finish(void) {
  for (int t = 1; t < 5; t++) mote_threadpool_destroy(g_pools[t]);
  printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures ? 1 : 0;
}
