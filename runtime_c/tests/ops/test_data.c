// RESHAPE, CONCATENATION, PAD, TRANSPOSE (any dtype by element size).
#include <stdint.h>

#include "harness.h"

static void reshape(void) {
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {0};
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 3, 1, 2);
  mote_op_options o = {.type = MOTE_OPTIONS_RESHAPE, .u.reshape = {3, {3, 1, 2}}};
  CHECK(RUN(&g, MOTE_OP_RESHAPE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, x, 6, 0);
  // no new_shape in the file: the output tensor's shape rules
  CHECK(RUN(&g, MOTE_OP_RESHAPE, NULL, 1, yi, xi) == MOTE_OK);
}

static void concatenation(void) {
  float a[4] = {1, 2, 3, 4}, b[2] = {5, 6}, y[6];
  graph g = {0};
  int32_t ai = F32(&g, a, 2, 2), bi = F32(&g, b, 2, 1), yi = F32(&g, y, 2, 3);
  mote_op_options o = {.type = MOTE_OPTIONS_CONCATENATION, .u.concatenation = {-1, MOTE_ACT_NONE}};
  CHECK(RUN(&g, MOTE_OP_CONCATENATION, &o, 1, yi, ai, bi) == MOTE_OK);
  const float last[6] = {1, 2, 5, 3, 4, 6};
  CHECK_CLOSE(y, last, 6, 0);

  // axis 0, three int8 inputs
  int8_t p[2] = {1, 2}, q[4] = {3, 4, 5, 6}, r[2] = {-7, -8}, z[8];
  g = (graph){0};
  int32_t pi = add_tensor(&g, MOTE_INT8, p, DIMS(1, 2)), qi = add_tensor(&g, MOTE_INT8, q, DIMS(2, 2)),
          ri = add_tensor(&g, MOTE_INT8, r, DIMS(1, 2)), zi = add_tensor(&g, MOTE_INT8, z, DIMS(4, 2));
  o.u.concatenation.axis = 0;
  CHECK(RUN(&g, MOTE_OP_CONCATENATION, &o, 1, zi, pi, qi, ri) == MOTE_OK);
  const int8_t want[8] = {1, 2, 3, 4, 5, 6, -7, -8};
  CHECK(memcmp(z, want, 8) == 0);
}

static mote_op_options pad_opts(int32_t n, const int32_t* pads, mote_pad_mode mode, float value) {
  mote_op_options o = {.type = MOTE_OPTIONS_PAD, .u.pad = {.num_pads = n, .mode = mode, .value = value}};
  for (int32_t i = 0; i < n; i++) o.u.pad.pads[i] = pads[i];
  return o;
}

static void pad(void) {
  float x[3] = {1, 2, 3}, y[16];
  graph g = {0};
  int32_t xi = F32(&g, x, 3), yi = F32(&g, y, 7);
  mote_op_options o = pad_opts(2, (int32_t[]){2, 2}, MOTE_PADMODE_REFLECT, 0);
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float reflect[7] = {3, 2, 1, 2, 3, 2, 1};  // numpy 'reflect'
  CHECK_CLOSE(y, reflect, 7, 0);
  o.u.pad.mode = MOTE_PADMODE_EDGE;
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float edge[7] = {1, 1, 1, 2, 3, 3, 3};
  CHECK_CLOSE(y, edge, 7, 0);
  o = pad_opts(2, (int32_t[]){1, 3}, MOTE_PADMODE_CONSTANT, 7.5f);
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float constant[7] = {7.5f, 1, 2, 3, 7.5f, 7.5f, 7.5f};
  CHECK_CLOSE(y, constant, 7, 0);

  // 2-D [2,2] -> [4,4]: pads before (1, 1), after (1, 1); reflect and edge on both axes
  float m[4] = {1, 2, 3, 4};
  g = (graph){0};
  xi = F32(&g, m, 2, 2);
  yi = F32(&g, y, 4, 4);
  o = pad_opts(4, (int32_t[]){1, 1, 1, 1}, MOTE_PADMODE_REFLECT, 0);
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float r2[16] = {4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1};
  CHECK_CLOSE(y, r2, 16, 0);
  o.u.pad.mode = MOTE_PADMODE_EDGE;
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float e2[16] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
  CHECK_CLOSE(y, e2, 16, 0);
  // NHWC spatial zero pad: [1,1,2,1] -> [1,2,3,1], pads H (0, 1), W (1, 0)
  g = (graph){0};
  xi = F32(&g, m, 1, 1, 2, 1);
  yi = F32(&g, y, 1, 2, 3, 1);
  o = pad_opts(8, (int32_t[]){0, 0, 1, 0, 0, 1, 0, 0}, MOTE_PADMODE_CONSTANT, 0);
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  const float z[6] = {0, 1, 2, 0, 0, 0};
  CHECK_CLOSE(y, z, 6, 0);

  // int8, zero constant
  int8_t q[2] = {5, -5}, qy[5];
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT8, q, DIMS(2));
  yi = add_tensor(&g, MOTE_INT8, qy, DIMS(5));
  o = pad_opts(2, (int32_t[]){1, 2}, MOTE_PADMODE_CONSTANT, 0);
  CHECK(RUN(&g, MOTE_OP_PAD, &o, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(qy, (int8_t[]){0, 5, -5, 0, 0}, 5) == 0);
}

static void transpose(void) {
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 3, 2);
  mote_op_options o = {.type = MOTE_OPTIONS_TRANSPOSE, .u.transpose = {2, {1, 0}}};
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE, &o, 1, yi, xi) == MOTE_OK);
  const float t[6] = {1, 4, 2, 5, 3, 6};
  CHECK_CLOSE(y, t, 6, 0);

  // NHWC [1,2,3,4] -> NCHW [1,4,2,3] on int16
  int16_t a[24], b[24];
  for (int i = 0; i < 24; i++) a[i] = (int16_t)i;
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT16, a, DIMS(1, 2, 3, 4));
  yi = add_tensor(&g, MOTE_INT16, b, DIMS(1, 4, 2, 3));
  o = (mote_op_options){.type = MOTE_OPTIONS_TRANSPOSE, .u.transpose = {4, {0, 3, 1, 2}}};
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE, &o, 1, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int c = 0; c < 4; c++)
    for (int h = 0; h < 2; h++)
      for (int w = 0; w < 3; w++) ok &= b[(c * 2 + h) * 3 + w] == a[(h * 3 + w) * 4 + c];
  CHECK(ok);

  // a perm that only moves unit dims is a plain copy: [2,1,3] -> [1,2,3]
  g = (graph){0};
  xi = F32(&g, x, 2, 1, 3);
  yi = F32(&g, y, 1, 2, 3);
  o = (mote_op_options){.type = MOTE_OPTIONS_TRANSPOSE, .u.transpose = {3, {1, 0, 2}}};
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, x, 6, 0);

  // rank 3, 8-byte elements: [2,3,2] perm (2,0,1) -> [2,2,3]
  int64_t l[12], m[12];
  for (int i = 0; i < 12; i++) l[i] = 100 + i;
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT64, l, DIMS(2, 3, 2));
  yi = add_tensor(&g, MOTE_INT64, m, DIMS(2, 2, 3));
  o = (mote_op_options){.type = MOTE_OPTIONS_TRANSPOSE, .u.transpose = {3, {2, 0, 1}}};
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE, &o, 1, yi, xi) == MOTE_OK);
  ok = 1;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      for (int k = 0; k < 3; k++) ok &= m[(i * 2 + j) * 3 + k] == l[(j * 3 + k) * 2 + i];
  CHECK(ok);
}

void test_data(void) {
  reshape();
  concatenation();
  pad();
  transpose();
}
