// ADD/SUB/MUL/DIV with broadcasting, and the activations.
#include "harness.h"

static void binary(void) {
  float a[6] = {1, 2, 3, 4, 5, 6}, b3[3] = {10, 20, 30}, y[24];
  graph g = {0};
  // [2,3] + [3]
  int32_t ai = F32(&g, a, 2, 3), bi = F32(&g, b3, 3), yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 1, yi, ai, bi) == MOTE_OK);
  const float add[6] = {11, 22, 33, 14, 25, 36};
  CHECK_CLOSE(y, add, 6, 0);
  // [3] - [2,3]: the broadcast operand first
  CHECK(RUN(&g, MOTE_OP_SUB, NULL, 1, yi, bi, ai) == MOTE_OK);
  const float sub[6] = {9, 18, 27, 6, 15, 24};
  CHECK_CLOSE(y, sub, 6, 0);

  // [2,1] * [1,3] -> [2,3] (outer product)
  float c[2] = {2, 3};
  g = (graph){0};
  ai = F32(&g, c, 2, 1);
  bi = F32(&g, b3, 1, 3);
  yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_MUL, NULL, 1, yi, ai, bi) == MOTE_OK);
  const float mul[6] = {20, 40, 60, 30, 60, 90};
  CHECK_CLOSE(y, mul, 6, 0);

  // [4,1,3] - [2,1] -> [4,2,3]
  float a12[12];
  for (int i = 0; i < 12; i++) a12[i] = (float)i;
  g = (graph){0};
  ai = F32(&g, a12, 4, 1, 3);
  bi = F32(&g, c, 2, 1);
  yi = F32(&g, y, 4, 2, 3);
  CHECK(RUN(&g, MOTE_OP_SUB, NULL, 1, yi, ai, bi) == MOTE_OK);
  int ok = 1;
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 2; j++)
      for (int k = 0; k < 3; k++) ok &= y[(i * 2 + j) * 3 + k] == a12[i * 3 + k] - c[j];
  CHECK(ok);

  // rank-0 divisor, fused RELU
  float two = 2.0f;
  g = (graph){0};
  float an[6] = {-4, 4, -2, 2, 0, 1};
  ai = F32(&g, an, 3, 2);
  bi = SCALAR_F32(&g, &two);
  yi = F32(&g, y, 3, 2);
  mote_op_options relu = {.type = MOTE_OPTIONS_BINARY, .u.binary = {MOTE_ACT_RELU}};
  CHECK(RUN(&g, MOTE_OP_DIV, &relu, 1, yi, ai, bi) == MOTE_OK);
  const float div[6] = {0, 2, 0, 1, 0, 0.5f};
  CHECK_CLOSE(y, div, 6, 0);

  // both scalars
  float s1 = 3, s2 = 4, s3 = 0;
  g = (graph){0};
  ai = SCALAR_F32(&g, &s1);
  bi = SCALAR_F32(&g, &s2);
  yi = SCALAR_F32(&g, &s3);
  CHECK(RUN(&g, MOTE_OP_MUL, NULL, 1, yi, ai, bi) == MOTE_OK);
  CHECK(s3 == 12);

  // in place: the output is the first input
  g = (graph){0};
  ai = F32(&g, a, 2, 3);
  bi = F32(&g, b3, 3);
  CHECK(RUN(&g, MOTE_OP_ADD, NULL, 1, ai, ai, bi) == MOTE_OK);
  CHECK_CLOSE(a, add, 6, 0);
}

static void unary(int32_t op, const mote_op_options* o, const float* x, const float* want, int n, float tol) {
  float y[8];
  graph g = {0};
  int32_t xi = F32(&g, (float*)x, n), yi = F32(&g, y, n);
  CHECK(RUN(&g, op, o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, want, (size_t)n, tol);
}

static void activations(void) {
  const float x[6] = {-4, -1, -0.5f, 0, 1, 7};
  const float relu[6] = {0, 0, 0, 0, 1, 7}, relu6[6] = {0, 0, 0, 0, 1, 6};
  unary(MOTE_OP_RELU, NULL, x, relu, 6, 0);
  unary(MOTE_OP_RELU6, NULL, x, relu6, 6, 0);
  mote_op_options clip = {.type = MOTE_OPTIONS_CLIP, .u.clip = {-1, 0.75f}};
  const float clipped[6] = {-1, -1, -0.5f, 0, 0.75f, 0.75f};
  unary(MOTE_OP_CLIP, &clip, x, clipped, 6, 0);
  mote_op_options leaky = {.type = MOTE_OPTIONS_LEAKY_RELU, .u.leaky_relu = {0.1f}};
  const float lr[6] = {-0.4f, -0.1f, -0.05f, 0, 1, 7};
  unary(MOTE_OP_LEAKY_RELU, &leaky, x, lr, 6, 1e-7f);
  const float sig[6] = {0.01798620996f, 0.2689414214f, 0.3775406688f, 0.5f, 0.7310585786f, 0.9990889488f};
  unary(MOTE_OP_LOGISTIC, NULL, x, sig, 6, 1e-6f);
  const float th[6] = {-0.9993292997f, -0.761594156f, -0.4621171573f, 0, 0.761594156f, 0.9999983369f};
  unary(MOTE_OP_TANH, NULL, x, th, 6, 1e-6f);
  // x·relu6(x+3)/6
  const float hs[6] = {0, -1.0f / 3, -0.5f * 2.5f / 6, 0, 4.0f / 6, 7};
  unary(MOTE_OP_HARD_SWISH, NULL, x, hs, 6, 1e-6f);
  // erf form: 0.5·x·(1 + erf(x/√2)); values from the exact formula (double)
  const float gelu[6] = {-0.0001266850f, -0.1586552539f, -0.1542687694f, 0, 0.8413447461f, 7};
  unary(MOTE_OP_GELU, NULL, x, gelu, 6, 1e-6f);
  mote_op_options approx = {.type = MOTE_OPTIONS_GELU, .u.gelu = {true}};
  const float gelu_tanh[6] = {-0.0000702459f, -0.1588080094f, -0.1542859990f, 0, 0.8411919906f, 7};
  unary(MOTE_OP_GELU, &approx, x, gelu_tanh, 6, 1e-6f);
}

void test_elementwise(void) {
  binary();
  activations();
}
