// mote_interpreter_resize_input: shapes flow through the ops, the arena is planned
// again (checked with the loader's plan verifier), outputs match a direct
// computation at every shape; refusals leave the previous state usable.
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "core/interpreter_internal.h"
#include "core/model.h"
#include "core/ops.h"
#include "core/planner.h"
#include "test_util.h"

// ---- resize_conv.mote: x -> conv 3x3 SAME +relu -> + k -> maxpool 2x2/2 VALID ----

static float conv_w(int o, int kh, int kw, int i) { return (float)((((o * 9 + kh * 3 + kw) * 2 + i) * 7) % 11 - 5) * 0.1f; }
static const float k_bias[3] = {0.25f, -0.5f, 0.125f}, k_add[3] = {1.0f, -2.0f, 0.5f};

// a [n,h,w,3] = relu(conv(x) + bias) + k ; p [n,h/2,w/2,3]
static void reference(const float* x, int n, int h, int w, float* a, float* p) {
  for (int b = 0; b < n; b++)
    for (int y = 0; y < h; y++)
      for (int z = 0; z < w; z++)
        for (int o = 0; o < 3; o++) {
          double acc = k_bias[o];
          for (int kh = 0; kh < 3; kh++)
            for (int kw = 0; kw < 3; kw++) {
              int iy = y + kh - 1, iz = z + kw - 1;
              if (iy < 0 || iy >= h || iz < 0 || iz >= w) continue;
              for (int i = 0; i < 2; i++) acc += (double)conv_w(o, kh, kw, i) * x[((b * h + iy) * w + iz) * 2 + i];
            }
          a[((b * h + y) * w + z) * 3 + o] = (float)(acc > 0 ? acc : 0) + k_add[o];
        }
  int ph = h / 2, pw = w / 2;
  for (int b = 0; b < n; b++)
    for (int y = 0; y < ph; y++)
      for (int z = 0; z < pw; z++)
        for (int o = 0; o < 3; o++) {
          float m = -INFINITY;
          for (int dy = 0; dy < 2; dy++)
            for (int dz = 0; dz < 2; dz++) {
              float v = a[((b * h + 2 * y + dy) * w + 2 * z + dz) * 3 + o];
              if (v > m) m = v;
            }
          p[((b * ph + y) * pw + z) * 3 + o] = m;
        }
}

static bool shape_is(const mote_tensor_info* info, int32_t rank, const int32_t* dims) {
  if (info->rank != rank) return false;
  for (int32_t d = 0; d < rank; d++)
    if (info->shape[d] != dims[d]) return false;
  return true;
}

// the interpreter's current plan through the loader's verifier (outputs live to the
// end), plus the planner's own promises: 64-byte offsets inside the arena, inputs
// overlap nothing (they live the whole run)
static bool plan_ok(mote_interpreter* it) {
  const mote_model* src = it->model;
  mote_model m = *src;
  size_t nt = (size_t)src->num_tensors;
  size_t* offsets = calloc(nt + 1, sizeof *offsets);
  bool ok = true;
  for (size_t t = 0; t < nt; t++) {
    const mote_tensor* x = &it->ctx.tensors[t];
    if (x->is_constant) continue;
    offsets[t] = (size_t)((uint8_t*)x->data - (uint8_t*)it->arena);
    ok = ok && offsets[t] % 64 == 0 && offsets[t] + x->bytes <= it->arena_size;
  }
  m.tensors = it->ctx.tensors;
  m.arena_offsets = offsets;
  m.arena_size = it->arena_size;
  mote_status s = mote_model_verify_plan(&m);
  if (s != MOTE_OK) fprintf(stderr, "  plan: %s\n", mote_last_error());
  ok = ok && s == MOTE_OK;
  for (int32_t k = 0; k < src->num_inputs; k++) {
    int32_t a = src->inputs[k];
    for (size_t t = 0; t < nt; t++) {
      const mote_tensor* x = &it->ctx.tensors[t];
      if ((int32_t)t == a || x->is_constant) continue;
      bool overlap = offsets[t] < offsets[a] + it->ctx.tensors[a].bytes && offsets[a] < offsets[t] + x->bytes;
      if (overlap) fprintf(stderr, "  plan: input tensor %d overlaps tensor %zu\n", a, t);
      ok = ok && !overlap;
    }
  }
  free(offsets);
  return ok;
}

static float max_diff(const float* a, const float* b, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; i++) m = fmaxf(m, fabsf(a[i] - b[i]));
  return m;
}

// fill x, invoke, compare both outputs with the reference at [n,h,w,2]
static void run_and_check(mote_interpreter* it, int n, int h, int w) {
  size_t nx = (size_t)n * h * w * 2, na = (size_t)n * h * w * 3, np = (size_t)n * (h / 2) * (w / 2) * 3;
  float *x = malloc(nx * 4 + 4), *a = malloc(na * 4 + 4), *p = malloc(np * 4 + 4);
  for (size_t i = 0; i < nx; i++) x[i] = (float)((int)(i * 37 % 23) - 11) * 0.125f;
  reference(x, n, h, w, a, p);
  CHECK_OK(mote_interpreter_set_input(it, 0, x, nx * 4));
  CHECK_OK(mote_interpreter_invoke(it));
  mote_tensor_info ia, ip;
  CHECK_OK(mote_interpreter_output_info(it, 0, &ia));
  CHECK_OK(mote_interpreter_output_info(it, 1, &ip));
  CHECK(ia.byte_size == na * 4 && ip.byte_size == np * 4);
  if (ia.byte_size == na * 4 && ip.byte_size == np * 4) {
    float da = max_diff(mote_interpreter_output_data(it, 0), a, na);
    float dp = max_diff(mote_interpreter_output_data(it, 1), p, np);
    CHECK(da < 1e-5f && dp < 1e-5f);
    if (!(da < 1e-5f && dp < 1e-5f)) fprintf(stderr, "  [%d,%d,%d]: diff %g %g\n", n, h, w, da, dp);
  }
  free(x);
  free(a);
  free(p);
}

static void test_conv_chain(int threads) {
  mote_model* m = load_model("resize_conv.mote");
  mote_options o = mote_options_default();
  o.num_threads = threads;
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, &o, &it));
  CHECK(mote_interpreter_arena_size(it) == mote_model_arena_size(m));
  run_and_check(it, 1, 5, 6);
  const int shapes[][3] = {{2, 8, 7}, {1, 3, 2}, {3, 16, 12}, {1, 2, 2}, {1, 5, 6}, {4, 9, 5}};
  for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    const int n = shapes[k][0], h = shapes[k][1], w = shapes[k][2];
    const int32_t dims[4] = {n, h, w, 2};
    CHECK_OK(mote_interpreter_resize_input(it, 0, dims, 4));
    mote_tensor_info info;
    CHECK_OK(mote_interpreter_input_info(it, 0, &info));
    CHECK(shape_is(&info, 4, dims) && info.byte_size == (size_t)n * h * w * 2 * 4);
    CHECK_OK(mote_interpreter_output_info(it, 1, &info));
    const int32_t pdims[4] = {n, h / 2, w / 2, 3};
    CHECK(shape_is(&info, 4, pdims));
    CHECK(plan_ok(it));
    run_and_check(it, n, h, w);
    run_and_check(it, n, h, w);  // a second invoke on the same plan
  }
  // constants never change
  const int32_t wdims[4] = {3, 3, 3, 2};
  const mote_tensor* wt = &it->ctx.tensors[1];
  CHECK(wt->is_constant && wt->rank == 4 && memcmp(wt->dims, wdims, sizeof wdims) == 0 && wt->data == m->tensors[1].data);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// a shape some op refuses: the error names it, the previous shapes, arena and results stay
static void test_refusal_rolls_back(void) {
  mote_model* m = load_model("resize_conv.mote");
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  const int32_t good[4] = {2, 6, 4, 2}, tiny[4] = {2, 1, 1, 2};
  CHECK_OK(mote_interpreter_resize_input(it, 0, good, 4));
  void* arena = it->arena;
  size_t arena_size = it->arena_size;
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, tiny, 4), MOTE_ERROR_INVALID_ARGUMENT);
  const char* msg = mote_last_error();
  CHECK(strstr(msg, "cannot resize input 0 ('x') to [2,1,1,2]") != NULL);
  CHECK(strstr(msg, "cannot take that shape") != NULL);
  CHECK(strstr(msg, "MAX_POOL_2D (node 'pool')") != NULL);
  mote_tensor_info info;
  CHECK_OK(mote_interpreter_input_info(it, 0, &info));
  CHECK(shape_is(&info, 4, good));
  CHECK(it->arena == arena && it->arena_size == arena_size && !it->broken);
  CHECK(plan_ok(it));
  run_and_check(it, 2, 6, 4);
  mote_interpreter_free(it);
  mote_model_free(m);

  // RESHAPE to a fixed shape cannot follow a new element count
  m = load_model("reshape_i8.mote");
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  const int32_t bigger[3] = {1, 2, 3};
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, bigger, 3), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "RESHAPE (node 'flatten')") != NULL);
  CHECK(strstr(mote_last_error(), "cannot reshape [1,2,3]") != NULL);
  const int8_t x[4] = {1, -2, 3, -4};
  int8_t y[4] = {0};
  CHECK_OK(mote_interpreter_set_input(it, 0, x, 4));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, y, 4));
  CHECK(memcmp(x, y, 4) == 0);
  mote_interpreter_free(it);
  mote_model_free(m);

  // FULLY_CONNECTED: any batch, but not another feature count
  m = load_model("fc_relu.mote");
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  const int32_t batch3[2] = {3, 4}, feat5[2] = {1, 5};
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, feat5, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "FULLY_CONNECTED (node 'fc0')") != NULL);
  CHECK_OK(mote_interpreter_resize_input(it, 0, batch3, 2));
  CHECK(plan_ok(it));
  float xs[12], ys[9];
  for (int i = 0; i < 12; i++) xs[i] = (float)(i % 5) - 1.5f;
  CHECK_OK(mote_interpreter_set_input(it, 0, xs, sizeof xs));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, ys, sizeof ys));
  const float bias[3] = {0.5f, -0.25f, 0.0f};
  float worst = 0;
  for (int r = 0; r < 3; r++)
    for (int o = 0; o < 3; o++) {
      double acc = bias[o];
      for (int i = 0; i < 4; i++) acc += (double)(0.1 * (o * 4 + i + 1) * ((o * 4 + i) % 2 ? -1 : 1)) * xs[r * 4 + i];
      worst = fmaxf(worst, fabsf(ys[r * 3 + o] - (float)(acc > 0 ? acc : 0)));
    }
  CHECK(worst < 1e-5f);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// two inputs that must change together: all or nothing
static void test_several_inputs(void) {
  mote_model* m = load_model("add.mote");
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  const int32_t four[2] = {4, 3};
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, four, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "ADD (node 'add0')") != NULL);
  const int32_t one[2] = {1, 3};  // broadcasts against b [2,3]
  CHECK_OK(mote_interpreter_resize_input(it, 0, one, 2));
  mote_tensor_info info;
  CHECK_OK(mote_interpreter_output_info(it, 0, &info));
  CHECK(info.rank == 2 && info.shape[0] == 2 && info.shape[1] == 3);
  const int32_t idx[2] = {0, 1}, dims[4] = {5, 7, 5, 7}, ranks[2] = {2, 2};
  CHECK_OK(mote_interpreter_resize_inputs(it, 2, idx, dims, ranks));
  CHECK(plan_ok(it));
  float a[35], b[35], y[35];
  for (int i = 0; i < 35; i++) a[i] = (float)i, b[i] = 0.5f * (float)i;
  CHECK_OK(mote_interpreter_set_input(it, 0, a, sizeof a));
  CHECK_OK(mote_interpreter_set_input(it, 1, b, sizeof b));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, y, sizeof y));
  bool ok = true;
  for (int i = 0; i < 35; i++) ok = ok && y[i] == 1.5f * (float)i;
  CHECK(ok);
  // the bad argument list
  const int32_t dup[2] = {0, 0}, zero[2] = {0, 3};
  CHECK_FAILS(mote_interpreter_resize_inputs(it, 2, dup, dims, ranks), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_resize_input(it, 2, four, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, four, 3), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "has rank 2; cannot give it rank 3") != NULL);
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, zero, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, NULL, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_resize_input(NULL, 0, four, 2), MOTE_ERROR_INVALID_ARGUMENT);
  const int32_t huge[2] = {INT32_MAX, INT32_MAX};
  const int32_t idx2[2] = {0, 1}, huge2[4] = {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX};
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, huge, 2), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_resize_inputs(it, 2, idx2, huge2, ranks), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_OK(mote_interpreter_resize_inputs(it, 0, NULL, NULL, NULL));
  CHECK_OK(mote_interpreter_input_info(it, 0, &info));
  CHECK(info.shape[0] == 5 && info.shape[1] == 7);  // untouched by the refusals
  mote_interpreter_free(it);
  mote_model_free(m);
}

// ---- concurrency ----

static void test_busy_flag(void) {
  mote_model* m = load_model("add.mote");
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  const int32_t one[2] = {1, 3};
  atomic_store(&it->busy, true);  // as if invoke ran on another thread
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, one, 2), MOTE_ERROR_BUSY);
  atomic_store(&it->busy, false);
  CHECK_OK(mote_interpreter_resize_input(it, 0, one, 2));
  mote_interpreter_free(it);
  mote_model_free(m);
}

typedef struct {
  mote_interpreter* it;
  atomic_bool stop;
  atomic_int ok;
  int busy, other;
} invoker;

static void* invoke_loop(void* arg) {
  invoker* v = arg;
  while (!atomic_load(&v->stop)) {
    mote_status s = mote_interpreter_invoke(v->it);
    if (s == MOTE_OK) atomic_fetch_add(&v->ok, 1);
    else if (s == MOTE_ERROR_BUSY) v->busy++;
    else v->other++;
    sched_yield();
  }
  return NULL;
}

static void test_concurrent(void) {
  mote_model* m = load_model("resize_conv.mote");
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  invoker v = {.it = it};
  atomic_init(&v.stop, false);
  atomic_init(&v.ok, 0);
  pthread_t th;
  pthread_create(&th, NULL, invoke_loop, &v);
  while (atomic_load(&v.ok) == 0) {
  }  // the invoker is running
  int ok = 0, busy = 0, other = 0;
  for (int i = 0; i < 2000; i++) {
    const int32_t dims[4] = {1 + i % 2, 8 + i % 3, 8, 2};
    mote_status s = mote_interpreter_resize_input(it, 0, dims, 4);
    if (s == MOTE_OK) ok++;
    else if (s == MOTE_ERROR_BUSY) busy++;
    else other++;
    sched_yield();
  }
  atomic_store(&v.stop, true);
  pthread_join(th, NULL);
  CHECK(other == 0 && v.other == 0);
  CHECK(ok > 0 && atomic_load(&v.ok) > 0);
  printf("concurrent: resize %d ok / %d busy, invoke %d ok / %d busy\n", ok, busy, atomic_load(&v.ok), v.busy);
  mote_tensor_info info;
  CHECK_OK(mote_interpreter_input_info(it, 0, &info));
  run_and_check(it, info.shape[0], info.shape[1], info.shape[2]);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// ---- a delegate is offered the resized graph again ----

typedef struct {
  int prepared, freed, invoked;
} counts;

static bool td_supports(mote_delegate* d, mote_context* ctx, const mote_node* node) {
  (void)d, (void)ctx;
  return node->opcode == MOTE_OP_ADD;
}
static mote_status td_prepare(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  (void)ctx, (void)nodes;
  ((counts*)d->impl)->prepared++;
  part->state = d->impl;
  return MOTE_OK;
}
static mote_status td_invoke(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  ((counts*)d->impl)->invoked++;
  for (int32_t i = 0; i < part->num_nodes; i++) {
    mote_node* n = &nodes[part->first_node + i];
    mote_status s = mote_op_lookup(n->opcode)->eval(ctx, n);
    if (s != MOTE_OK) return s;
  }
  return MOTE_OK;
}
static void td_free(mote_delegate* d, mote_partition* part) {
  if (part->state) ((counts*)d->impl)->freed++;
}

static void test_delegate(void) {
  mote_model* m = load_model("resize_conv.mote");
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  counts c = {0, 0, 0};
  mote_delegate d = {.name = "adds", .impl = &c, .supports_op = td_supports, .prepare = td_prepare,
                     .invoke = td_invoke, .free_partition = td_free, .min_ops = 1};
  CHECK_OK(mote_interpreter_apply_delegate(it, &d));
  CHECK(it->num_partitions == 1 && c.prepared == 1);
  const int32_t dims[4] = {2, 7, 9, 2}, tiny[4] = {1, 1, 1, 2};
  CHECK_OK(mote_interpreter_resize_input(it, 0, dims, 4));
  CHECK(it->delegate == &d && it->num_partitions == 1 && c.prepared == 2 && c.freed == 1);
  run_and_check(it, 2, 7, 9);
  CHECK(c.invoked == 1);
  CHECK_FAILS(mote_interpreter_resize_input(it, 0, tiny, 4), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(it->delegate == &d && c.prepared == 3);
  run_and_check(it, 2, 7, 9);
  CHECK(c.invoked == 2);
  mote_interpreter_free(it);
  CHECK(c.freed == c.prepared);
  mote_model_free(m);
}

// ---- the planner on its own: random graphs through the loader's verifier ----

static uint32_t g_rng = 777;
static uint32_t rnd(uint32_t n) {
  g_rng = g_rng * 1664525u + 1013904223u;
  return (g_rng >> 8) % n;
}

#define MAX_T 40

static void test_planner_random(void) {
  int rounds = 3000, good = 0;
  size_t reuse = 0, total = 0;
  for (int r = 0; r < rounds; r++) {
    mote_tensor tensors[MAX_T];
    mote_node nodes[MAX_T];
    int32_t ins[MAX_T][3], outs[MAX_T][1], inputs[2] = {0, 1}, outputs[3];
    size_t offsets[MAX_T], arena = 0;
    memset(tensors, 0, sizeof tensors);
    memset(nodes, 0, sizeof nodes);
    int ops = 1 + (int)rnd(MAX_T - 3), nt = ops + 2;
    for (int t = 0; t < nt; t++) {
      tensors[t].name = "t";
      tensors[t].bytes = rnd(10) == 0 ? 0 : 1 + rnd(3000);
      tensors[t].is_constant = t >= 2 && rnd(8) == 0;
    }
    for (int k = 0; k < ops; k++) {
      nodes[k].name = "n";
      nodes[k].inputs = ins[k];
      nodes[k].num_inputs = 1 + (int)rnd(3);
      for (int j = 0; j < nodes[k].num_inputs; j++) ins[k][j] = (int32_t)rnd((uint32_t)k + 2);
      nodes[k].outputs = outs[k];
      nodes[k].num_outputs = 1;
      outs[k][0] = k + 2;
      tensors[k + 2].is_constant = false;  // produced
    }
    for (int k = 0; k < ops; k++)
      for (int j = 0; j < nodes[k].num_inputs; j++)
        if (tensors[ins[k][j]].is_constant) ins[k][j] = 0;
    int nout = 1 + (int)rnd(3);
    for (int i = 0; i < nout; i++) outputs[i] = 2 + (int32_t)rnd((uint32_t)ops);
    if (nout > 1 && outputs[1] == outputs[0]) nout = 1;
    if (nout > 2 && (outputs[2] == outputs[0] || outputs[2] == outputs[1])) nout = 2;
    mote_plan_graph g = {tensors, nt, nodes, ops, inputs, 2, outputs, nout};
    if (mote_plan_arena(&g, offsets, &arena) != MOTE_OK) continue;
    mote_model m;
    memset(&m, 0, sizeof m);
    m.num_tensors = nt;
    m.tensors = tensors;
    m.arena_offsets = offsets;
    m.num_nodes = ops;
    m.nodes = nodes;
    m.inputs = inputs;
    m.num_inputs = 2;
    m.outputs = outputs;
    m.num_outputs = nout;
    m.arena_size = arena;
    bool ok = mote_model_verify_plan(&m) == MOTE_OK;
    size_t sum = 0;
    for (int t = 0; t < nt; t++) {
      if (tensors[t].is_constant) continue;
      ok = ok && offsets[t] % 64 == 0 && offsets[t] + tensors[t].bytes <= arena;
      sum += (tensors[t].bytes + 63) / 64 * 64 + (tensors[t].bytes == 0) * 64;
      // inputs overlap no other tensor (they live the whole run)
      for (int a = 0; a < 2 && t >= 2; a++)
        ok = ok && (offsets[t] >= offsets[a] + (tensors[a].bytes ? tensors[a].bytes : 1) ||
                    offsets[a] >= offsets[t] + (tensors[t].bytes ? tensors[t].bytes : 1));
    }
    ok = ok && arena <= sum && arena % 64 == 0;
    good += ok;
    reuse += sum - arena;
    total += sum;
  }
  CHECK(good == rounds);
  CHECK(reuse > total / 10);  // it does reuse memory
  printf("planner: %d/%d random graphs planned and verified; %.0f%% of the bytes saved by reuse\n", good, rounds,
         100.0 * (double)reuse / (double)total);
}

// the converter's plan for a known graph: same algorithm, same offsets
static void test_planner_matches_converter(void) {
  // chain t0 -> t1 -> t2 -> t3 (input t0, output t3); sizes 100, 300, 200, 50
  mote_tensor tensors[4];
  memset(tensors, 0, sizeof tensors);
  const size_t bytes[4] = {100, 300, 200, 50};
  for (int t = 0; t < 4; t++) tensors[t].name = "t", tensors[t].bytes = bytes[t];
  mote_node nodes[3];
  memset(nodes, 0, sizeof nodes);
  int32_t io[3][2] = {{0, 1}, {1, 2}, {2, 3}};
  for (int k = 0; k < 3; k++) {
    nodes[k].inputs = &io[k][0];
    nodes[k].num_inputs = 1;
    nodes[k].outputs = &io[k][1];
    nodes[k].num_outputs = 1;
  }
  int32_t inputs[1] = {0}, outputs[1] = {3};
  size_t off[4], arena;
  mote_plan_graph g = {tensors, 4, nodes, 3, inputs, 1, outputs, 1};
  CHECK_OK(mote_plan_arena(&g, off, &arena));
  // converter/planner.py plan_blocks([Block(100,-1,3), Block(300,0,1), Block(200,1,2), Block(50,2,3)])
  // gives offsets [576, 0, 320, 0] and arena 704: t2 cannot reuse t1's bytes (op 1 reads t1 and
  // writes t2), the input lives throughout, t3 takes t1's bytes
  CHECK(off[0] == 576 && off[1] == 0 && off[2] == 320 && off[3] == 0 && arena == 704);
  if (!(off[0] == 576 && off[1] == 0 && off[2] == 320 && off[3] == 0 && arena == 704))
    fprintf(stderr, "  offsets %zu %zu %zu %zu arena %zu\n", off[0], off[1], off[2], off[3], arena);
}

int main(void) {
  test_conv_chain(1);
  test_conv_chain(2);
  test_refusal_rolls_back();
  test_several_inputs();
  test_busy_flag();
  test_concurrent();
  test_delegate();
  test_planner_random();
  test_planner_matches_converter();
  return test_summary();
}
