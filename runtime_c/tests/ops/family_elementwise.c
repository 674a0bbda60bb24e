// Breadth elementwise ops, part 1: unary math, POW / MINIMUM / MAXIMUM / PRELU
// and the integer binary ops, and the refusals of their prepare (comparisons,
// logic, WHERE and CAST: family_elementwise_logic.c). Golden values come from
// numpy / ONNX Runtime (float32) or are exact; broadcasting is checked against a
// naive index computation here, on 1..4 threads (the harness splits even tiny jobs).
#include "family_elementwise.h"

// ---- unary ---------------------------------------------------------------------

static void unary_case(int32_t op, const mote_op_options* o, const float* x, const float* want, int n) {
  for (int threads = 1; threads <= 3; threads += 2) {
    float y[8];
    graph g = {0};
    int32_t xi = T(&g, MOTE_FLOAT32, (float*)x, 2, n / 2), yi = T(&g, MOTE_FLOAT32, y, 2, n / 2);
    CHECK(RUN(&g, op, o, threads, yi, xi) == MOTE_OK);
    CHECK_F32(y, want, (size_t)n);
  }
}

static void unary_float(void) {
  const float x[8] = {-3.0f, -1.25f, -0.5f, 0.0f, 0.3f, 1.0f, 2.5f, 10.0f};
  const float exp_[8] = {0.0497870669f, 0.286504805f, 0.606530666f, 1, 1.34985888f, 2.71828175f, 12.1824942f,
                         22026.4648f};
  const float erf_[8] = {-0.999977887f, -0.92290014f, -0.520499885f, 0, 0.328626782f, 0.842700779f, 0.999593019f, 1};
  const float softplus[8] = {0.048587352f, 0.251929075f, 0.474076986f, 0.693147182f, 0.854355276f, 1.31326163f,
                             2.57888985f, 10.0000458f};
  const float swish[8] = {-0.142277613f, -0.278375179f, -0.188770339f, 0, 0.172332764f, 0.731058598f, 2.31035447f,
                          9.99954605f};
  const float mish[8] = {-0.145647466f, -0.308413953f, -0.220743775f, 0, 0.208001375f, 0.865098417f, 2.47139239f, 10};
  const float sin_[8] = {-0.141120002f, -0.948984623f, -0.47942555f, 0, 0.295520216f, 0.841470957f, 0.598472118f,
                         -0.54402113f};
  const float cos_[8] = {-0.989992499f, 0.315322369f, 0.87758255f, 1, 0.955336511f, 0.540302277f, -0.801143587f,
                         -0.839071512f};
  const float hsig[8] = {0, 0.25f, 0.400000006f, 0.5f, 0.560000002f, 0.699999988f, 1, 1};
  const float abs_[8] = {3, 1.25f, 0.5f, 0, 0.3f, 1, 2.5f, 10};
  const float neg[8] = {3, 1.25f, 0.5f, -0.0f, -0.3f, -1, -2.5f, -10};
  const float floor_[8] = {-3, -2, -1, 0, 0, 1, 2, 10}, ceil_[8] = {-3, -1, -0.0f, 0, 1, 1, 3, 10};
  unary_case(MOTE_OP_EXP, NULL, x, exp_, 8);
  unary_case(MOTE_OP_ERF, NULL, x, erf_, 8);
  unary_case(MOTE_OP_SOFTPLUS, NULL, x, softplus, 8);
  unary_case(MOTE_OP_SWISH, NULL, x, swish, 8);
  unary_case(MOTE_OP_MISH, NULL, x, mish, 8);
  unary_case(MOTE_OP_SIN, NULL, x, sin_, 8);
  unary_case(MOTE_OP_COS, NULL, x, cos_, 8);
  unary_case(MOTE_OP_HARD_SIGMOID, NULL, x, hsig, 8);  // defaults alpha 0.2, beta 0.5
  unary_case(MOTE_OP_ABS, NULL, x, abs_, 8);
  unary_case(MOTE_OP_NEG, NULL, x, neg, 8);
  unary_case(MOTE_OP_FLOOR, NULL, x, floor_, 8);
  unary_case(MOTE_OP_CEIL, NULL, x, ceil_, 8);
  mote_op_options hs = {.type = MOTE_OPTIONS_HARD_SIGMOID, .u.hard_sigmoid = {0.5f, 0.1f}};
  const float hsig2[8] = {0, 0, 0, 0.1f, 0.25f, 0.6f, 1, 1};
  unary_case(MOTE_OP_HARD_SIGMOID, &hs, x, hsig2, 8);

  const float p[8] = {0.0f, 0.25f, 1.0f, 2.0f, 9.0f, 1e-3f, 100.0f, 1e30f};
  const float log_[8] = {-INFINITY, -1.38629436f, 0, 0.693147182f, 2.19722462f, -6.90775537f, 4.60517025f,
                         69.0775528f};
  const float sqrt_[8] = {0, 0.5f, 1, 1.41421354f, 3, 0.0316227749f, 10, 9.99999987e+14f};
  const float rsqrt[8] = {INFINITY, 2, 1, 0.707106769f, 0.333333343f, 31.622776f, 0.100000001f, 1e-15f};
  const float recip[8] = {INFINITY, 4, 1, 0.5f, 0.111111112f, 1000, 0.00999999978f, 1e-30f};
  unary_case(MOTE_OP_LOG, NULL, p, log_, 8);
  unary_case(MOTE_OP_SQRT, NULL, p, sqrt_, 8);
  unary_case(MOTE_OP_RSQRT, NULL, p, rsqrt, 8);
  unary_case(MOTE_OP_RECIPROCAL, NULL, p, recip, 8);

  // round: half to even, keeps the sign of zero
  const float r[8] = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.49999997f, 1e9f};
  const float rw[8] = {-2, -2, -0.0f, 0, 2, 2, 0, 1e9f};
  unary_case(MOTE_OP_ROUND, NULL, r, rw, 8);
  float ry[8];
  graph g = {0};
  int32_t ri = T(&g, MOTE_FLOAT32, (float*)r, 8), ryi = T(&g, MOTE_FLOAT32, ry, 8);
  CHECK(RUN(&g, MOTE_OP_ROUND, NULL, 1, ryi, ri) == MOTE_OK);
  CHECK(signbit(ry[2]) && !signbit(ry[3]));

  // extremes: no overflow to nan in softplus / swish / mish, nan stays nan
  const float e[8] = {-100, -20, 20, 100, -INFINITY, INFINITY, NAN, -0.0f};
  float sp[8], sw[8], mi[8];
  g = (graph){0};
  int32_t ei = T(&g, MOTE_FLOAT32, (float*)e, 8), spi = T(&g, MOTE_FLOAT32, sp, 8);
  int32_t swi = T(&g, MOTE_FLOAT32, sw, 8), mii = T(&g, MOTE_FLOAT32, mi, 8);
  CHECK(RUN(&g, MOTE_OP_SOFTPLUS, NULL, 1, spi, ei) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_SWISH, NULL, 1, swi, ei) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_MISH, NULL, 1, mii, ei) == MOTE_OK);
  const float spw[8] = {3.7835059e-44f, 2.0611537e-09f, 20, 100, 0, INFINITY, NAN, 0.693147182f};
  const float sww[8] = {-3.72007598e-42f, -4.12230738e-08f, 20, 100, NAN, INFINITY, NAN, -0.0f};
  const float miw[8] = {-3.78350585e-42f, -4.12230738e-08f, 20, 100, NAN, INFINITY, NAN, -0.0f};
  CHECK(close_f32(sp, spw, 1, 1e-45f, 1e-5f, __LINE__) && close_or_same(sp + 1, spw + 1, 7, __LINE__));
  // float32 e^-100 is a subnormal, good to a few percent: the point is a tiny negative value, not -0 or nan
  CHECK(close_f32(sw, sww, 4, 1e-43f, 1e-5f, __LINE__) && sw[0] < 0 && isinf(sw[5]) && isnan(sw[6]));
  CHECK(close_f32(mi, miw, 4, 1e-43f, 1e-5f, __LINE__) && mi[0] < 0 && isinf(mi[5]) && isnan(mi[6]));
  // -inf * sigmoid(-inf) = -inf * 0 is nan in onnx runtime too; check the sign of -0 survives
  CHECK(signbit(sw[7]) && signbit(mi[7]));

  // in place
  float v[4] = {1, 4, 9, 16};
  const float vw[4] = {1, 2, 3, 4};
  g = (graph){0};
  int32_t vi = T(&g, MOTE_FLOAT32, v, 4);
  CHECK(RUN(&g, MOTE_OP_SQRT, NULL, 2, vi, vi) == MOTE_OK);
  CHECK_F32(v, vw, 4);
}

static void unary_int(void) {
  int32_t x[5] = {INT32_MIN, -5, 0, 7, INT32_MAX}, y[5];
  const int32_t abs_[5] = {INT32_MIN, 5, 0, 7, INT32_MAX}, neg[5] = {INT32_MIN, 5, 0, -7, -INT32_MAX};
  graph g = {0};
  int32_t xi = T(&g, MOTE_INT32, x, 5), yi = T(&g, MOTE_INT32, y, 5);
  CHECK(RUN(&g, MOTE_OP_ABS, NULL, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(y, abs_, sizeof y) == 0);
  CHECK(RUN(&g, MOTE_OP_NEG, NULL, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(y, neg, sizeof y) == 0);

  int64_t x8[5] = {INT64_MIN, -5000000000LL, 0, 7, INT64_MAX}, y8[5];
  const int64_t abs8[5] = {INT64_MIN, 5000000000LL, 0, 7, INT64_MAX};
  const int64_t neg8[5] = {INT64_MIN, 5000000000LL, 0, -7, -INT64_MAX};
  g = (graph){0};
  xi = T(&g, MOTE_INT64, x8, 5);
  yi = T(&g, MOTE_INT64, y8, 5);
  CHECK(RUN(&g, MOTE_OP_ABS, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(y8, abs8, sizeof y8) == 0);
  CHECK(RUN(&g, MOTE_OP_NEG, NULL, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(y8, neg8, sizeof y8) == 0);
}

// ---- broadcasting binary ops against a naive index computation -----------------------

// flat index into an operand of rank r, dims d for output flat index i (rank or, dims od)
static size_t operand_index(size_t i, int32_t orank, const int32_t* od, int32_t r, const int32_t* d) {
  size_t idx = 0, stride = 1;
  for (int32_t k = orank - 1; k >= 0; k--) {
    const size_t c = i % (size_t)od[k];
    i /= (size_t)od[k];
    const int32_t j = k - (orank - r);
    if (j >= 0) {
      if (d[j] != 1) idx += c * stride;
      stride *= (size_t)d[j];
    }
  }
  return idx;
}

static float naive_f32(int32_t op, float x, float z) {
  switch (op) {
    case MOTE_OP_ADD: return x + z;
    case MOTE_OP_SUB: return x - z;
    case MOTE_OP_MUL: return x * z;
    case MOTE_OP_DIV: return x / z;
    case MOTE_OP_POW: return powf(x, z);
    case MOTE_OP_MINIMUM: return fminf(x, z);
    case MOTE_OP_MAXIMUM: return fmaxf(x, z);
    case MOTE_OP_PRELU: return x < 0 ? x * z : x;
  }
  return NAN;
}

static int64_t naive_i64(int32_t op, int64_t x, int64_t z) {
  switch (op) {
    case MOTE_OP_ADD: return x + z;
    case MOTE_OP_SUB: return x - z;
    case MOTE_OP_MUL: return x * z;
    case MOTE_OP_DIV: return z == 0 ? 0 : x / z;
    case MOTE_OP_MINIMUM: return x < z ? x : z;
    case MOTE_OP_MAXIMUM: return x > z ? x : z;
  }
  return 0;
}

typedef struct {
  int32_t ra, rb, ry;
  int32_t da[MOTE_MAX_RANK], db[MOTE_MAX_RANK], dy[MOTE_MAX_RANK];
} bshape;

static const bshape k_shapes[] = {
    {2, 1, 2, {5, 7}, {7}, {5, 7}},
    {3, 2, 3, {4, 1, 3}, {2, 1}, {4, 2, 3}},
    {4, 3, 4, {3, 1, 5, 4}, {2, 1, 4}, {3, 2, 5, 4}},
    {2, 2, 2, {1, 9}, {6, 1}, {6, 9}},
    {1, 0, 1, {37}, {0}, {37}},
    {3, 3, 3, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
    {8, 8, 8, {2, 1, 2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2, 1, 3}, {2, 2, 2, 2, 2, 2, 2, 3}},
    {2, 2, 2, {0, 3}, {1, 3}, {0, 3}},
};

static size_t count_of(int32_t r, const int32_t* d) {
  size_t n = 1;
  for (int32_t i = 0; i < r; i++) n *= (size_t)d[i];
  return n;
}

static void binary_float_sweep(void) {
  static float a[512], b[512], y[512];
  const int32_t ops[] = {MOTE_OP_ADD, MOTE_OP_SUB, MOTE_OP_MUL, MOTE_OP_DIV,
                         MOTE_OP_POW, MOTE_OP_MINIMUM, MOTE_OP_MAXIMUM, MOTE_OP_PRELU};
  int ok = 1;
  for (size_t s = 0; s < sizeof k_shapes / sizeof k_shapes[0]; s++) {
    const bshape* sh = &k_shapes[s];
    const size_t na = count_of(sh->ra, sh->da), nb = count_of(sh->rb, sh->db), ny = count_of(sh->ry, sh->dy);
    fill_random(a, na, 11 + (unsigned)s);
    fill_random(b, nb, 23 + (unsigned)s);
    for (size_t i = 0; i < na; i++) a[i] = a[i] * 4.0f;
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
      float* bb = b;
      float bp[512];
      if (ops[o] == MOTE_OP_POW || ops[o] == MOTE_OP_DIV) {  // positive base / divisor away from zero
        for (size_t i = 0; i < nb; i++) bp[i] = 0.5f + fabsf(b[i]);
        bb = bp;
      }
      const float* aa = a;
      float ap[512];
      if (ops[o] == MOTE_OP_POW) {
        for (size_t i = 0; i < na; i++) ap[i] = 0.1f + fabsf(a[i]);
        aa = ap;
      }
      for (int threads = 1; threads <= 4; threads++) {
        graph g = {0};
        int32_t ai = add_tensor(&g, MOTE_FLOAT32, (float*)aa, sh->da, sh->ra);
        int32_t bi = add_tensor(&g, MOTE_FLOAT32, bb, sh->db, sh->rb);
        int32_t yi = add_tensor(&g, MOTE_FLOAT32, y, sh->dy, sh->ry);
        for (size_t i = 0; i < ny; i++) y[i] = -12345;
        if (RUN(&g, ops[o], NULL, threads, yi, ai, bi) != MOTE_OK) {
          fprintf(stderr, "shape %zu op %d: %s\n", s, ops[o], mote_last_error());
          ok = 0;
          continue;
        }
        for (size_t i = 0; i < ny; i++) {
          const float want = naive_f32(ops[o], aa[operand_index(i, sh->ry, sh->dy, sh->ra, sh->da)],
                                       bb[operand_index(i, sh->ry, sh->dy, sh->rb, sh->db)]);
          if (!(fabsf(y[i] - want) <= 1e-6f * (1 + fabsf(want)))) {
            fprintf(stderr, "shape %zu op %d threads %d elem %zu: got %g want %g\n", s, ops[o], threads, i,
                    (double)y[i], (double)want);
            ok = 0;
            break;
          }
        }
      }
    }
  }
  CHECK(ok);
}

static void binary_int_sweep(void) {
  static int32_t a[512], b[512], y[512];
  static int64_t a8[512], b8[512], y8[512];
  const int32_t ops[] = {MOTE_OP_ADD, MOTE_OP_SUB, MOTE_OP_MUL, MOTE_OP_DIV, MOTE_OP_MINIMUM, MOTE_OP_MAXIMUM};
  int ok = 1;
  for (size_t s = 0; s < sizeof k_shapes / sizeof k_shapes[0]; s++) {
    const bshape* sh = &k_shapes[s];
    const size_t na = count_of(sh->ra, sh->da), nb = count_of(sh->rb, sh->db), ny = count_of(sh->ry, sh->dy);
    for (size_t i = 0; i < na; i++) a8[i] = a[i] = (int32_t)((i * 7919u + s) % 2001u) - 1000;
    for (size_t i = 0; i < nb; i++) b8[i] = b[i] = (int32_t)((i * 104729u + 3 * s) % 41u) - 20;  // includes 0
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
      for (int threads = 1; threads <= 4; threads += 3) {
        graph g = {0};
        int32_t ai = add_tensor(&g, MOTE_INT32, a, sh->da, sh->ra), bi = add_tensor(&g, MOTE_INT32, b, sh->db, sh->rb);
        int32_t yi = add_tensor(&g, MOTE_INT32, y, sh->dy, sh->ry);
        int32_t ai8 = add_tensor(&g, MOTE_INT64, a8, sh->da, sh->ra);
        int32_t bi8 = add_tensor(&g, MOTE_INT64, b8, sh->db, sh->rb);
        int32_t yi8 = add_tensor(&g, MOTE_INT64, y8, sh->dy, sh->ry);
        ok &= RUN(&g, ops[o], NULL, threads, yi, ai, bi) == MOTE_OK;
        ok &= RUN(&g, ops[o], NULL, threads, yi8, ai8, bi8) == MOTE_OK;
        for (size_t i = 0; i < ny && ok; i++) {
          const size_t ia = operand_index(i, sh->ry, sh->dy, sh->ra, sh->da);
          const size_t ib = operand_index(i, sh->ry, sh->dy, sh->rb, sh->db);
          const int64_t want = naive_i64(ops[o], a[ia], b[ib]);
          if (y[i] != want || y8[i] != want) {
            fprintf(stderr, "shape %zu op %d elem %zu: got %d / %lld want %lld\n", s, ops[o], i, y[i],
                    (long long)y8[i], (long long)want);
            ok = 0;
          }
        }
      }
  }
  CHECK(ok);
}

static void binary_golden(void) {
  // pow with the special cases onnx runtime shows: (-8)^(1/3) is nan, 0^-1 is inf
  float pa[4] = {-8, 0, 2, 3}, pb[4] = {1.0f / 3, -1, 0.5f, 2}, y[8];
  const float pw[4] = {NAN, INFINITY, 1.41421354f, 9};
  graph g = {0};
  int32_t ai = T(&g, MOTE_FLOAT32, pa, 4), bi = T(&g, MOTE_FLOAT32, pb, 4), yi = T(&g, MOTE_FLOAT32, y, 4);
  CHECK(RUN(&g, MOTE_OP_POW, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_F32(y, pw, 4);

  // minimum / maximum propagate nan from either side, as onnx runtime
  float ma[4] = {NAN, 1, 2, NAN}, mb[4] = {1, NAN, 0, NAN};
  g = (graph){0};
  ai = T(&g, MOTE_FLOAT32, ma, 4);
  bi = T(&g, MOTE_FLOAT32, mb, 4);
  yi = T(&g, MOTE_FLOAT32, y, 4);
  const float mn[4] = {NAN, NAN, 0, NAN}, mx[4] = {NAN, NAN, 2, NAN};
  CHECK(RUN(&g, MOTE_OP_MINIMUM, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_F32(y, mn, 4);
  CHECK(RUN(&g, MOTE_OP_MAXIMUM, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_F32(y, mx, 4);

  // maximum with a fused RELU6, scalar operand
  float xa[6] = {-3, 2, 5, 7, 9, -1}, four = 4;
  g = (graph){0};
  ai = T(&g, MOTE_FLOAT32, xa, 2, 3);
  bi = SCALAR(&g, MOTE_FLOAT32, &four);
  yi = T(&g, MOTE_FLOAT32, y, 2, 3);
  mote_op_options relu6 = {.type = MOTE_OPTIONS_BINARY, .u.binary = {MOTE_ACT_RELU6}};
  const float mr[6] = {4, 4, 5, 6, 6, 4};
  CHECK(RUN(&g, MOTE_OP_MAXIMUM, &relu6, 2, yi, ai, bi) == MOTE_OK);
  CHECK_F32(y, mr, 6);
  // minimum with a fused RELU
  mote_op_options relu = {.type = MOTE_OPTIONS_BINARY, .u.binary = {MOTE_ACT_RELU}};
  const float mrl[6] = {0, 2, 4, 4, 4, 0};
  CHECK(RUN(&g, MOTE_OP_MINIMUM, &relu, 2, yi, ai, bi) == MOTE_OK);
  CHECK_F32(y, mrl, 6);

  // prelu, slope per channel (NHWC [1,2,2,3], slope [3]); nan stays nan
  float px[12] = {-1, -2, -3, 1, 2, 3, -4, 0, 4, NAN, -0.5f, -10}, slope[3] = {0.5f, 0.1f, 2};
  const float pr[12] = {-0.5f, -0.2f, -6, 1, 2, 3, -2, 0, 4, NAN, -0.05f, -20};
  float py[12];
  g = (graph){0};
  ai = T(&g, MOTE_FLOAT32, px, 1, 2, 2, 3);
  bi = T(&g, MOTE_FLOAT32, slope, 3);
  yi = T(&g, MOTE_FLOAT32, py, 1, 2, 2, 3);
  CHECK(RUN(&g, MOTE_OP_PRELU, NULL, 3, yi, ai, bi) == MOTE_OK);
  CHECK_F32(py, pr, 12);
}

static void binary_int_edges(void) {
  // division truncates toward zero; x / 0 is 0 and INT_MIN / -1 wraps: neither traps
  int32_t a[8] = {7, -7, 7, -7, 5, INT32_MIN, INT32_MIN, 0}, b[8] = {2, 2, -2, -2, 0, -1, 1, 3}, y[8];
  const int32_t dw[8] = {3, -3, -3, 3, 0, INT32_MIN, INT32_MIN, 0};
  graph g = {0};
  int32_t ai = T(&g, MOTE_INT32, a, 8), bi = T(&g, MOTE_INT32, b, 8), yi = T(&g, MOTE_INT32, y, 8);
  CHECK(RUN(&g, MOTE_OP_DIV, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK(memcmp(y, dw, sizeof dw) == 0);
  // overflow wraps (two's complement) instead of being undefined
  int32_t oa[3] = {INT32_MAX, INT32_MIN, 65536}, ob[3] = {1, 1, 65536}, oy[3];
  g = (graph){0};
  ai = T(&g, MOTE_INT32, oa, 3);
  bi = T(&g, MOTE_INT32, ob, 3);
  yi = T(&g, MOTE_INT32, oy, 3);
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK(oy[0] == INT32_MIN && oy[1] == INT32_MIN + 1 && oy[2] == 131072);
  CHECK(RUN(&g, MOTE_OP_SUB, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK(oy[0] == INT32_MAX - 1 && oy[1] == INT32_MAX && oy[2] == 0);
  CHECK(RUN(&g, MOTE_OP_MUL, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK(oy[0] == INT32_MAX && oy[1] == INT32_MIN && oy[2] == 0);

  int64_t a8[6] = {INT64_MIN, INT64_MIN, 9, -9, INT64_MAX, 3000000000LL * 4};
  int64_t b8[6] = {-1, 0, -4, 4, 1, 3000000000LL}, y8[6];
  const int64_t d8[6] = {INT64_MIN, 0, -2, -2, INT64_MAX, 4};
  g = (graph){0};
  ai = T(&g, MOTE_INT64, a8, 6);
  bi = T(&g, MOTE_INT64, b8, 6);
  yi = T(&g, MOTE_INT64, y8, 6);
  CHECK(RUN(&g, MOTE_OP_DIV, NULL, 2, yi, ai, bi) == MOTE_OK);
  CHECK(memcmp(y8, d8, sizeof d8) == 0);
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 2, yi, ai, bi) == MOTE_OK);
  CHECK(y8[0] == INT64_MAX && y8[4] == INT64_MIN && y8[5] == 15000000000LL);
  CHECK(RUN(&g, MOTE_OP_MAXIMUM, NULL, 2, yi, ai, bi) == MOTE_OK);
  CHECK(y8[0] == -1 && y8[1] == 0 && y8[2] == 9 && y8[3] == 4 && y8[4] == INT64_MAX);

  // int32 in place with a broadcast scalar
  int32_t v[4] = {1, 2, 3, 4}, ten = 10;
  g = (graph){0};
  int32_t vi = T(&g, MOTE_INT32, v, 2, 2), ti = SCALAR(&g, MOTE_INT32, &ten);
  CHECK(RUN(&g, MOTE_OP_MUL, NULL, 2, vi, vi, ti) == MOTE_OK);
  CHECK(v[0] == 10 && v[1] == 20 && v[2] == 30 && v[3] == 40);
}

// ---- refusals ---------------------------------------------------------------------------

static void rejects(void) {
  float f[6] = {0}, fy[6];
  int32_t i[6] = {0}, iy[6];
  int8_t i8[6] = {0}, i8y[6];
  uint8_t b[6] = {0}, by[6];
  graph g = {0};
  const int32_t ff = T(&g, MOTE_FLOAT32, f, 2, 3), fo = T(&g, MOTE_FLOAT32, fy, 2, 3);
  const int32_t ii = T(&g, MOTE_INT32, i, 2, 3), io = T(&g, MOTE_INT32, iy, 2, 3);
  const int32_t bb = T(&g, MOTE_BOOL, b, 2, 3), bo = T(&g, MOTE_BOOL, by, 2, 3);
  const int32_t q = T(&g, MOTE_INT8, i8, 2, 3), qo = T(&g, MOTE_INT8, i8y, 2, 3);
  const int32_t f3 = T(&g, MOTE_FLOAT32, f, 3), fo3 = T(&g, MOTE_FLOAT32, fy, 3, 2), b1 = T(&g, MOTE_BOOL, b, 4);

  // unary: dtype, output dtype / shape, input count, options type
  CHECK(RUN(&g, MOTE_OP_EXP, NULL, 1, io, ii) == MOTE_ERROR_UNSUPPORTED);
  CHECK_ERROR_HAS("takes float32");
  CHECK(RUN(&g, MOTE_OP_NEG, NULL, 1, qo, q) == MOTE_ERROR_UNSUPPORTED);
  CHECK(RUN(&g, MOTE_OP_ABS, NULL, 1, fo, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_SQRT, NULL, 1, fo3, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("has shape [3,2] but the op computes [2,3]");
  CHECK(run_op(&g, MOTE_OP_SIN, NULL, IDX(ff, ff), (int32_t[]){fo}, 1, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_COS, NULL, IDX(ff), (int32_t[]){fo, fo3}, 2, 1) == MOTE_ERROR_INVALID_MODEL);
  mote_op_options clip = {.type = MOTE_OPTIONS_CLIP, .u.clip = {0, 1}};
  CHECK(RUN(&g, MOTE_OP_HARD_SIGMOID, &clip, 1, fo, ff) == MOTE_ERROR_INVALID_MODEL);

  // binary: mismatched dtypes, unsupported dtypes, int with a fused activation, shapes
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 1, io, ii, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 1, fo, ii, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_MUL, NULL, 1, qo, q, q) == MOTE_ERROR_UNSUPPORTED);
  CHECK(RUN(&g, MOTE_OP_POW, NULL, 1, io, ii, ii) == MOTE_ERROR_UNSUPPORTED);
  CHECK(RUN(&g, MOTE_OP_PRELU, NULL, 1, io, ii, ii) == MOTE_ERROR_UNSUPPORTED);
  mote_op_options relu = {.type = MOTE_OPTIONS_BINARY, .u.binary = {MOTE_ACT_RELU}};
  CHECK(RUN(&g, MOTE_OP_MAXIMUM, &relu, 1, io, ii, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_MINIMUM, NULL, 1, fo, ff, fo3) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("do not broadcast");
  CHECK(RUN(&g, MOTE_OP_POW, NULL, 1, fo3, ff, f3) == MOTE_ERROR_INVALID_MODEL);  // [2,3] ^ [3] is [2,3]
  CHECK(run_op(&g, MOTE_OP_PRELU, NULL, IDX(ff), (int32_t[]){fo}, 1, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_DIV, NULL, IDX(ii, ii, ii), (int32_t[]){io}, 1, 1) == MOTE_ERROR_INVALID_MODEL);

  // compare: dtype of the inputs and of the output, int8 input, shape
  CHECK(RUN(&g, MOTE_OP_EQUAL, NULL, 1, bo, ff, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LESS, NULL, 1, fo, ff, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("expected bool");
  CHECK(RUN(&g, MOTE_OP_GREATER, NULL, 1, bo, q, q) == MOTE_ERROR_UNSUPPORTED);
  CHECK(RUN(&g, MOTE_OP_NOT_EQUAL, NULL, 1, b1, ff, f3) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_LESS_EQUAL, NULL, IDX(ff), (int32_t[]){bo}, 1, 1) == MOTE_ERROR_INVALID_MODEL);

  // logical: non-bool inputs or output, counts, shapes
  CHECK(RUN(&g, MOTE_OP_LOGICAL_AND, NULL, 1, bo, ii, bb) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_OR, NULL, 1, bo, bb, q) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_OR, NULL, 1, io, bb, bb) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_NOT, NULL, 1, bo, bb, bb) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_AND, NULL, 1, bo, bb) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_NOT, NULL, 1, b1, bb) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_AND, NULL, 1, bo, bb, b1) == MOTE_ERROR_INVALID_MODEL);

  // where: condition dtype, a / b / output dtypes, counts, shapes
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, fo, ff, ff, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("condition");
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, fo, bb, ff, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, io, bb, ff, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, fo, bb, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, fo, b1, ff, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, fo3, bb, ff, ff) == MOTE_ERROR_INVALID_MODEL);

  // cast: unknown dtypes, shapes, counts
  g.t[qo].dtype = (mote_dtype)42;
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 1, qo, ff) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 1, fo, qo) == MOTE_ERROR_INVALID_MODEL);
  g.t[qo].dtype = MOTE_INT8;
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 1, fo3, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 1, fo, ii, ii) == MOTE_ERROR_INVALID_MODEL);

  // a constant output is refused (its memory may be read-only)
  g.t[io].is_constant = true;
  CHECK(RUN(&g, MOTE_OP_ABS, NULL, 1, io, ii) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 1, io, ff) == MOTE_ERROR_INVALID_MODEL);
  g.t[io].is_constant = false;
  // an absent input (-1) is refused, never dereferenced
  CHECK(run_op(&g, MOTE_OP_WHERE, NULL, IDX(bb, -1, ff), (int32_t[]){fo}, 1, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_MAXIMUM, NULL, IDX(-1, ff), (int32_t[]){fo}, 1, 1) == MOTE_ERROR_INVALID_MODEL);
}

static void empty_tensors(void) {
  // zero-element outputs run and touch nothing
  float a[3] = {1, 2, 3}, y[1] = {42};
  uint8_t c[1] = {1};
  graph g = {0};
  int32_t ai = T(&g, MOTE_FLOAT32, a, 0, 3), bi = T(&g, MOTE_FLOAT32, a, 3), yi = T(&g, MOTE_FLOAT32, y, 0, 3);
  CHECK(RUN(&g, MOTE_OP_POW, NULL, 2, yi, ai, bi) == MOTE_OK);
  int32_t ci = T(&g, MOTE_BOOL, c, 1);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 2, yi, ci, ai, bi) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_EXP, NULL, 2, yi, ai) == MOTE_OK);
  int32_t zi = add_tensor(&g, MOTE_INT32, y, (int32_t[]){0, 3}, 2);
  CHECK(RUN(&g, MOTE_OP_CAST, NULL, 2, zi, ai) == MOTE_OK);
  CHECK(y[0] == 42);
}

int main(void) {
  if (!harness_init()) return 1;
  unary_float();
  unary_int();
  binary_golden();
  binary_float_sweep();
  binary_int_sweep();
  binary_int_edges();
  rejects();
  empty_tensors();
  return harness_finish();
}
