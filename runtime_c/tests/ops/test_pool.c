// MAX_POOL_2D / AVERAGE_POOL_2D on a 4x4 grid (values 1..16). Expected values
// for ceil_mode, count_include_pad, SAME_* and dilation come from ONNX Runtime 1.31
// (MaxPool / AveragePool, opset 19, NCHW [1,1,4,4]).
#include "harness.h"

static mote_op_options pool(int32_t k, int32_t s, int32_t d, mote_padding pad, int32_t p, bool ceil_mode, bool cip) {
  return (mote_op_options){.type = MOTE_OPTIONS_POOL2D,
                           .u.pool2d = {k, k, s, s, d, d, pad, p, p, p, p, ceil_mode, cip, MOTE_ACT_NONE}};
}

static void expect(int32_t op, const mote_op_options* o, int32_t out, const float* want, int threads) {
  float x[16], y[16];
  for (int i = 0; i < 16; i++) x[i] = (float)(i + 1);
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 4, 4, 1), yi = F32(&g, y, 1, out, out, 1);
  CHECK(RUN(&g, op, o, threads, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, want, (size_t)(out * out), 1e-6f);
}

void test_pool(void) {
  mote_op_options o = pool(2, 2, 1, MOTE_PAD_VALID, 0, false, false);
  const float max2[4] = {6, 8, 14, 16}, avg2[4] = {3.5f, 5.5f, 11.5f, 13.5f};
  expect(MOTE_OP_MAX_POOL_2D, &o, 2, max2, 1);
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 2, avg2, 2);

  // k3 s2 pads 1, ceil_mode: 3 windows per dim, the last one clipped
  o = pool(3, 2, 1, MOTE_PAD_EXPLICIT, 1, true, false);
  const float avg_ceil[9] = {3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16};
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 3, avg_ceil, 1);
  o.u.pool2d.count_include_pad = true;
  const float avg_ceil_cip[9] = {1.5555556f, 3.3333333f, 2, 6.3333335f, 11, 6, 4.5f, 7.5f, 4};
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 3, avg_ceil_cip, 3);
  const float max_ceil[9] = {6, 8, 8, 14, 16, 16, 14, 16, 16};
  expect(MOTE_OP_MAX_POOL_2D, &o, 3, max_ceil, 1);
  // without ceil_mode the same windows give 2 per dim
  o.u.pool2d.ceil_mode = false;
  const float max_floor[4] = {6, 8, 14, 16};
  expect(MOTE_OP_MAX_POOL_2D, &o, 2, max_floor, 1);

  // onnx runtime applies ceil_mode to VALID as well (as EXPLICIT with zero pads)
  o = pool(3, 2, 1, MOTE_PAD_VALID, 0, true, false);
  const float avg_valid_ceil[4] = {6, 7.5f, 12, 13.5f};
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 2, avg_valid_ceil, 1);
  // SAME ignores ceil_mode: ceil(4 / 2) windows
  o = pool(3, 2, 1, MOTE_PAD_SAME_UPPER, 0, true, false);
  const float max_same[4] = {11, 12, 15, 16};
  expect(MOTE_OP_MAX_POOL_2D, &o, 2, max_same, 1);

  o = pool(2, 1, 1, MOTE_PAD_SAME_LOWER, 0, false, false);
  const float same_lower[16] = {1, 1.5f, 2.5f, 3.5f, 3, 3.5f, 4.5f, 5.5f, 7, 7.5f, 8.5f, 9.5f, 11, 11.5f, 12.5f, 13.5f};
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 4, same_lower, 1);
  o = pool(2, 1, 1, MOTE_PAD_SAME_UPPER, 0, false, true);
  const float same_upper_cip[16] = {3.5f,  4.5f,  5.5f,  3, 7.5f,  8.5f,  9.5f,  5,
                                    11.5f, 12.5f, 13.5f, 7, 6.75f, 7.25f, 7.75f, 4};
  expect(MOTE_OP_AVERAGE_POOL_2D, &o, 4, same_upper_cip, 2);

  o = pool(2, 1, 2, MOTE_PAD_EXPLICIT, 1, false, false);
  const float max_dil[16] = {6, 7, 8, 7, 10, 11, 12, 11, 14, 15, 16, 15, 10, 11, 12, 11};
  expect(MOTE_OP_MAX_POOL_2D, &o, 4, max_dil, 1);

  // channels are pooled independently; fused RELU clamps
  float x[8] = {1, -1, 2, -2, 3, -3, 4, -4}, y[2];
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 2, 2), yi = F32(&g, y, 1, 1, 1, 2);
  o = pool(2, 1, 1, MOTE_PAD_VALID, 0, false, false);
  o.u.pool2d.activation = MOTE_ACT_RELU;
  CHECK(RUN(&g, MOTE_OP_AVERAGE_POOL_2D, &o, 1, yi, xi) == MOTE_OK);
  const float avg_c[2] = {2.5f, 0};
  CHECK_CLOSE(y, avg_c, 2, 0);
  CHECK(RUN(&g, MOTE_OP_MAX_POOL_2D, &o, 1, yi, xi) == MOTE_OK);
  const float max_c[2] = {4, 0};
  CHECK_CLOSE(y, max_c, 2, 0);
}
