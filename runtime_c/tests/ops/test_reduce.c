// MEAN and SOFTMAX.
#include "harness.h"

static mote_op_options mean_opts(int32_t n, const int32_t* axes, bool keep) {
  mote_op_options o = {.type = MOTE_OPTIONS_REDUCE, .u.reduce = {.num_axes = n, .keep_dims = keep}};
  for (int32_t i = 0; i < n; i++) o.u.reduce.axes[i] = axes[i];
  return o;
}

static void mean(void) {
  // [1,2,2,3] NHWC: mean over H, W (global average pool), keep dims
  float x[12], y[12];
  for (int i = 0; i < 12; i++) x[i] = (float)i;
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 2, 3), yi = F32(&g, y, 1, 1, 1, 3);
  mote_op_options o = mean_opts(2, (int32_t[]){1, 2}, true);
  CHECK(RUN(&g, MOTE_OP_MEAN, &o, 1, yi, xi) == MOTE_OK);
  const float gap[3] = {4.5f, 5.5f, 6.5f};
  CHECK_CLOSE(y, gap, 3, 0);

  // negative axis, dims dropped: [2,6] mean over -1 -> [2]
  g = (graph){0};
  xi = F32(&g, x, 2, 6);
  yi = F32(&g, y, 2);
  o = mean_opts(1, (int32_t[]){-1}, false);
  CHECK(RUN(&g, MOTE_OP_MEAN, &o, 1, yi, xi) == MOTE_OK);
  const float rows[2] = {2.5f, 8.5f};
  CHECK_CLOSE(y, rows, 2, 0);

  // non-adjacent axes: [2,3,2] over {0, 2} -> [3]
  g = (graph){0};
  xi = F32(&g, x, 2, 3, 2);
  yi = F32(&g, y, 3);
  o = mean_opts(2, (int32_t[]){2, 0}, false);
  CHECK(RUN(&g, MOTE_OP_MEAN, &o, 1, yi, xi) == MOTE_OK);
  const float mid[3] = {(0 + 1 + 6 + 7) / 4.0f, (2 + 3 + 8 + 9) / 4.0f, (4 + 5 + 10 + 11) / 4.0f};
  CHECK_CLOSE(y, mid, 3, 0);

  // no axes: everything, to a scalar
  g = (graph){0};
  xi = F32(&g, x, 3, 4);
  yi = SCALAR_F32(&g, y);
  o = mean_opts(0, NULL, false);
  CHECK(RUN(&g, MOTE_OP_MEAN, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 5.5f);
}

static void softmax(void) {
  float x[6] = {1, 2, 3, 1000, 1000, 1000}, y[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_SOFTMAX, NULL, 1, yi, xi) == MOTE_OK);
  // e^0, e^1, e^2 over their sum; large equal inputs do not overflow
  const float want[6] = {0.09003057f, 0.24472847f, 0.66524096f, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f};
  CHECK_CLOSE(y, want, 6, 1e-6f);

  // axis 0 of [2,3]: columns sum to 1; beta 0.5
  mote_op_options o = {.type = MOTE_OPTIONS_SOFTMAX, .u.softmax = {0, 0.5f}};
  float x2[6] = {0, 1, 2, 2, 1, 0};
  g = (graph){0};
  xi = F32(&g, x2, 2, 3);
  yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_SOFTMAX, &o, 1, yi, xi) == MOTE_OK);
  const float e = 0.26894142f;  // 1 / (1 + e^1): beta·(0 - 2) = -1
  const float want2[6] = {e, 0.5f, 1 - e, 1 - e, 0.5f, e};
  CHECK_CLOSE(y, want2, 6, 1e-6f);
  for (int j = 0; j < 3; j++) CHECK(fabsf(y[j] + y[3 + j] - 1.0f) < 1e-6f);
}

void test_reduce(void) {
  mean();
  softmax();
}
