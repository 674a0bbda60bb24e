// Breadth data family: REDUCE_SUM/MAX/MIN/PROD/L2, ARG_MAX/ARG_MIN, SPLIT, SLICE,
// GATHER, TILE, BROADCAST_TO, DEPTH_TO_SPACE/SPACE_TO_DEPTH, TOPK. Golden values
// (numpy's), threaded runs against plain loops, and prepare's refusals.
#include <stdint.h>
#include <stdlib.h>

#include "core/threadpool.h"
#include "harness.h"
#include "ops/op_common.h"

#define I32(g, data, ...) add_tensor((g), MOTE_INT32, (data), DIMS(__VA_ARGS__))
#define I64(g, data, ...) add_tensor((g), MOTE_INT64, (data), DIMS(__VA_ARGS__))

static mote_threadpool* g_pool[5];

// this family's ops, named directly: the registry must hold these very functions
#define STRONG_OP(name)                                                   \
  mote_status mote_op_##name##_prepare(mote_context* ctx, mote_node* node); \
  mote_status mote_op_##name##_eval(mote_context* ctx, mote_node* node)
STRONG_OP(reduce);
STRONG_OP(arg_minmax);
STRONG_OP(split);
STRONG_OP(slice);
STRONG_OP(gather);
STRONG_OP(tile);
STRONG_OP(broadcast_to);
STRONG_OP(depth_space);
STRONG_OP(topk);
typedef mote_status (*op_fn)(mote_context*, mote_node*);
static const op_fn g_linked[] = {
    mote_op_reduce_prepare,       mote_op_reduce_eval,       mote_op_arg_minmax_prepare, mote_op_arg_minmax_eval,
    mote_op_split_prepare,        mote_op_split_eval,        mote_op_slice_prepare,      mote_op_slice_eval,
    mote_op_gather_prepare,       mote_op_gather_eval,       mote_op_tile_prepare,       mote_op_tile_eval,
    mote_op_broadcast_to_prepare, mote_op_broadcast_to_eval, mote_op_depth_space_prepare, mote_op_depth_space_eval,
    mote_op_topk_prepare,         mote_op_topk_eval};

// run_op with the scratch buffer the interpreter would give (run_op has none)
static mote_status run_scratch(graph* g, int32_t opcode, const mote_op_options* opts, const int32_t* ins,
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
static int32_t rnd(int32_t n) {  // [0, n)
  g_seed = g_seed * 1103515245u + 12345u;
  return (int32_t)((g_seed >> 8) % (unsigned)n);
}

// ---- REDUCE_* -----------------------------------------------------------------

static mote_op_options red_opts(int32_t n, const int32_t* axes, bool keep) {
  mote_op_options o = {.type = MOTE_OPTIONS_REDUCE, .u.reduce = {.num_axes = n, .keep_dims = keep}};
  for (int32_t i = 0; i < n; i++) o.u.reduce.axes[i] = axes[i];
  return o;
}

static void reduce_golden(void) {
  float x[24], y[24];
  for (int i = 0; i < 24; i++) x[i] = (float)i;
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3, 4), yi = F32(&g, y, 2, 4);
  mote_op_options o = red_opts(1, (int32_t[]){1}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 2, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){12, 15, 18, 21, 48, 51, 54, 57}), 8, 0);

  // negative axis, keep_dims: [2,3,4] -> [2,3,1]
  g = (graph){0};
  xi = F32(&g, x, 2, 3, 4);
  yi = F32(&g, y, 2, 3, 1);
  o = red_opts(1, (int32_t[]){-1}, true);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 3, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){3, 7, 11, 15, 19, 23}), 6, 0);
  // the same without keep_dims must refuse the [2,3,1] output
  o.u.reduce.keep_dims = false;
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("[2,3]");

  // int32 min over non-adjacent axes {0, 2}: [2,3,4] -> [3]
  int32_t xi32[24] = {-5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2}, yi32[3];
  g = (graph){0};
  xi = I32(&g, xi32, 2, 3, 4);
  yi = I32(&g, yi32, 3);
  o = red_opts(2, (int32_t[]){2, 0}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(yi32, (int32_t[]){-5, -4, -5}, sizeof yi32) == 0);

  // rank 5 L2 over {1, 3}, keep dims: [1,2,1,3,2] -> [1,1,1,1,2]
  float x5[12];
  for (int i = 0; i < 12; i++) x5[i] = (float)(i - 5) / 2;
  g = (graph){0};
  xi = F32(&g, x5, 1, 2, 1, 3, 2);
  yi = F32(&g, y, 1, 1, 1, 1, 2);
  o = red_opts(2, (int32_t[]){1, -2}, true);
  CHECK(RUN(&g, MOTE_OP_REDUCE_L2, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){4.183300018310547f, 4.358899116516113f}), 2, 1e-6f);

  // int64 product of everything (no axes) to a scalar
  int64_t xl[6] = {3, -2, 5, 7, -1, 2}, yl[1];
  g = (graph){0};
  xi = I64(&g, xl, 2, 3);
  yi = add_tensor(&g, MOTE_INT64, yl, NULL, 0);
  o = red_opts(0, NULL, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_PROD, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 420);
  // no options at all: the schema's defaults (all axes, no keep_dims)
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 14);
  // all axes with keep_dims: [2,3] -> [1,1]
  g.t[yi].rank = 2;
  g.t[yi].dims[0] = g.t[yi].dims[1] = 1;
  o.u.reduce.keep_dims = true;
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 7);

  // int32 wraps modulo 2^32 (numpy): 65536² = 0, INT32_MAX + 1 = INT32_MIN
  int32_t w[2] = {65536, 65536}, w2[2] = {INT32_MAX, 1}, wy[1];
  g = (graph){0};
  xi = I32(&g, w, 2);
  int32_t x2 = I32(&g, w2, 2);
  yi = add_tensor(&g, MOTE_INT32, wy, NULL, 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_PROD, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(wy[0] == 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, NULL, 1, yi, x2) == MOTE_OK);
  CHECK(wy[0] == INT32_MIN);

  // rank 1 -> scalar; a scalar input reduces over nothing but itself
  float v[4] = {1, -2, 3, -4}, s[1];
  g = (graph){0};
  xi = F32(&g, v, 4);
  yi = SCALAR_F32(&g, s);
  o = red_opts(1, (int32_t[]){0}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(s[0] == -4);
  CHECK(RUN(&g, MOTE_OP_REDUCE_PROD, &o, 1, yi, xi) == MOTE_OK);
  CHECK(s[0] == 24);
  CHECK(RUN(&g, MOTE_OP_REDUCE_L2, &o, 1, yi, xi) == MOTE_OK);
  CHECK(fabsf(s[0] - sqrtf(30)) < 1e-6f);
  xi = SCALAR_F32(&g, v + 3);
  CHECK(RUN(&g, MOTE_OP_REDUCE_L2, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(s[0] == 4);
}

static void reduce_edges(void) {
  // empty reductions give the identities (ONNX): [2,0] over axis 1 -> [2]
  float e[1], y[2];
  graph g = {0};
  int32_t xi = F32(&g, e, 2, 0), yi = F32(&g, y, 2);
  mote_op_options o = red_opts(1, (int32_t[]){1}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 0 && y[1] == 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_PROD, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 1 && y[1] == 1);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(isinf(y[0]) && y[0] < 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(isinf(y[1]) && y[1] > 0);
  int32_t ei[1], yi32[2];
  xi = I32(&g, ei, 2, 0);
  yi = I32(&g, yi32, 2);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yi32[0] == INT32_MAX && yi32[1] == INT32_MAX);
  // bool max is any, min is all; over nothing false and true (ONNX)
  uint8_t bx[6] = {0, 1, 0, 0, 0, 0}, by[3];
  xi = add_tensor(&g, MOTE_BOOL, bx, DIMS(3, 2));
  yi = add_tensor(&g, MOTE_BOOL, by, DIMS(3));
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(by, (uint8_t[]){1, 0, 0}, 3) == 0);
  bx[2] = bx[3] = 1;
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(by, (uint8_t[]){0, 1, 0}, 3) == 0);
  xi = add_tensor(&g, MOTE_BOOL, bx, DIMS(2, 0));
  yi = add_tensor(&g, MOTE_BOOL, by, DIMS(2));
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(by[0] == 0 && by[1] == 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(by[0] == 1 && by[1] == 1);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_ERROR_UNSUPPORTED);
  // an empty output: [0,3] over axis 1 -> [0]
  xi = F32(&g, e, 0, 3);
  yi = F32(&g, y, 0);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 2, yi, xi) == MOTE_OK);

  // nan propagates through max and min
  float n[6] = {1, NAN, 3, -1, -2, -3}, m[2];
  g = (graph){0};
  xi = F32(&g, n, 2, 3);
  yi = F32(&g, m, 2);
  o = red_opts(1, (int32_t[]){-1}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(isnan(m[0]) && m[1] == -1);
  CHECK(RUN(&g, MOTE_OP_REDUCE_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(isnan(m[0]) && m[1] == -3);
  // float sums in double: 1e8 + 1 + ... + 1 - 1e8 keeps the ones
  float big[6] = {1e8f, 1, 1, 1, 1, -1e8f}, b[1];
  g = (graph){0};
  xi = F32(&g, big, 6);
  yi = SCALAR_F32(&g, b);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(b[0] == 4);
}

// every kind and axis set of a [5,7,6] tensor, 3 threads, against plain loops
static void reduce_threads(void) {
  enum { A = 5, B = 7, C = 6 };
  static float x[A * B * C], y[A * B * C], want[A * B * C];
  static int64_t xl[A * B * C], yl[A * B * C], wl[A * B * C];
  fill_random(x, A * B * C, 3);
  for (int i = 0; i < A * B * C; i++) xl[i] = (int64_t)(x[i] * 1000);
  const int dims[3] = {A, B, C};
  for (int mask = 1; mask < 8; mask++) {
    for (int op = MOTE_OP_REDUCE_SUM; op <= MOTE_OP_REDUCE_L2; op++) {
      int32_t axes[3], na = 0, od[3], nd = 0;
      for (int d = 0; d < 3; d++) {
        if (mask & (1 << d)) axes[na++] = d - 3 * (d & 1);  // some negative
        else od[nd++] = dims[d];
      }
      size_t nout = 1;
      for (int i = 0; i < nd; i++) nout *= (size_t)od[i];
      for (size_t i = 0; i < nout; i++) {
        double acc = op == MOTE_OP_REDUCE_PROD ? 1 : 0;
        int64_t accl = op == MOTE_OP_REDUCE_PROD ? 1 : 0;
        if (op == MOTE_OP_REDUCE_MAX) acc = -INFINITY, accl = INT64_MIN;
        if (op == MOTE_OP_REDUCE_MIN) acc = INFINITY, accl = INT64_MAX;
        for (int a = 0; a < A; a++)
          for (int b = 0; b < B; b++)
            for (int c = 0; c < C; c++) {
              // the output index of (a, b, c): its kept coordinates
              size_t o = 0;
              const int idx[3] = {a, b, c};
              for (int d = 0; d < 3; d++)
                if (!(mask & (1 << d))) o = o * (size_t)dims[d] + (size_t)idx[d];
              if (o != i) continue;
              const float v = x[(a * B + b) * C + c];
              const int64_t vl = xl[(a * B + b) * C + c];
              switch (op) {
                case MOTE_OP_REDUCE_SUM: acc += v, accl += vl; break;
                case MOTE_OP_REDUCE_L2: acc += (double)v * v; break;
                case MOTE_OP_REDUCE_PROD: acc *= v, accl *= vl % 3 + 2; break;
                case MOTE_OP_REDUCE_MAX: acc = v > acc ? v : acc, accl = vl > accl ? vl : accl; break;
                default: acc = v < acc ? v : acc, accl = vl < accl ? vl : accl; break;
              }
            }
        want[i] = (float)(op == MOTE_OP_REDUCE_L2 ? sqrt(acc) : acc);
        wl[i] = accl;
      }
      graph g = {0};
      int32_t xi = add_tensor(&g, MOTE_FLOAT32, x, DIMS(A, B, C));
      int32_t yi = add_tensor(&g, MOTE_FLOAT32, y, od, nd);
      mote_op_options o = red_opts(na, axes, false);
      CHECK(RUN(&g, op, &o, 3, yi, xi) == MOTE_OK);
      CHECK_CLOSE(y, want, nout, 1e-6f);
      if (op == MOTE_OP_REDUCE_L2) continue;
      // int64 (products over small factors so that nothing wraps)
      static int64_t xp[A * B * C];
      for (int i = 0; i < A * B * C; i++) xp[i] = op == MOTE_OP_REDUCE_PROD ? xl[i] % 3 + 2 : xl[i];
      int32_t li = add_tensor(&g, MOTE_INT64, xp, DIMS(A, B, C));
      int32_t lo = add_tensor(&g, MOTE_INT64, yl, od, nd);
      if (op == MOTE_OP_REDUCE_PROD && na == 3) continue;  // 2^210 wraps; covered above
      CHECK(RUN(&g, op, &o, 4, lo, li) == MOTE_OK);
      CHECK(memcmp(yl, wl, nout * sizeof *yl) == 0);
    }
  }
}

static void reduce_refusals(void) {
  float x[6], y[6];
  int32_t xi32[6], yi32[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 2);
  mote_op_options o = red_opts(1, (int32_t[]){2}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("axis 2 out of range");
  o = red_opts(1, (int32_t[]){-3}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = red_opts(2, (int32_t[]){1, -1}, false);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("given twice");
  o = red_opts(1, (int32_t[]){0}, false);  // computes [3], output is [2]
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  int32_t ii = I32(&g, xi32, 2, 3), io = I32(&g, yi32, 3);
  CHECK(RUN(&g, MOTE_OP_REDUCE_L2, &o, 1, io, ii) == MOTE_ERROR_UNSUPPORTED);  // L2 is float only
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, io, ii) == MOTE_OK);
  int32_t fo = F32(&g, y, 3);
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &o, 1, fo, ii) == MOTE_ERROR_INVALID_MODEL);  // output dtype differs
  int8_t q[6];
  int32_t qi = add_tensor(&g, MOTE_INT8, q, DIMS(2, 3)), qo = add_tensor(&g, MOTE_INT8, q, DIMS(3));
  CHECK(RUN(&g, MOTE_OP_REDUCE_MAX, &o, 1, qo, qi) == MOTE_ERROR_UNSUPPORTED);
  mote_op_options wrong = {.type = MOTE_OPTIONS_SPLIT};
  CHECK(RUN(&g, MOTE_OP_REDUCE_SUM, &wrong, 1, fo, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- ARG_MAX / ARG_MIN --------------------------------------------------------

static mote_op_options arg_opts(int32_t axis, bool keep, bool last) {
  return (mote_op_options){.type = MOTE_OPTIONS_ARG, .u.arg = {axis, keep, last}};
}

static void arg_minmax(void) {
  float x[6] = {1, 5, 2, 9, -1, 9};
  int64_t yl[3];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = I64(&g, yl, 2, 1);
  mote_op_options o = arg_opts(1, true, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 1 && yl[1] == 0);  // ties: the first 9
  o.u.arg.select_last_index = true;
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 2, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 1 && yl[1] == 2);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 0 && yl[1] == 1);
  // the schema's defaults: axis 0, keep_dims: [2,3] -> [1,3]
  int32_t yi32[3];
  int32_t y0 = I32(&g, yi32, 1, 3);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, NULL, 1, y0, xi) == MOTE_OK);
  CHECK(memcmp(yi32, (int32_t[]){1, 0, 1}, sizeof yi32) == 0);
  // axis -2 without keep_dims, int32 output
  o = arg_opts(-2, false, false);
  int32_t y1 = I32(&g, yi32, 3);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, y1, xi) == MOTE_OK);
  CHECK(memcmp(yi32, (int32_t[]){0, 1, 0}, sizeof yi32) == 0);

  // int32 ties along the last axis, both directions
  int32_t t[8] = {4, 1, 4, 1, 7, 7, 7, 7};
  g = (graph){0};
  xi = I32(&g, t, 2, 4);
  yi = I32(&g, yi32, 2);
  o = arg_opts(-1, false, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yi32[0] == 0 && yi32[1] == 0);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yi32[0] == 1 && yi32[1] == 0);
  o.u.arg.select_last_index = true;
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yi32[0] == 2 && yi32[1] == 3);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yi32[0] == 3 && yi32[1] == 3);

  // nan wins both ways (numpy): first nan, last with select_last_index
  float n[5] = {1, NAN, 5, NAN, -3};
  g = (graph){0};
  xi = F32(&g, n, 5);
  yi = I64(&g, yl, 1);
  o = arg_opts(0, true, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 1);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 1);
  o.u.arg.select_last_index = true;
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(yl[0] == 3);

  // rank 5 int64 input, axis 2, threads vs a loop
  enum { N = 2 * 3 * 5 * 2 * 4 };
  int64_t v[N], r5[2 * 3 * 2 * 4];
  for (int i = 0; i < N; i++) v[i] = rnd(7) - 3;
  g = (graph){0};
  xi = I64(&g, v, 2, 3, 5, 2, 4);
  yi = I64(&g, r5, 2, 3, 2, 4);
  o = arg_opts(2, false, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 3, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int a = 0; a < 6; a++)
    for (int i = 0; i < 8; i++) {
      int best = 0;
      for (int j = 1; j < 5; j++)
        if (v[(a * 5 + j) * 8 + i] > v[(a * 5 + best) * 8 + i]) best = j;
      ok &= r5[a * 8 + i] == best;
    }
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 3);
  yi = I64(&g, yl, 2);
  o = arg_opts(2, false, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);  // axis out of range
  o = arg_opts(1, true, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);  // keep_dims: [2,1]
  int32_t fy = F32(&g, x, 2, 1);
  CHECK(RUN(&g, MOTE_OP_ARG_MAX, &o, 1, fy, xi) == MOTE_ERROR_INVALID_MODEL);  // float indices
  float e[1];
  int32_t ei = F32(&g, e, 2, 0), eo = I64(&g, yl, 2, 1);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, eo, ei) == MOTE_ERROR_INVALID_MODEL);  // empty axis
  CHECK_ERROR_HAS("empty");
  int32_t si = SCALAR_F32(&g, x), so = add_tensor(&g, MOTE_INT64, yl, NULL, 0);
  o = arg_opts(0, false, false);
  CHECK(RUN(&g, MOTE_OP_ARG_MIN, &o, 1, so, si) == MOTE_ERROR_INVALID_MODEL);  // rank 0 has no axis
}

// ---- SPLIT --------------------------------------------------------------------

static mote_op_options split_opts(int32_t axis, int32_t n, const int32_t* sizes) {
  mote_op_options o = {.type = MOTE_OPTIONS_SPLIT, .u.split = {.axis = axis, .num_sizes = n}};
  for (int32_t i = 0; i < n; i++) o.u.split.sizes[i] = sizes[i];
  return o;
}

static void split(void) {
  float x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, a[4], b[1], c[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 5), ai = F32(&g, a, 2, 2), bi = F32(&g, b, 2, 0), ci = F32(&g, c, 2, 3);
  mote_op_options o = split_opts(-1, 3, (int32_t[]){2, 0, 3});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi, ci), 2) == MOTE_OK);
  CHECK_CLOSE(a, ((float[]){0, 1, 5, 6}), 4, 0);
  CHECK_CLOSE(c, ((float[]){2, 3, 4, 7, 8, 9}), 6, 0);

  // int8 along axis -3 of [3,2,2] (the first axis) into [1,2,2] + [2,2,2]
  int8_t q[12], p0[4], p1[8];
  for (int i = 0; i < 12; i++) q[i] = (int8_t)(i - 6);
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT8, q, DIMS(3, 2, 2));
  ai = add_tensor(&g, MOTE_INT8, p0, DIMS(1, 2, 2));
  bi = add_tensor(&g, MOTE_INT8, p1, DIMS(2, 2, 2));
  o = split_opts(-3, 2, (int32_t[]){1, 2});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi), 1) == MOTE_OK);
  CHECK(memcmp(p0, q, 4) == 0 && memcmp(p1, q + 4, 8) == 0);

  // rank 5 int64 along axis 3: [2,1,3,4,2] -> [..,1,..] + [..,3,..]; threads
  int64_t v[48], s0[12], s1[36];
  for (int i = 0; i < 48; i++) v[i] = 1000 + i;
  g = (graph){0};
  xi = I64(&g, v, 2, 1, 3, 4, 2);
  ai = I64(&g, s0, 2, 1, 3, 1, 2);
  bi = I64(&g, s1, 2, 1, 3, 3, 2);
  o = split_opts(3, 2, (int32_t[]){1, 3});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi), 4) == MOTE_OK);
  int ok = 1;
  for (int r = 0; r < 6; r++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 2; k++) {
        const int64_t want = v[(r * 4 + j) * 2 + k];
        ok &= j == 0 ? s0[r * 2 + k] == want : s1[(r * 3 + j - 1) * 2 + k] == want;
      }
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 5);
  ai = F32(&g, a, 2, 2);
  ci = F32(&g, c, 2, 3);
  o = split_opts(1, 2, (int32_t[]){2, 2});  // sums to 4, axis has 5
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("sum to 4");
  o = split_opts(1, 2, (int32_t[]){-1, 6});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(2, 2, (int32_t[]){2, 3});  // axis out of range
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 2, (int32_t[]){3, 2});  // outputs [2,2] / [2,3] do not match [2,3] / [2,2]
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 3, (int32_t[]){2, 3, 0});  // three sizes, two outputs
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 2, (int32_t[]){2, 3});
  int32_t wrong = I32(&g, c, 2, 3);  // dtype differs
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, wrong), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_SPLIT, NULL, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);  // needs sizes
}

// ---- SLICE --------------------------------------------------------------------

static mote_op_options slice_opts(int32_t rank, const int32_t* starts, const int32_t* ends, const int32_t* steps) {
  mote_op_options o = {.type = MOTE_OPTIONS_SLICE, .u.slice = {.rank = rank}};
  for (int32_t i = 0; i < rank; i++) {
    o.u.slice.starts[i] = starts[i];
    o.u.slice.ends[i] = ends[i];
    o.u.slice.steps[i] = steps[i];
  }
  return o;
}

static void slice(void) {
  // reversed: [5] 4:-1:-1 -> all five backwards
  float x[5] = {0, 1, 2, 3, 4}, y[12];
  graph g = {0};
  int32_t xi = F32(&g, x, 5), yi = F32(&g, y, 5);
  mote_op_options o = slice_opts(1, (int32_t[]){4}, (int32_t[]){-1}, (int32_t[]){-1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){4, 3, 2, 1, 0}), 5, 0);
  // 1:5:3 -> [1, 4]; 3:0:-2 -> [3, 1]
  yi = F32(&g, y, 2);
  o = slice_opts(1, (int32_t[]){1}, (int32_t[]){5}, (int32_t[]){3});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 1 && y[1] == 4);
  o = slice_opts(1, (int32_t[]){3}, (int32_t[]){0}, (int32_t[]){-2});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 3 && y[1] == 1);

  // [3,4] rows 0:3:2, columns 3:0:-2 (int32)
  int32_t m[12], r[4];
  for (int i = 0; i < 12; i++) m[i] = i;
  g = (graph){0};
  xi = I32(&g, m, 3, 4);
  yi = I32(&g, r, 2, 2);
  o = slice_opts(2, (int32_t[]){0, 3}, (int32_t[]){3, 0}, (int32_t[]){2, -2});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(r, (int32_t[]){3, 1, 11, 9}, sizeof r) == 0);

  // empty results: 2:2 and a backward step over an empty span; a start past the
  // end of an empty range is never read, so it is fine
  yi = I32(&g, r, 0, 4);
  o = slice_opts(2, (int32_t[]){2, 0}, (int32_t[]){2, 4}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  yi = I32(&g, r, 3, 0);
  o = slice_opts(2, (int32_t[]){0, 1}, (int32_t[]){3, 3}, (int32_t[]){1, -1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  o = slice_opts(2, (int32_t[]){0, 9}, (int32_t[]){3, 9}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);

  // rank 5 int16, mixed steps, 3 threads, against the definition
  enum { D0 = 2, D1 = 3, D2 = 4, D3 = 5, D4 = 6 };
  static int16_t v[D0 * D1 * D2 * D3 * D4], out[D0 * D1 * D2 * D3 * D4];
  for (int i = 0; i < D0 * D1 * D2 * D3 * D4; i++) v[i] = (int16_t)i;
  const int32_t st[5] = {1, 2, 0, 4, 5}, en[5] = {-1, 0, 4, 0, -1}, sp[5] = {-1, -1, 3, -2, -2};
  const int32_t len[5] = {2, 2, 2, 2, 3};
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT16, v, DIMS(D0, D1, D2, D3, D4));
  yi = add_tensor(&g, MOTE_INT16, out, len, 5);
  o = slice_opts(5, st, en, sp);
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 3, yi, xi) == MOTE_OK);
  int ok = 1, k = 0;
  for (int a = 0; a < len[0]; a++)
    for (int b = 0; b < len[1]; b++)
      for (int c = 0; c < len[2]; c++)
        for (int d = 0; d < len[3]; d++)
          for (int e = 0; e < len[4]; e++) {
            const int i0 = st[0] + a * sp[0], i1 = st[1] + b * sp[1], i2 = st[2] + c * sp[2], i3 = st[3] + d * sp[3],
                      i4 = st[4] + e * sp[4];
            ok &= out[k++] == v[(((i0 * D1 + i1) * D2 + i2) * D3 + i3) * D4 + i4];
          }
  CHECK(ok);

  // refusals: step 0, reads outside the input, wrong rank, wrong output
  g = (graph){0};
  xi = F32(&g, x, 5);
  yi = F32(&g, y, 2);
  o = slice_opts(1, (int32_t[]){0}, (int32_t[]){2}, (int32_t[]){0});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){5}, (int32_t[]){7}, (int32_t[]){1});  // start past the end
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("outside [0, 5)");
  o = slice_opts(1, (int32_t[]){4}, (int32_t[]){6}, (int32_t[]){1});  // last index 5
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){1}, (int32_t[]){-3}, (int32_t[]){-2});  // reads 1, -1
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){INT32_MIN}, (int32_t[]){INT32_MAX}, (int32_t[]){INT32_MAX});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(2, (int32_t[]){0, 0}, (int32_t[]){2, 1}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){0}, (int32_t[]){3}, (int32_t[]){1});  // computes [3]
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_SLICE, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- GATHER -------------------------------------------------------------------

static void gather(void) {
  mote_op_options o = {.type = MOTE_OPTIONS_GATHER, .u.gather = {0}};
  float x[6] = {1, 2, 3, 4, 5, 6}, y[12];
  int64_t il[2] = {2, -3};
  graph g = {0};
  int32_t xi = F32(&g, x, 3, 2), ii = I64(&g, il, 2), yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){5, 6, 1, 2}), 4, 0);
  CHECK(RUN(&g, MOTE_OP_GATHER, NULL, 2, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);  // axis has no default here

  // axis -1 with [2,2] int32 indices: [3,2] -> [3,2,2]
  int32_t i2[4] = {1, 0, -1, 1};
  ii = I32(&g, i2, 2, 2);
  yi = F32(&g, y, 3, 2, 2);
  o.u.gather.axis = -1;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 2, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){2, 1, 2, 2, 4, 3, 4, 4, 6, 5, 6, 6}), 12, 0);

  // a scalar index drops the axis: [3,2] axis 0, index -1 -> [2]
  int32_t s = -1;
  ii = add_tensor(&g, MOTE_INT32, &s, NULL, 0);
  yi = F32(&g, y, 2);
  o.u.gather.axis = 0;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK(y[0] == 5 && y[1] == 6);

  // indices computed at run time: a bad one fails the invoke, naming the index
  int64_t bad[3] = {0, 3, 1};
  ii = I64(&g, bad, 3);
  yi = F32(&g, y, 3, 2);
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  CHECK_ERROR_HAS("index 3 (position 1)");
  bad[1] = -4;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 2, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  CHECK_ERROR_HAS("index -4");
  bad[1] = INT64_MIN;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  bad[1] = -3;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){1, 2, 1, 2, 3, 4}), 6, 0);
  // the same bad index in a constant fails prepare
  bad[1] = 3;
  g.t[ii].is_constant = true;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);

  // int8 rank 4 along axis 2, token-embedding style with 3 threads against a loop
  enum { A = 2, B = 3, C = 7, D = 5, K = 9 };
  static int8_t q[A * B * C * D], qo[A * B * K * D];
  int32_t idx[K];
  for (int i = 0; i < A * B * C * D; i++) q[i] = (int8_t)(i * 7);
  for (int i = 0; i < K; i++) idx[i] = rnd(2 * C) - C;
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT8, q, DIMS(A, B, C, D));
  ii = I32(&g, idx, 3, 3);
  yi = add_tensor(&g, MOTE_INT8, qo, DIMS(A, B, 3, 3, D));
  o.u.gather.axis = 2;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 3, yi, xi, ii) == MOTE_OK);
  int ok = 1;
  for (int ab = 0; ab < A * B; ab++)
    for (int k = 0; k < K; k++)
      for (int d = 0; d < D; d++) {
        const int c = idx[k] < 0 ? idx[k] + C : idx[k];
        ok &= qo[(ab * K + k) * D + d] == q[(ab * C + c) * D + d];
      }
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 3, 2);
  ii = I32(&g, i2, 2);
  yi = F32(&g, y, 2, 2);
  float fi[2] = {0, 1};
  int32_t fii = F32(&g, fi, 2);
  o.u.gather.axis = 0;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, fii) == MOTE_ERROR_INVALID_MODEL);  // float indices
  o.u.gather.axis = 2;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);
  o.u.gather.axis = 1;  // computes [3,2]
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);
  int32_t big = add_tensor(&g, MOTE_INT32, i2, DIMS(1, 1, 1, 1, 1, 1, 1, 1));
  o.u.gather.axis = 0;  // output rank 9
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, big) == MOTE_ERROR_INVALID_MODEL);
}

// ---- TILE and BROADCAST_TO ----------------------------------------------------

static mote_op_options tile_opts(int32_t rank, const int32_t* m) {
  mote_op_options o = {.type = MOTE_OPTIONS_TILE, .u.tile = {.rank = rank}};
  for (int32_t i = 0; i < rank; i++) o.u.tile.multiples[i] = m[i];
  return o;
}

static void tile(void) {
  float x[6] = {1, 2, 3, 4, 5, 6}, y[36];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 4, 6);
  mote_op_options o = tile_opts(2, (int32_t[]){2, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 2, yi, xi) == MOTE_OK);
  const float want[24] = {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6};
  CHECK_CLOSE(y, want, 24, 0);
  // rank 1, int64; multiple 0 gives an empty output
  int64_t l[2] = {7, -8}, ly[6];
  g = (graph){0};
  xi = I64(&g, l, 2);
  yi = I64(&g, ly, 6);
  o = tile_opts(1, (int32_t[]){3});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(ly, (int64_t[]){7, -8, 7, -8, 7, -8}, sizeof ly) == 0);
  yi = I64(&g, ly, 0);
  o = tile_opts(1, (int32_t[]){0});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_OK);

  // rank 4 uint8 [2,1,3,2] x [1,3,2,2], threads, against the definition out[i] = in[i % dim]
  uint8_t u[12], uy[12 * 12];
  for (int i = 0; i < 12; i++) u[i] = (uint8_t)(i * 11);
  g = (graph){0};
  xi = add_tensor(&g, MOTE_UINT8, u, DIMS(2, 1, 3, 2));
  yi = add_tensor(&g, MOTE_UINT8, uy, DIMS(2, 3, 6, 4));
  o = tile_opts(4, (int32_t[]){1, 3, 2, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 4, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 3; b++)
      for (int c = 0; c < 6; c++)
        for (int d = 0; d < 4; d++) ok &= uy[((a * 3 + b) * 6 + c) * 4 + d] == u[(a * 3 + c % 3) * 2 + d % 2];
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 3);
  yi = F32(&g, y, 4, 6);
  o = tile_opts(1, (int32_t[]){2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){-1, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){2, 3});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){2, INT32_MAX});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

static void broadcast_to(void) {
  float x[3] = {1, 2, 3}, y[24];
  graph g = {0};
  int32_t xi = F32(&g, x, 3), yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){1, 2, 3, 1, 2, 3}), 6, 0);
  // a column: [3,1] -> [2,3,4]
  xi = F32(&g, x, 3, 1);
  yi = F32(&g, y, 2, 3, 4);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 2, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int i = 0; i < 24; i++) ok &= y[i] == x[(i / 4) % 3];
  CHECK(ok);
  // a scalar; and an empty output from a size-1 dim
  xi = SCALAR_F32(&g, x + 1);
  yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){2, 2, 2, 2}), 4, 0);
  xi = F32(&g, x, 1, 3);
  yi = F32(&g, y, 0, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);

  // rank 5 int32 [2,1,3,1,2] -> [2,2,3,2,2], threads
  int32_t v[12], w[96];
  for (int i = 0; i < 12; i++) v[i] = i * 3 - 7;
  g = (graph){0};
  xi = I32(&g, v, 2, 1, 3, 1, 2);
  yi = I32(&g, w, 2, 2, 3, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 3, yi, xi) == MOTE_OK);
  ok = 1;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      for (int c = 0; c < 3; c++)
        for (int d = 0; d < 2; d++)
          for (int e = 0; e < 2; e++) ok &= w[(((a * 2 + b) * 3 + c) * 2 + d) * 2 + e] == v[(a * 3 + c) * 2 + e];
  CHECK(ok);

  // refusals: a dim neither equal nor 1; more input dims than output dims; dtype
  g = (graph){0};
  xi = F32(&g, x, 3);
  yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("does not broadcast");
  xi = F32(&g, x, 1, 3);
  yi = F32(&g, y, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  yi = I32(&g, v, 2, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- DEPTH_TO_SPACE / SPACE_TO_DEPTH ------------------------------------------

static mote_op_options ds_opts(int32_t b, mote_depth_space_mode mode) {
  return (mote_op_options){.type = MOTE_OPTIONS_DEPTH_SPACE, .u.depth_space = {b, mode}};
}

static void depth_space(void) {
  // ONNX's DepthToSpace example, NCHW [1,8,2,3] b=2, here as NHWC [1,2,3,8]: x[c,h,w] = c*6 + h*3 + w
  float x[48], y[48], z[48];
  for (int h = 0; h < 2; h++)
    for (int w = 0; w < 3; w++)
      for (int c = 0; c < 8; c++) x[(h * 3 + w) * 8 + c] = (float)(c * 6 + h * 3 + w);
  // numpy (onnx reference): output NCHW [1,2,4,6], printed here in NHWC order
  const float dcr[48] = {0, 6,  12, 18, 1, 7,  13, 19, 2, 8,  14, 20, 24, 30, 36, 42, 25, 31, 37, 43, 26, 32, 38, 44,
                         3, 9,  15, 21, 4, 10, 16, 22, 5, 11, 17, 23, 27, 33, 39, 45, 28, 34, 40, 46, 29, 35, 41, 47};
  const float crd[48] = {0, 24, 6,  30, 1, 25, 7,  31, 2, 26, 8,  32, 12, 36, 18, 42, 13, 37, 19, 43, 14, 38, 20, 44,
                         3, 27, 9,  33, 4, 28, 10, 34, 5, 29, 11, 35, 15, 39, 21, 45, 16, 40, 22, 46, 17, 41, 23, 47};
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 3, 8), yi = F32(&g, y, 1, 4, 6, 2), zi = F32(&g, z, 1, 2, 3, 8);
  mote_op_options o = ds_opts(2, MOTE_DEPTHSPACE_DCR);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, dcr, 48, 0);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 2, zi, yi) == MOTE_OK);
  CHECK_CLOSE(z, x, 48, 0);
  o = ds_opts(2, MOTE_DEPTHSPACE_CRD);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, crd, 48, 0);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 1, zi, yi) == MOTE_OK);
  CHECK_CLOSE(z, x, 48, 0);
  // no options: the op needs a block size
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);

  // block 3, two images, int16, 3 threads: both modes against the channel formulas, and round trips
  enum { N = 2, H = 2, W = 3, C = 2, BS = 3, CD = C * BS * BS };
  static int16_t d[N * H * W * CD], sp[N * H * BS * W * BS * C], back[N * H * W * CD];
  for (int i = 0; i < N * H * W * CD; i++) d[i] = (int16_t)(i * 5 - 300);
  for (int mode = 0; mode < 2; mode++) {
    g = (graph){0};
    xi = add_tensor(&g, MOTE_INT16, d, DIMS(N, H, W, CD));
    yi = add_tensor(&g, MOTE_INT16, sp, DIMS(N, H * BS, W * BS, C));
    zi = add_tensor(&g, MOTE_INT16, back, DIMS(N, H, W, CD));
    o = ds_opts(BS, (mote_depth_space_mode)mode);
    CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 3, yi, xi) == MOTE_OK);
    int ok = 1;
    for (int n = 0; n < N; n++)
      for (int hh = 0; hh < H * BS; hh++)
        for (int ww = 0; ww < W * BS; ww++)
          for (int c = 0; c < C; c++) {
            const int dy = hh % BS, dx = ww % BS;
            const int ch = mode == MOTE_DEPTHSPACE_DCR ? (dy * BS + dx) * C + c : c * BS * BS + dy * BS + dx;
            ok &= sp[((n * H * BS + hh) * W * BS + ww) * C + c] == d[((n * H + hh / BS) * W + ww / BS) * CD + ch];
          }
    CHECK(ok);
    memset(back, 0, sizeof back);
    CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 4, zi, yi) == MOTE_OK);
    CHECK(memcmp(back, d, sizeof d) == 0);
  }

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 1, 2, 3, 8);
  yi = F32(&g, y, 1, 4, 6, 2);
  o = ds_opts(3, MOTE_DEPTHSPACE_DCR);  // 8 channels do not divide by 9
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);  // 2x3 by 3
  o = ds_opts(0, MOTE_DEPTHSPACE_DCR);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = ds_opts(2, (mote_depth_space_mode)2);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = ds_opts(2, MOTE_DEPTHSPACE_CRD);
  zi = F32(&g, z, 1, 4, 3, 4);  // wrong output dims
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, zi, xi) == MOTE_ERROR_INVALID_MODEL);
  xi = F32(&g, x, 2, 3, 8);  // rank 3
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- TOPK ---------------------------------------------------------------------

static mote_op_options topk_opts(int32_t k, int32_t axis, bool largest) {
  return (mote_op_options){.type = MOTE_OPTIONS_TOPK, .u.topk = {k, axis, largest}};
}

// the first k positions of row `xr` (stride `inner`, length n) in output order, by selection
static void topk_oracle(const float* xr, int n, int inner, int k, bool largest, int32_t* out) {
  bool used[64] = {false};
  for (int m = 0; m < k; m++) {
    int best = -1;
    for (int j = 0; j < n; j++) {
      if (used[j]) continue;
      const float v = xr[j * inner];
      if (best < 0 || (largest ? v > xr[best * inner] : v < xr[best * inner])) best = j;  // ties: lower j
    }
    used[best] = true;
    out[m] = best;
  }
}

static void topk(void) {
  float x[10] = {1, 3, 3, 2, 3, 5, -1, 0, 5, 4}, v[10];
  int64_t il[10];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 5), vi = F32(&g, v, 2, 3), ii = I64(&g, il, 2, 3);
  mote_op_options o = topk_opts(3, -1, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK_CLOSE(v, ((float[]){3, 3, 3, 5, 5, 4}), 6, 0);
  CHECK(memcmp(il, (int64_t[]){1, 2, 4, 0, 3, 4}, 6 * sizeof *il) == 0);
  o.u.topk.largest = false;
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 2) == MOTE_OK);
  CHECK_CLOSE(v, ((float[]){1, 2, 3, -1, 0, 4}), 6, 0);
  CHECK(memcmp(il, (int64_t[]){0, 3, 1, 1, 2, 4}, 6 * sizeof *il) == 0);
  // without the scratch buffer eval fails cleanly
  CHECK(run_op(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_RUNTIME);

  // axis 0 of [4,3] int32 values, int32 indices, k = 2; then k = 4 (a full sort)
  int32_t m[12] = {4, 0, 7, 9, 0, -7, 4, 1, 7, -2, 1, 0}, mv[12], mi[12];
  g = (graph){0};
  xi = I32(&g, m, 4, 3);
  vi = I32(&g, mv, 2, 3);
  ii = I32(&g, mi, 2, 3);
  o = topk_opts(2, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 3) == MOTE_OK);
  CHECK(memcmp(mv, (int32_t[]){9, 1, 7, 4, 1, 7}, 6 * sizeof *mv) == 0);
  CHECK(memcmp(mi, (int32_t[]){1, 2, 0, 0, 3, 2}, 6 * sizeof *mi) == 0);
  vi = I32(&g, mv, 4, 3);
  ii = I32(&g, mi, 4, 3);
  o = topk_opts(4, -2, false);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(memcmp(mv, (int32_t[]){-2, 0, -7, 4, 0, 0, 4, 1, 7, 9, 1, 7}, sizeof mv) == 0);
  CHECK(memcmp(mi, (int32_t[]){3, 0, 1, 0, 1, 3, 2, 2, 0, 1, 3, 2}, sizeof mi) == 0);
  // k = 0: empty outputs
  vi = I32(&g, mv, 0, 3);
  ii = I32(&g, mi, 0, 3);
  o = topk_opts(0, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 2) == MOTE_OK);

  // int64 values, rank 1
  int64_t lv[4] = {INT64_MIN, 5, INT64_MAX, 5}, lo[2], li[2];
  g = (graph){0};
  xi = I64(&g, lv, 4);
  vi = I64(&g, lo, 2);
  ii = I64(&g, li, 2);
  o = topk_opts(2, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(lo[0] == INT64_MAX && lo[1] == 5 && li[0] == 2 && li[1] == 1);
  o.u.topk.largest = false;
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(lo[0] == INT64_MIN && lo[1] == 5 && li[0] == 0 && li[1] == 1);

  // nan ranks above +inf (torch.topk): first for largest, last for smallest
  float n[5] = {1, NAN, INFINITY, NAN, -INFINITY}, nv[5];
  int32_t ni[5];
  g = (graph){0};
  xi = F32(&g, n, 5);
  vi = F32(&g, nv, 3);
  ii = I32(&g, ni, 3);
  o = topk_opts(3, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(isnan(nv[0]) && isnan(nv[1]) && nv[2] == INFINITY);
  CHECK(ni[0] == 1 && ni[1] == 3 && ni[2] == 2);
  vi = F32(&g, nv, 5);
  ii = I32(&g, ni, 5);
  o = topk_opts(5, 0, false);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(memcmp(ni, (int32_t[]){4, 0, 2, 1, 3}, sizeof ni) == 0);

  // random rows with many ties, along the last axis and along axis 0, 1..4 threads
  enum { R = 6, L = 40, K = 7 };
  static float t[R * L], tv[R * K];
  static int32_t ti[R * K], want[K];
  for (int i = 0; i < R * L; i++) t[i] = (float)rnd(10);
  for (int threads = 1; threads <= 4; threads++) {
    for (int largest = 0; largest < 2; largest++) {
      for (int last = 0; last < 2; last++) {
        g = (graph){0};
        const int inner = last ? 1 : R;  // axis 0 of [L, R] reads the same data strided
        xi = last ? F32(&g, t, R, L) : F32(&g, t, L, R);
        vi = last ? F32(&g, tv, R, K) : F32(&g, tv, K, R);
        ii = last ? I32(&g, ti, R, K) : I32(&g, ti, K, R);
        o = topk_opts(K, last ? -1 : 0, largest);
        CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), threads) == MOTE_OK);
        int ok = 1;
        for (int r = 0; r < R; r++) {
          const float* xr = last ? t + r * L : t + r;
          topk_oracle(xr, L, inner, K, largest, want);
          for (int j = 0; j < K; j++) {
            const size_t at = last ? (size_t)(r * K + j) : (size_t)(j * R + r);
            ok &= ti[at] == want[j] && tv[at] == xr[want[j] * inner];
          }
        }
        CHECK(ok);
      }
    }
  }

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 5);
  vi = F32(&g, v, 2, 3);
  ii = I64(&g, il, 2, 3);
  o = topk_opts(6, -1, true);  // k too large
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("k 6 outside [0, 5]");
  o = topk_opts(-1, -1, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(2, -1, true);  // outputs are [2,3]
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(3, 2, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(3, 1, true);
  int32_t fi = F32(&g, v, 2, 3), i32v = I32(&g, v, 2, 3);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, fi), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(i32v, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, NULL, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
}

int main(void) {
  if (!harness_init()) return 1;
  // the registry must hand out exactly these functions
  static const int32_t ops[] = {MOTE_OP_REDUCE_SUM, MOTE_OP_ARG_MAX, MOTE_OP_SPLIT, MOTE_OP_SLICE, MOTE_OP_GATHER,
                                MOTE_OP_TILE, MOTE_OP_BROADCAST_TO, MOTE_OP_DEPTH_TO_SPACE, MOTE_OP_TOPK};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    const mote_op_registration* r = mote_op_lookup(ops[i]);
    CHECK(r && r->prepare == g_linked[2 * i] && r->eval == g_linked[2 * i + 1]);
  }
  for (int t = 1; t < 5; t++) g_pool[t] = mote_threadpool_create(t);
  reduce_golden();
  reduce_edges();
  reduce_threads();
  reduce_refusals();
  arg_minmax();
  split();
  slice();
  gather();
  tile();
  broadcast_to();
  depth_space();
  topk();
  for (int t = 1; t < 5; t++) mote_threadpool_destroy(g_pool[t]);
  return harness_finish();
}
