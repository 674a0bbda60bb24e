// Breadth reduction family: REDUCE_SUM/MAX/MIN/PROD/L2, ARG_MAX/ARG_MIN. Golden values
// (numpy's), threaded runs against plain loops, and prepare's refusals.
#include "family_run.h"

// this family's ops, named directly: the registry must hold these very functions
STRONG_OP(reduce);
STRONG_OP(arg_minmax);
static const op_fn g_linked[] = {
    mote_op_reduce_prepare, mote_op_reduce_eval,
    mote_op_arg_minmax_prepare, mote_op_arg_minmax_eval,
};

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

int main(void) {
  if (!harness_init()) return 1;
  // the registry must hand out exactly these functions
  static const int32_t ops[] = {MOTE_OP_REDUCE_SUM, MOTE_OP_ARG_MAX};
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
  for (int t = 1; t < 5; t++) mote_threadpool_destroy(g_pool[t]);
  return harness_finish();
}
