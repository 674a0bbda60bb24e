// Delegate partitioning with a test delegate that runs the ops it claims through
// the normal registrations and counts what the interpreter asks of it.
#include "core/interpreter_internal.h"
#include "core/ops.h"
#include "test_util.h"

typedef struct {
  bool claim[MOTE_OP_COUNT];
  bool fail_prepare;
  int supports_calls, prepares, invokes, frees, nodes_run;
  int32_t firsts[8], counts[8];
} test_delegate;

static bool td_supports(mote_delegate* d, mote_context* ctx, const mote_node* node) {
  (void)ctx;
  test_delegate* t = d->impl;
  t->supports_calls++;
  return node->opcode >= 0 && node->opcode < MOTE_OP_COUNT && t->claim[node->opcode];
}

static int g_state_token;

static mote_status td_prepare(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  (void)ctx;
  (void)nodes;
  test_delegate* t = d->impl;
  if (t->fail_prepare) return mote_error(MOTE_ERROR_UNSUPPORTED, "test delegate refuses");
  if (t->prepares < 8) {
    t->firsts[t->prepares] = part->first_node;
    t->counts[t->prepares] = part->num_nodes;
  }
  t->prepares++;
  part->state = &g_state_token;
  return MOTE_OK;
}

static mote_status td_invoke(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  test_delegate* t = d->impl;
  if (part->state != &g_state_token) return mote_error(MOTE_ERROR_RUNTIME, "partition state lost");
  t->invokes++;
  for (int32_t i = part->first_node; i < part->first_node + part->num_nodes; i++) {
    mote_status s = mote_op_lookup(nodes[i].opcode)->eval(ctx, &nodes[i]);
    if (s != MOTE_OK) return s;
    t->nodes_run++;
  }
  return MOTE_OK;
}

static void td_free(mote_delegate* d, mote_partition* part) {
  test_delegate* t = d->impl;
  if (part->state == &g_state_token) t->frees++;
}

static mote_delegate make_delegate(test_delegate* t) {
  mote_delegate d = {.name = "test", .impl = t, .supports_op = td_supports, .prepare = td_prepare,
                     .invoke = td_invoke, .free_partition = td_free, .min_ops = 1, .max_partitions = 0};
  return d;
}

static const float k_x[8] = {-1, 2, -3, 4, 5.5f, -6, 7, 0.25f};

static void run_chain3(mote_interpreter* it, float* y) {
  CHECK_OK(mote_interpreter_set_input(it, 0, k_x, sizeof k_x));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, y, 8 * sizeof(float)));
}

// chain3 is RELU, MUL, SUB. Returns the delegate's counters after 3 invokes and a free.
static test_delegate run_case(const mote_model* m, const int* claimed_ops, int n_claimed, int32_t min_ops,
                              int32_t max_parts, mote_status want) {
  test_delegate t = {0};
  for (int i = 0; i < n_claimed; i++) t.claim[claimed_ops[i]] = true;
  mote_delegate d = make_delegate(&t);
  d.min_ops = min_ops;
  d.max_partitions = max_parts;
  mote_interpreter *cpu, *it;
  CHECK_OK(mote_interpreter_create(m, NULL, &cpu));
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  mote_status s = mote_interpreter_apply_delegate(it, &d);
  CHECK(s == want);
  float want_y[8], y[8];
  run_chain3(cpu, want_y);
  for (int r = 0; r < 3; r++) {
    memset(y, 0, sizeof y);
    run_chain3(it, y);
    CHECK(memcmp(y, want_y, sizeof y) == 0);
  }
  mote_interpreter_free(it);
  mote_interpreter_free(cpu);
  return t;
}

static void test_partitions(void) {
  mote_model* m = load_model("chain3.mote");
  // MUL + SUB: one partition of two nodes
  test_delegate t = run_case(m, (int[]){MOTE_OP_MUL, MOTE_OP_SUB}, 2, 1, 0, MOTE_OK);
  CHECK(t.supports_calls == 3 && t.prepares == 1 && t.firsts[0] == 1 && t.counts[0] == 2);
  CHECK(t.invokes == 3 && t.nodes_run == 6 && t.frees == 1);
  // everything: one partition of three
  t = run_case(m, (int[]){MOTE_OP_RELU, MOTE_OP_MUL, MOTE_OP_SUB}, 3, 1, 0, MOTE_OK);
  CHECK(t.prepares == 1 && t.firsts[0] == 0 && t.counts[0] == 3 && t.invokes == 3 && t.nodes_run == 9);
  // RELU and SUB: two partitions around a CPU node
  t = run_case(m, (int[]){MOTE_OP_RELU, MOTE_OP_SUB}, 2, 1, 0, MOTE_OK);
  CHECK(t.prepares == 2 && t.firsts[0] == 0 && t.counts[0] == 1 && t.firsts[1] == 2 && t.counts[1] == 1);
  CHECK(t.invokes == 6 && t.nodes_run == 6 && t.frees == 2);
  // ... but at most one partition allowed: declined, CPU only
  t = run_case(m, (int[]){MOTE_OP_RELU, MOTE_OP_SUB}, 2, 1, 1, MOTE_OK);
  CHECK(t.prepares == 0 && t.invokes == 0 && t.frees == 0);
  // fewer ops than min_ops: declined
  t = run_case(m, (int[]){MOTE_OP_MUL, MOTE_OP_SUB}, 2, 3, 0, MOTE_OK);
  CHECK(t.prepares == 0 && t.invokes == 0);
  // nothing claimed
  t = run_case(m, (int[]){MOTE_OP_CONV_2D}, 1, 0, 0, MOTE_OK);
  CHECK(t.prepares == 0 && t.invokes == 0);
  mote_model_free(m);
}

static void test_failures(void) {
  mote_model* m = load_model("chain3.mote");
  test_delegate t = {0};
  t.claim[MOTE_OP_MUL] = true;
  t.fail_prepare = true;
  mote_delegate d = make_delegate(&t);
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  CHECK_FAILS(mote_interpreter_apply_delegate(it, &d), MOTE_ERROR_UNSUPPORTED);
  CHECK(strstr(mote_last_error(), "test delegate refuses") != NULL);
  float y[8];
  run_chain3(it, y);  // still runs, on the CPU
  CHECK(t.invokes == 0);
  t.fail_prepare = false;
  CHECK_OK(mote_interpreter_apply_delegate(it, &d));
  CHECK_FAILS(mote_interpreter_apply_delegate(it, &d), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_apply_delegate(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_apply_delegate(NULL, &d), MOTE_ERROR_INVALID_ARGUMENT);
  run_chain3(it, y);
  CHECK(t.invokes == 1);
  mote_interpreter_free(it);
  CHECK(t.frees == 1);
  mote_model_free(m);
}

// the partitioner hands each partition its boundary tensors; the report and placement say where ops run
static mote_status td_record_io(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  (void)d;
  (void)ctx;
  (void)nodes;
  static int32_t seen[4];
  seen[0] = part->num_inputs, seen[1] = part->num_inputs ? part->inputs[0] : -1;
  seen[2] = part->num_outputs, seen[3] = part->num_outputs ? part->outputs[0] : -1;
  part->state = seen;
  return MOTE_OK;
}

static void test_boundaries_and_report(void) {
  mote_model* m = load_model("chain3.mote");  // RELU, MUL, SUB
  test_delegate t = {0};
  t.claim[MOTE_OP_MUL] = true;
  mote_delegate d = make_delegate(&t);
  d.prepare = td_record_io;
  d.free_partition = NULL;
  d.device = "test device";
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  CHECK(strcmp(mote_interpreter_delegate_report(it), "cpu: all 3 ops") == 0);
  CHECK_OK(mote_interpreter_apply_delegate(it, &d));
  const int32_t* seen = it->partitions[0].state;
  // MUL reads RELU's output (made on the CPU) and writes what SUB (on the CPU) reads
  const mote_node* mul = &it->nodes[1];
  CHECK(seen[0] >= 1 && seen[1] == mul->inputs[0] && seen[2] == 1 && seen[3] == mul->outputs[0]);
  const char* r = mote_interpreter_delegate_report(it);
  CHECK(strstr(r, "test (test device): 1 of 3 ops in 1 partition; cpu: 2 ops (RELU '") == r);
  CHECK(strstr(r, ", SUB '") != NULL);
  int32_t where[3];
  CHECK_OK(mote_interpreter_node_placement(it, where, 3));
  CHECK(where[0] == 0 && where[1] == 1 && where[2] == 0);
  CHECK_FAILS(mote_interpreter_node_placement(it, where, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_node_placement(NULL, where, 3), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strcmp(mote_delegate_name(&d), "test") == 0 && strcmp(mote_delegate_device(&d), "test device") == 0);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// invoke refuses to run while another invoke holds the interpreter
static void test_busy(void) {
  mote_model* m = load_model("add.mote");
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  atomic_store(&it->busy, true);
  CHECK_FAILS(mote_interpreter_invoke(it), MOTE_ERROR_BUSY);
  atomic_store(&it->busy, false);
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK(!atomic_load(&it->busy));
  mote_interpreter_free(it);
  mote_model_free(m);
}

int main(void) {
  test_partitions();
  test_failures();
  test_boundaries_and_report();
  test_busy();
  return test_summary();
}
