// Memory-plan verification: tensors sharing arena bytes must not be live at the
// same time. Hand-made cases, then random graphs against a brute-force oracle.
#include <stdint.h>

#include "core/model.h"
#include "test_util.h"

#define MAX_T 24

// a model with tensor 0 as the only subgraph input; op k produces tensor k + 1
typedef struct {
  mote_model m;
  mote_tensor tensors[MAX_T];
  size_t offsets[MAX_T];
  mote_node nodes[MAX_T];
  int32_t node_inputs[MAX_T][2];
  int32_t node_outputs[MAX_T][1];
  int32_t inputs[1];
  int32_t outputs[2];
} graph;

static void init(graph* g, int num_ops) {
  memset(g, 0, sizeof *g);
  g->m.num_tensors = num_ops + 1;
  g->m.tensors = g->tensors;
  g->m.arena_offsets = g->offsets;
  g->m.num_nodes = num_ops;
  g->m.nodes = g->nodes;
  g->m.arena_size = SIZE_MAX / 4;
  g->inputs[0] = 0;
  g->m.inputs = g->inputs;
  g->m.num_inputs = 1;
  g->outputs[0] = num_ops;
  g->m.outputs = g->outputs;
  g->m.num_outputs = 1;
  for (int t = 0; t <= num_ops; t++) {
    g->tensors[t].name = "t";
    g->tensors[t].bytes = 64;
    g->offsets[t] = 64 * (size_t)t;
  }
  for (int k = 0; k < num_ops; k++) {
    g->nodes[k].name = "n";
    g->nodes[k].inputs = g->node_inputs[k];
    g->nodes[k].num_inputs = 1;
    g->node_inputs[k][0] = k;  // a chain by default
    g->nodes[k].outputs = g->node_outputs[k];
    g->nodes[k].num_outputs = 1;
    g->node_outputs[k][0] = k + 1;
  }
}

static void test_cases(void) {
  graph g;
  init(&g, 3);  // t0 -> t1 -> t2 -> t3, each in its own slot
  CHECK_OK(mote_model_verify_plan(&g.m));
  g.offsets[2] = 0;  // t2 reuses t0's slot: t0 died at op 0
  CHECK_OK(mote_model_verify_plan(&g.m));
  g.offsets[1] = 0;  // t1 on t0: op 0 reads t0 while writing t1
  CHECK_FAILS(mote_model_verify_plan(&g.m), MOTE_ERROR_INVALID_MODEL);
  CHECK(strstr(mote_last_error(), "tensors 0 ('t') and 1 ('t') share arena bytes [0,64)") != NULL);

  init(&g, 3);
  g.offsets[1] = 32;  // partial overlap with t0 [0,64)
  g.offsets[0] = 0;
  g.tensors[1].bytes = 64;
  CHECK_FAILS(mote_model_verify_plan(&g.m), MOTE_ERROR_INVALID_MODEL);
  CHECK(strstr(mote_last_error(), "[32,64)") != NULL);

  init(&g, 3);
  g.tensors[1].bytes = 0;  // empty tensors occupy nothing
  g.offsets[1] = 0;
  CHECK_OK(mote_model_verify_plan(&g.m));

  init(&g, 3);
  g.outputs[1] = 1;  // t1 is also a graph output: alive to the end
  g.m.num_outputs = 2;
  g.offsets[3] = 64;
  CHECK_FAILS(mote_model_verify_plan(&g.m), MOTE_ERROR_INVALID_MODEL);
  g.m.num_outputs = 1;
  CHECK_OK(mote_model_verify_plan(&g.m));

  init(&g, 3);
  g.node_inputs[2][0] = 0;  // op 2 reads the graph input again: t0 lives through op 2
  g.nodes[2].num_inputs = 1;
  g.offsets[2] = 0;
  CHECK_FAILS(mote_model_verify_plan(&g.m), MOTE_ERROR_INVALID_MODEL);
}

static uint32_t g_rng = 12345;
static uint32_t rnd(uint32_t n) {
  g_rng = g_rng * 1664525u + 1013904223u;
  return (g_rng >> 8) % n;
}

// brute force: every pair of non-empty tensors with overlapping bytes and lifetimes
static bool oracle_ok(const graph* g) {
  int32_t first[MAX_T], last[MAX_T];
  int n = g->m.num_tensors;
  for (int t = 0; t < n; t++) first[t] = last[t] = t - 1;  // tensor t is produced by op t - 1
  for (int k = 0; k < g->m.num_nodes; k++)
    for (int j = 0; j < g->nodes[k].num_inputs; j++)
      if (last[g->node_inputs[k][j]] < k) last[g->node_inputs[k][j]] = k;
  for (int i = 0; i < g->m.num_outputs; i++) last[g->outputs[i]] = g->m.num_nodes;
  for (int a = 0; a < n; a++)
    for (int b = a + 1; b < n; b++) {
      if (!g->tensors[a].bytes || !g->tensors[b].bytes) continue;
      bool bytes = g->offsets[a] < g->offsets[b] + g->tensors[b].bytes &&
                   g->offsets[b] < g->offsets[a] + g->tensors[a].bytes;
      bool time = first[a] <= last[b] && first[b] <= last[a];
      if (bytes && time) return false;
    }
  return true;
}

static void test_random(void) {
  int agree = 0, accepted = 0, rounds = 20000;
  for (int r = 0; r < rounds; r++) {
    graph g;
    int ops = 1 + (int)rnd(MAX_T - 1);
    init(&g, ops);
    for (int k = 0; k < ops; k++) {
      g.nodes[k].num_inputs = 1 + (int)rnd(2);
      for (int j = 0; j < g.nodes[k].num_inputs; j++) g.node_inputs[k][j] = (int32_t)rnd((uint32_t)k + 1);
    }
    if (rnd(3) == 0) {
      g.outputs[1] = (int32_t)rnd((uint32_t)ops + 1);
      g.m.num_outputs = 2;
    }
    for (int t = 0; t <= ops; t++) {
      g.tensors[t].bytes = rnd(8) == 0 ? 0 : 1 + rnd(200);
      g.offsets[t] = 64 * (size_t)rnd(6);
    }
    bool want = oracle_ok(&g);
    bool got = mote_model_verify_plan(&g.m) == MOTE_OK;
    agree += want == got;
    accepted += got;
  }
  CHECK(agree == rounds);
  CHECK(accepted > rounds / 50 && accepted < rounds - rounds / 50);  // both verdicts exercised
  printf("random plans: %d/%d agree with the oracle, %d accepted\n", agree, rounds, accepted);
}

int main(void) {
  test_cases();
  test_random();
  return test_summary();
}
