// Breadth elementwise ops, part 2: comparisons, logical ops, WHERE and CAST
// (float16 included), golden values exact or from numpy / ONNX Runtime.
#include "family_elementwise.h"

// ---- comparisons, logical, where ------------------------------------------------------

static void compare(void) {
  // [2,3] vs [3], nan compares unequal
  float a[6] = {1, 2, 3, NAN, 5, -0.0f}, b[3] = {2, 2, 0};
  uint8_t y[6];
  const uint8_t want[6][6] = {
      {0, 1, 0, 0, 0, 1},  // equal (-0 == 0)
      {1, 0, 1, 1, 1, 0},  // not equal
      {1, 0, 0, 0, 0, 0},  // less
      {1, 1, 0, 0, 0, 1},  // less equal
      {0, 0, 1, 0, 1, 0},  // greater
      {0, 1, 1, 0, 1, 1},  // greater equal
  };
  for (int k = 0; k < 6; k++) {
    graph g = {0};
    int32_t ai = T(&g, MOTE_FLOAT32, a, 2, 3), bi = T(&g, MOTE_FLOAT32, b, 3), yi = T(&g, MOTE_BOOL, y, 2, 3);
    memset(y, 7, sizeof y);
    CHECK(RUN(&g, MOTE_OP_EQUAL + k, NULL, 1 + k % 3, yi, ai, bi) == MOTE_OK);
    CHECK_BYTES(y, want[k], 6);
  }
  // int32 [2,1] vs [1,3]
  int32_t ia[2] = {INT32_MIN, 5}, ib[3] = {4, 5, INT32_MIN};
  const uint8_t lt[6] = {1, 1, 0, 0, 0, 0}, ge[6] = {0, 0, 1, 1, 1, 1};
  graph g = {0};
  int32_t ai = T(&g, MOTE_INT32, ia, 2, 1), bi = T(&g, MOTE_INT32, ib, 1, 3), yi = T(&g, MOTE_BOOL, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_LESS, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, lt, 6);
  CHECK(RUN(&g, MOTE_OP_GREATER_EQUAL, NULL, 2, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, ge, 6);
  // int64 beyond 2^53 (a double would call these equal)
  int64_t la[2] = {(1LL << 53) + 1, -7}, lb[2] = {1LL << 53, -7};
  const uint8_t eq8[2] = {0, 1}, gt8[2] = {1, 0};
  g = (graph){0};
  ai = T(&g, MOTE_INT64, la, 2);
  bi = T(&g, MOTE_INT64, lb, 2);
  yi = T(&g, MOTE_BOOL, y, 2);
  CHECK(RUN(&g, MOTE_OP_EQUAL, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, eq8, 2);
  CHECK(RUN(&g, MOTE_OP_GREATER, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, gt8, 2);
  // bool: any non-zero byte is true; false < true
  uint8_t ba[4] = {0, 1, 2, 0}, bb[4] = {0, 2, 0, 1};
  const uint8_t beq[4] = {1, 1, 0, 0}, bgt[4] = {0, 0, 1, 0}, ble[4] = {1, 1, 0, 1};
  g = (graph){0};
  ai = T(&g, MOTE_BOOL, ba, 4);
  bi = T(&g, MOTE_BOOL, bb, 4);
  yi = T(&g, MOTE_BOOL, y, 4);
  CHECK(RUN(&g, MOTE_OP_EQUAL, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, beq, 4);
  CHECK(RUN(&g, MOTE_OP_GREATER, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, bgt, 4);
  CHECK(RUN(&g, MOTE_OP_LESS_EQUAL, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, ble, 4);
  // a scalar against a larger tensor, split over threads
  float big[300], thr = 0.0f;
  uint8_t by[300];
  fill_random(big, 300, 5);
  g = (graph){0};
  ai = T(&g, MOTE_FLOAT32, big, 3, 100);
  bi = SCALAR(&g, MOTE_FLOAT32, &thr);
  yi = T(&g, MOTE_BOOL, by, 3, 100);
  CHECK(RUN(&g, MOTE_OP_GREATER, NULL, 4, yi, ai, bi) == MOTE_OK);
  int ok = 1;
  for (int i = 0; i < 300; i++) ok &= by[i] == (big[i] > 0.0f);
  CHECK(ok);
}

static void logical(void) {
  uint8_t a[4] = {0, 1, 3, 0}, b[2] = {1, 0}, y[4];
  const uint8_t and_[4] = {0, 0, 1, 0}, or_[4] = {1, 1, 1, 0}, not_[4] = {1, 0, 0, 1};
  graph g = {0};
  int32_t ai = T(&g, MOTE_BOOL, a, 2, 2), bi = T(&g, MOTE_BOOL, b, 2), yi = T(&g, MOTE_BOOL, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_AND, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, and_, 4);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_OR, NULL, 2, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(y, or_, 4);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_NOT, NULL, 2, yi, ai) == MOTE_OK);
  CHECK_BYTES(y, not_, 4);
  // [2,1] or [1,3]
  uint8_t c[2] = {1, 0}, d[3] = {0, 1, 0}, z[6];
  const uint8_t or2[6] = {1, 1, 1, 0, 1, 0};
  g = (graph){0};
  ai = T(&g, MOTE_BOOL, c, 2, 1);
  bi = T(&g, MOTE_BOOL, d, 1, 3);
  yi = T(&g, MOTE_BOOL, z, 2, 3);
  CHECK(RUN(&g, MOTE_OP_LOGICAL_OR, NULL, 3, yi, ai, bi) == MOTE_OK);
  CHECK_BYTES(z, or2, 6);
}

static void where(void) {
  // cond [3], a scalar, b [2,1] -> [2,3]
  uint8_t c[3] = {1, 0, 5};
  float a = 9, b[2] = {-1, -2}, y[6];
  const float w[6] = {9, -1, 9, 9, -2, 9};
  graph g = {0};
  int32_t ci = T(&g, MOTE_BOOL, c, 3), ai = SCALAR(&g, MOTE_FLOAT32, &a), bi = T(&g, MOTE_FLOAT32, b, 2, 1);
  int32_t yi = T(&g, MOTE_FLOAT32, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 2, yi, ci, ai, bi) == MOTE_OK);
  CHECK_F32(y, w, 6);
  // int64 and the bit pattern of a float16 nan carried through untouched
  uint8_t c2[4] = {0, 1, 1, 0};
  int64_t a8[4] = {1, 2, 3, 4}, b8[4] = {-1, -2, -3, INT64_MIN}, y8[4];
  const int64_t w8[4] = {-1, 2, 3, INT64_MIN};
  g = (graph){0};
  ci = T(&g, MOTE_BOOL, c2, 4);
  ai = T(&g, MOTE_INT64, a8, 4);
  bi = T(&g, MOTE_INT64, b8, 4);
  yi = T(&g, MOTE_INT64, y8, 4);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 3, yi, ci, ai, bi) == MOTE_OK);
  CHECK(memcmp(y8, w8, sizeof w8) == 0);
  uint16_t h[2] = {0x7e01, 0x3c00}, hb = 0xfc00, hy[4];
  const uint16_t hw[4] = {0xfc00, 0x7e01, 0x3c00, 0xfc00};
  g = (graph){0};
  ci = T(&g, MOTE_BOOL, c2, 2, 2);
  ai = T(&g, MOTE_FLOAT16, h, 2, 1);
  bi = SCALAR(&g, MOTE_FLOAT16, &hb);
  yi = T(&g, MOTE_FLOAT16, hy, 2, 2);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 1, yi, ci, ai, bi) == MOTE_OK);
  CHECK(memcmp(hy, hw, sizeof hw) == 0);
  // uint8 elements, rank 3 broadcast of all three operands, against a naive walk
  uint8_t cc[4] = {1, 0, 0, 1}, ua[3] = {10, 20, 30}, ub[8], uy[24];
  for (int i = 0; i < 8; i++) ub[i] = (uint8_t)(100 + i);
  g = (graph){0};
  ci = T(&g, MOTE_BOOL, cc, 4, 1, 1);
  ai = T(&g, MOTE_UINT8, ua, 1, 3);
  bi = T(&g, MOTE_UINT8, ub, 2, 4, 1, 1);
  yi = T(&g, MOTE_UINT8, uy, 2, 4, 1, 3);
  CHECK(g.t[yi].num_elements == 24);
  CHECK(RUN(&g, MOTE_OP_WHERE, NULL, 4, yi, ci, ai, bi) == MOTE_OK);
  int ok = 1;
  for (int n = 0; n < 2; n++)
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 3; j++) ok &= uy[(n * 4 + i) * 3 + j] == (cc[i] ? ua[j] : ub[n * 4 + i]);
  CHECK(ok);
}

// ---- cast ----------------------------------------------------------------------------

static mote_status cast(mote_dtype from, const void* x, mote_dtype to, void* y, int32_t n, int threads) {
  graph g = {0};
  int32_t xi = add_tensor(&g, from, (void*)x, (int32_t[]){n}, 1), yi = add_tensor(&g, to, y, (int32_t[]){n}, 1);
  return RUN(&g, MOTE_OP_CAST, NULL, threads, yi, xi);
}

static void cast_float_int(void) {
  // float -> int: truncate toward zero; out of range saturates, nan gives 0
  const float f[9] = {1.9f, -1.9f, 0.5f, -0.5f, 3e9f, -3e9f, NAN, INFINITY, -INFINITY};
  int32_t i32[9];
  const int32_t w32[9] = {1, -1, 0, 0, INT32_MAX, INT32_MIN, 0, INT32_MAX, INT32_MIN};
  CHECK(cast(MOTE_FLOAT32, f, MOTE_INT32, i32, 9, 2) == MOTE_OK);
  CHECK(memcmp(i32, w32, sizeof w32) == 0);
  const float f2[7] = {127.9f, 128.0f, -128.9f, -129.0f, 300, -300, 2147483520.0f};
  int8_t i8[7];
  uint8_t u8[7];
  int16_t i16[7];
  const int8_t w8[7] = {127, 127, -128, -128, 127, -128, 127};
  const uint8_t wu8[7] = {127, 128, 0, 0, 255, 0, 255};
  const int16_t w16[7] = {127, 128, -128, -129, 300, -300, INT16_MAX};
  CHECK(cast(MOTE_FLOAT32, f2, MOTE_INT8, i8, 7, 1) == MOTE_OK);
  CHECK(memcmp(i8, w8, sizeof w8) == 0);
  CHECK(cast(MOTE_FLOAT32, f2, MOTE_UINT8, u8, 7, 1) == MOTE_OK);
  CHECK(memcmp(u8, wu8, sizeof wu8) == 0);
  CHECK(cast(MOTE_FLOAT32, f2, MOTE_INT16, i16, 7, 1) == MOTE_OK);
  CHECK(memcmp(i16, w16, sizeof w16) == 0);
  const float f3[5] = {9.3e18f, -9.3e18f, -9223372036854775808.0f, 123456789012.0f, NAN};
  int64_t i64[5];
  const int64_t w64[5] = {INT64_MAX, INT64_MIN, INT64_MIN, 123456790528LL, 0};
  CHECK(cast(MOTE_FLOAT32, f3, MOTE_INT64, i64, 5, 1) == MOTE_OK);
  CHECK(memcmp(i64, w64, sizeof w64) == 0);
  // int -> float
  const int64_t l[4] = {(1LL << 53) + 1, -3, INT64_MIN, 16777217};
  float lf[4];
  const float wlf[4] = {9007199254740992.0f, -3, -9223372036854775808.0f, 16777216.0f};
  CHECK(cast(MOTE_INT64, l, MOTE_FLOAT32, lf, 4, 1) == MOTE_OK);
  CHECK(memcmp(lf, wlf, sizeof wlf) == 0);
}

static void cast_int_bool(void) {
  // integer narrowing wraps, as numpy / onnx runtime
  const int64_t l[5] = {0x100000005LL, -1, 1LL << 31, 200, -129};
  int32_t i32[5];
  int8_t i8[5];
  uint8_t u8[5];
  const int32_t w32[5] = {5, -1, INT32_MIN, 200, -129};
  const int8_t w8[5] = {5, -1, 0, -56, 127};
  const uint8_t wu8[5] = {5, 255, 0, 200, 127};
  CHECK(cast(MOTE_INT64, l, MOTE_INT32, i32, 5, 1) == MOTE_OK);
  CHECK(memcmp(i32, w32, sizeof w32) == 0);
  CHECK(cast(MOTE_INT64, l, MOTE_INT8, i8, 5, 1) == MOTE_OK);
  CHECK(memcmp(i8, w8, sizeof w8) == 0);
  CHECK(cast(MOTE_INT32, w32, MOTE_UINT8, u8, 5, 1) == MOTE_OK);
  CHECK(memcmp(u8, wu8, sizeof wu8) == 0);
  // widening keeps the value (uint8 is unsigned, int8 sign-extends)
  int64_t back[5];
  const int64_t wback[5] = {5, 255, 0, 200, 127}, wback8[5] = {5, -1, 0, -56, 127};
  CHECK(cast(MOTE_UINT8, u8, MOTE_INT64, back, 5, 1) == MOTE_OK);
  CHECK(memcmp(back, wback, sizeof wback) == 0);
  CHECK(cast(MOTE_INT8, i8, MOTE_INT64, back, 5, 1) == MOTE_OK);
  CHECK(memcmp(back, wback8, sizeof wback8) == 0);
  const int16_t s16[3] = {300, -300, INT16_MIN};
  uint8_t su8[3];
  const uint8_t wsu8[3] = {44, 212, 0};
  CHECK(cast(MOTE_INT16, s16, MOTE_UINT8, su8, 3, 1) == MOTE_OK);
  CHECK(memcmp(su8, wsu8, sizeof wsu8) == 0);

  // to bool: x != 0 (nan is true, -0 is false)
  const float f[6] = {0, -0.0f, 0.1f, NAN, -INFINITY, 1e-45f};
  uint8_t b[6];
  const uint8_t wb[6] = {0, 0, 1, 1, 1, 1};
  CHECK(cast(MOTE_FLOAT32, f, MOTE_BOOL, b, 6, 1) == MOTE_OK);
  CHECK_BYTES(b, wb, 6);
  const int64_t li[3] = {0, 1LL << 40, -1};
  const uint8_t wli[3] = {0, 1, 1};
  CHECK(cast(MOTE_INT64, li, MOTE_BOOL, b, 3, 1) == MOTE_OK);
  CHECK_BYTES(b, wli, 3);
  // from bool: any non-zero byte is 1
  const uint8_t bb[3] = {0, 1, 2};
  float bf[3];
  int32_t bi[3];
  uint16_t bh[3];
  const float wbf[3] = {0, 1, 1};
  const int32_t wbi[3] = {0, 1, 1};
  const uint16_t wbh[3] = {0, 0x3c00, 0x3c00};
  CHECK(cast(MOTE_BOOL, bb, MOTE_FLOAT32, bf, 3, 1) == MOTE_OK);
  CHECK(memcmp(bf, wbf, sizeof wbf) == 0);
  CHECK(cast(MOTE_BOOL, bb, MOTE_INT32, bi, 3, 1) == MOTE_OK);
  CHECK(memcmp(bi, wbi, sizeof wbi) == 0);
  CHECK(cast(MOTE_BOOL, bb, MOTE_FLOAT16, bh, 3, 1) == MOTE_OK);
  CHECK(memcmp(bh, wbh, sizeof wbh) == 0);
  // same dtype: a copy, in place too
  float same[3] = {1, NAN, -2}, same_y[3];
  CHECK(cast(MOTE_FLOAT32, same, MOTE_FLOAT32, same_y, 3, 1) == MOTE_OK);
  CHECK(memcmp(same, same_y, sizeof same) == 0);
}

static void cast_f16(void) {
  // float32 -> float16: round to nearest even, overflow to inf, subnormals, nan
  const float f[20] = {1.0f, -2.0f, 65504.0f, 65519.99f, 65520.0f, INFINITY, -INFINITY, NAN,
                       0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1.8p-24f, 0x1p-14f, 0x1p-14f - 0x1p-25f, 1.0f + 0x1p-11f,
                       1.0f + 0x1.8p-10f, -0.0f, 0.1f, 1e-10f, 0x1.ff9p-15f};
  const uint16_t want[20] = {0x3c00, 0xc000, 0x7bff, 0x7bff, 0x7c00, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x0000,
                             0x0001, 0x0002, 0x0400, 0x0400, 0x3c00, 0x3c02, 0x8000, 0x2e66, 0x0000, 0x03ff};
  uint16_t h[20];
  CHECK(cast(MOTE_FLOAT32, f, MOTE_FLOAT16, h, 20, 1) == MOTE_OK);
  for (int i = 0; i < 20; i++)
    if (h[i] != want[i]) {
      fprintf(stderr, "f32 %a -> f16 0x%04x, want 0x%04x\n", (double)f[i], h[i], want[i]);
      CHECK(h[i] == want[i]);
    }
  // float16 -> float32: exact, subnormals and specials
  const uint16_t hs[10] = {0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x8000, 0x3555, 0x8001, 0xc000};
  const float fs[10] = {0x1p-24f, 0x1.ff8p-15f, 0x1p-14f, 65504, INFINITY, -INFINITY, -0.0f, 0.333251953125f,
                        -0x1p-24f, -2};
  float fy[10];
  CHECK(cast(MOTE_FLOAT16, hs, MOTE_FLOAT32, fy, 10, 1) == MOTE_OK);
  CHECK(memcmp(fy, fs, sizeof fs) == 0);
  uint16_t hn[2] = {0x7e00, 0xfd00};
  float fn[2];
  CHECK(cast(MOTE_FLOAT16, hn, MOTE_FLOAT32, fn, 2, 1) == MOTE_OK);
  CHECK(isnan(fn[0]) && isnan(fn[1]));
  // float16 <-> integers
  const uint16_t hi[4] = {0x3e00, 0xbe00, 0x7bff, 0xfc00};  // 1.5, -1.5, 65504, -inf
  int32_t i32[4];
  int8_t i8[4];
  const int32_t wi32[4] = {1, -1, 65504, INT32_MIN};
  const int8_t wi8[4] = {1, -1, 127, -128};
  CHECK(cast(MOTE_FLOAT16, hi, MOTE_INT32, i32, 4, 1) == MOTE_OK);
  CHECK(memcmp(i32, wi32, sizeof wi32) == 0);
  CHECK(cast(MOTE_FLOAT16, hi, MOTE_INT8, i8, 4, 1) == MOTE_OK);
  CHECK(memcmp(i8, wi8, sizeof wi8) == 0);
  const int32_t ii[4] = {65519, 70000, -3, 2049};
  uint16_t ih[4];
  const uint16_t wih[4] = {0x7bff, 0x7c00, 0xc200, 0x6800};  // 2049 ties to 2048
  CHECK(cast(MOTE_INT32, ii, MOTE_FLOAT16, ih, 4, 1) == MOTE_OK);
  CHECK(memcmp(ih, wih, sizeof wih) == 0);

  // every float16 survives float16 -> float32 -> float16 (nans stay nan), on 3 threads
  static uint16_t all[65536], round[65536];
  static float wide[65536];
  for (int i = 0; i < 65536; i++) all[i] = (uint16_t)i;
  CHECK(cast(MOTE_FLOAT16, all, MOTE_FLOAT32, wide, 65536, 3) == MOTE_OK);
  CHECK(cast(MOTE_FLOAT32, wide, MOTE_FLOAT16, round, 65536, 3) == MOTE_OK);
  int ok = 1;
  for (int i = 0; i < 65536; i++) {
    const int nan = (i & 0x7c00) == 0x7c00 && (i & 0x3ff);
    ok &= nan ? ((round[i] & 0x7c00) == 0x7c00 && (round[i] & 0x3ff) && (round[i] & 0x8000) == (i & 0x8000))
              : round[i] == all[i];
  }
  CHECK(ok);

  // float32 -> float16 against the definition: the nearest of the two
  // neighbouring halves (ties to the even one), found by bisection
  static float fr[20000];
  uint32_t s = 12345;
  for (int i = 0; i < 20000; i++) {
    s = s * 1664525u + 1013904223u;
    const uint32_t bits = (s >> 9) | ((uint32_t)(100 + i % 44) << 23);  // exponents 2^-27 .. 2^16
    memcpy(&fr[i], &bits, 4);
  }
  static uint16_t hr[20000];
  CHECK(cast(MOTE_FLOAT32, fr, MOTE_FLOAT16, hr, 20000, 2) == MOTE_OK);
  ok = 1;
  for (int i = 0; i < 20000 && ok; i++) {
    const double v = fr[i];
    uint32_t lo = 0, hi = 0x7c00;  // largest half <= v in [lo, hi)
    while (hi - lo > 1) {
      const uint32_t mid = (lo + hi) / 2;
      if ((double)mote_f16_to_f32((uint16_t)mid) <= v) lo = mid; else hi = mid;
    }
    const double dl = v - mote_f16_to_f32((uint16_t)lo), dh = (double)mote_f16_to_f32((uint16_t)(lo + 1)) - v;
    uint16_t w = (uint16_t)(dl < dh ? lo : dh < dl ? lo + 1 : (lo & 1 ? lo + 1 : lo));
    if (lo == 0x7bff && v >= 65520.0) w = 0x7c00;
    if (hr[i] != w) {
      fprintf(stderr, "f32 %a -> f16 0x%04x, want 0x%04x\n", v, hr[i], w);
      ok = 0;
    }
  }
  CHECK(ok);
}

int main(void) {
  if (!harness_init()) return 1;
  compare();
  logical();
  where();
  cast_float_int();
  cast_int_bool();
  cast_f16();
  return harness_finish();
}
