// CONV_2D and DEPTHWISE_CONV_2D: hand goldens and an independent oracle
// (explicitly padded input, then a plain valid convolution).
#include <stdlib.h>

#include "harness.h"

static mote_op_options conv_opts(int32_t stride, int32_t dil, mote_padding pad, int32_t pt, int32_t pl, int32_t pb,
                                 int32_t pr, int32_t m, mote_activation act) {
  return (mote_op_options){.type = MOTE_OPTIONS_CONV2D,
                           .u.conv2d = {stride, stride, dil, dil, pad, pt, pl, pb, pr, m, act}};
}

static void hand_cases(void) {
  float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  float one = 1.0f, y[9];
  // 1x1 identity kernel, no bias: y == x
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 3, 3, 1), wi = F32(&g, &one, 1, 1, 1, 1), yi = F32(&g, y, 1, 3, 3, 1);
  mote_op_options o = conv_opts(1, 1, MOTE_PAD_VALID, 0, 0, 0, 0, 1, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi) == MOTE_OK);
  CHECK_CLOSE(y, x, 9, 0);

  // 3x3 box filter, SAME_UPPER, bias -10: neighbourhood sums minus 10
  float ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, bias = -10.0f;
  g = (graph){0};
  xi = F32(&g, x, 1, 3, 3, 1);
  wi = F32(&g, ones, 1, 3, 3, 1);
  int32_t bi = F32(&g, &bias, 1);
  yi = F32(&g, y, 1, 3, 3, 1);
  o = conv_opts(1, 1, MOTE_PAD_SAME_UPPER, 0, 0, 0, 0, 1, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float box[9] = {2, 11, 6, 17, 35, 23, 14, 29, 18};
  CHECK_CLOSE(y, box, 9, 0);
  // fused RELU6 on the same
  o.u.conv2d.activation = MOTE_ACT_RELU6;
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float box6[9] = {2, 6, 6, 6, 6, 6, 6, 6, 6};
  CHECK_CLOSE(y, box6, 9, 0);

  // stride 2 with explicit asymmetric pads: 2x2 kernel of ones on the 3x3 grid,
  // pads top/left 1, bottom/right 0 -> output 2x2
  float y4[4];
  g = (graph){0};
  xi = F32(&g, x, 1, 3, 3, 1);
  wi = F32(&g, ones, 1, 2, 2, 1);
  yi = F32(&g, y4, 1, 2, 2, 1);
  o = conv_opts(2, 1, MOTE_PAD_EXPLICIT, 1, 1, 0, 0, 1, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi) == MOTE_OK);
  const float s2[4] = {1, 2 + 3, 4 + 7, 5 + 6 + 8 + 9};
  CHECK_CLOSE(y4, s2, 4, 0);

  // depthwise, multiplier 2, 1x1: output channel c*2+j = x[c] * w[c*2+j]
  float xd[4] = {1, 2, 3, 4}, wd[4] = {1, 10, 100, 1000}, bd[4] = {0.5f, 0, 0, 0}, yd[8];
  g = (graph){0};
  xi = F32(&g, xd, 1, 1, 2, 2);
  wi = F32(&g, wd, 1, 1, 1, 4);
  bi = F32(&g, bd, 4);
  yi = F32(&g, yd, 1, 1, 2, 4);
  o = conv_opts(1, 1, MOTE_PAD_VALID, 0, 0, 0, 0, 2, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_DEPTHWISE_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float dw[8] = {1.5f, 10, 200, 2000, 3.5f, 30, 400, 4000};
  CHECK_CLOSE(yd, dw, 8, 0);
}

typedef struct {
  int n, h, w, c, oc, kh, kw, stride, dil, pt, pl, pb, pr, groups;
} conv_case;

// x NHWC, w OHWI (ci = c / groups); output sized by the case
static void oracle_conv(const conv_case* k, const float* x, const float* w, const float* b, float* y, int oh,
                        int ow) {
  const int ph = k->h + k->pt + k->pb, pw = k->w + k->pl + k->pr, ci = k->c / k->groups, opg = k->oc / k->groups;
  float* xp = calloc((size_t)k->n * ph * pw * k->c, sizeof *xp);
  for (int n = 0; n < k->n; n++)
    for (int i = 0; i < k->h; i++)
      for (int j = 0; j < k->w; j++)
        for (int c = 0; c < k->c; c++)
          xp[((n * ph + i + k->pt) * pw + j + k->pl) * k->c + c] = x[((n * k->h + i) * k->w + j) * k->c + c];
  for (int n = 0; n < k->n; n++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++)
        for (int o = 0; o < k->oc; o++) {
          double acc = b ? b[o] : 0.0;
          const int g = o / opg;
          for (int a = 0; a < k->kh; a++)
            for (int bb = 0; bb < k->kw; bb++)
              for (int c = 0; c < ci; c++)
                acc += (double)xp[((n * ph + i * k->stride + a * k->dil) * pw + j * k->stride + bb * k->dil) * k->c +
                                  g * ci + c] *
                       w[((o * k->kh + a) * k->kw + bb) * ci + c];
          y[((n * oh + i) * ow + j) * k->oc + o] = (float)acc;
        }
  free(xp);
}

static void random_conv(const conv_case* k, int depthwise, int threads) {
  const int ek_h = k->dil * (k->kh - 1) + 1, ek_w = k->dil * (k->kw - 1) + 1;
  const int oh = (k->h + k->pt + k->pb - ek_h) / k->stride + 1, ow = (k->w + k->pl + k->pr - ek_w) / k->stride + 1;
  const int ci = depthwise ? 1 : k->c / k->groups;
  const size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = (size_t)k->oc * k->kh * k->kw * ci,
               ny = (size_t)k->n * oh * ow * k->oc;
  float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc((size_t)k->oc * 4), *y = malloc(ny * 4),
        *want = malloc(ny * 4), *wd = NULL;
  fill_random(x, nx, 1);
  fill_random(w, nw, 2);
  fill_random(b, (size_t)k->oc, 3);
  graph g = {0};
  int32_t xi = F32(&g, x, k->n, k->h, k->w, k->c), wi, bi = F32(&g, b, k->oc), yi = F32(&g, y, k->n, oh, ow, k->oc);
  mote_op_options o = conv_opts(k->stride, k->dil, MOTE_PAD_EXPLICIT, k->pt, k->pl, k->pb, k->pr,
                                depthwise ? k->oc / k->c : 1, MOTE_ACT_NONE);
  if (depthwise) {
    // depthwise [1, kh, kw, C*m] == a grouped conv (groups = C) with OHWI weights [C*m, kh, kw, 1]
    wi = F32(&g, w, 1, k->kh, k->kw, k->oc);
    wd = malloc(nw * 4);
    for (int o2 = 0; o2 < k->oc; o2++)
      for (int t = 0; t < k->kh * k->kw; t++) wd[o2 * k->kh * k->kw + t] = w[t * k->oc + o2];
    conv_case kg = *k;
    kg.groups = k->c;
    oracle_conv(&kg, x, wd, b, want, oh, ow);
  } else {
    wi = F32(&g, w, k->oc, k->kh, k->kw, ci);
    oracle_conv(k, x, w, b, want, oh, ow);
  }
  CHECK(RUN(&g, depthwise ? MOTE_OP_DEPTHWISE_CONV_2D : MOTE_OP_CONV_2D, &o, threads, yi, xi, wi, bi) == MOTE_OK);
  CHECK_CLOSE(y, want, ny, 1e-5f);
  free(x), free(w), free(b), free(y), free(want), free(wd);
}

void test_conv(void) {
  hand_cases();
  const conv_case cases[] = {
      {1, 7, 6, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},   // plain 3x3 same
      {2, 9, 8, 4, 6, 3, 2, 2, 1, 0, 1, 2, 0, 2},   // groups 2, stride 2, asymmetric pads, batch 2
      {1, 10, 10, 6, 6, 3, 3, 1, 2, 2, 2, 2, 2, 6}, // groups == channels, dilation 2
      {1, 5, 5, 8, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1},  // pointwise
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (int threads = 1; threads <= 3; threads += 2) random_conv(&cases[i], 0, threads);
  const conv_case dw_cases[] = {
      {1, 8, 7, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 0},   // m = 1
      {2, 9, 9, 3, 6, 3, 3, 2, 1, 1, 0, 1, 1, 0},   // m = 2, stride 2
      {1, 11, 9, 4, 4, 5, 3, 1, 2, 4, 2, 4, 2, 0},  // dilation 2, tall kernel
  };
  for (size_t i = 0; i < sizeof dw_cases / sizeof dw_cases[0]; i++)
    for (int threads = 1; threads <= 4; threads += 3) random_conv(&dw_cases[i], 1, threads);

  // SAME_LOWER puts the odd pad before: 2x2 ones kernel on the 3x3 grid, stride 1
  float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, ones[4] = {1, 1, 1, 1}, y[9];
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 3, 3, 1), wi = F32(&g, ones, 1, 2, 2, 1), yi = F32(&g, y, 1, 3, 3, 1);
  mote_op_options o = conv_opts(1, 1, MOTE_PAD_SAME_LOWER, 0, 0, 0, 0, 1, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi) == MOTE_OK);
  const float lower[9] = {1, 3, 5, 5, 12, 16, 11, 24, 28};
  CHECK_CLOSE(y, lower, 9, 0);
  o.u.conv2d.padding = MOTE_PAD_SAME_UPPER;
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, yi, xi, wi) == MOTE_OK);
  const float upper[9] = {12, 16, 9, 24, 28, 15, 15, 17, 9};
  CHECK_CLOSE(y, upper, 9, 0);
}
