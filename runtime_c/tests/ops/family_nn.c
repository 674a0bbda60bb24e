// Neural-network ops of the breadth work, part 1: RESIZE, TRANSPOSE_CONV_2D,
// INSTANCE_NORM, LAYER_NORM. Hand goldens (ONNX's documented examples) and
// independent oracles written from the ONNX operator text (double precision,
// per output element), plus prepare's refusals.
#include <stdlib.h>

#include "harness.h"

// The family tests link the static library, and a weak reference (ops/op_list.h)
// does not pull an archive member in: name this family's ops strongly here.
typedef mote_status (*op_fn)(mote_context*, mote_node*);
mote_status mote_op_resize_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_transpose_conv2d_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_instance_norm_prepare(mote_context* ctx, mote_node* node);
static op_fn volatile g_link[] = {mote_op_resize_prepare};


// ---- RESIZE -----------------------------------------------------------------

static mote_op_options resize_opts(mote_resize_mode mode, mote_coordinate_transform coord, mote_nearest_mode near) {
  return (mote_op_options){.type = MOTE_OPTIONS_RESIZE,
                           .u.resize = {.mode = mode, .coordinate_transform = coord, .nearest_mode = near,
                                        .cubic_coeff_a = -0.75f}};
}

// run RESIZE of x [1, ih, iw, 1] into y [1, oh, ow, 1]
static mote_status resize_1c(const mote_op_options* o, float* x, int ih, int iw, float* y, int oh, int ow) {
  graph g = {0};
  const int32_t xi = F32(&g, x, 1, ih, iw, 1), yi = F32(&g, y, 1, oh, ow, 1);
  return RUN(&g, MOTE_OP_RESIZE, o, 1, yi, xi);
}

static void resize_hand_cases(void) {
  float x[4] = {1, 2, 3, 4}, y[24];
  // ONNX resize_upsample_scales_nearest: scales (2, 3), half_pixel, round_prefer_floor
  mote_op_options o = resize_opts(MOTE_RESIZE_NEAREST, MOTE_COORD_HALF_PIXEL, MOTE_NEAREST_ROUND_PREFER_FLOOR);
  CHECK(resize_1c(&o, x, 2, 2, y, 4, 6) == MOTE_OK);
  const float nearest[24] = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  CHECK_CLOSE(y, nearest, 24, 0);
  // ONNX resize_upsample_scales_linear (half_pixel, edges clamp)
  o = resize_opts(MOTE_RESIZE_LINEAR, MOTE_COORD_HALF_PIXEL, 0);
  CHECK(resize_1c(&o, x, 2, 2, y, 4, 4) == MOTE_OK);
  const float linear[16] = {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f,
                            2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4};
  CHECK_CLOSE(y, linear, 16, 1e-6f);
  // ONNX resize_upsample_scales_linear_align_corners: thirds between the corners
  o = resize_opts(MOTE_RESIZE_LINEAR, MOTE_COORD_ALIGN_CORNERS, 0);
  CHECK(resize_1c(&o, x, 2, 2, y, 4, 4) == MOTE_OK);
  const float t = 1.0f / 3, aligned[16] = {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t,
                                           2 + t, 2 + 2 * t, 3, 3 + t, 3, 3 + t, 3 + 2 * t, 4};
  CHECK_CLOSE(y, aligned, 16, 1e-6f);
  // ONNX resize_downsample_scales_nearest: the given scale 0.6 (not out/in = 0.5) drives the transform
  float x8[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  o = resize_opts(MOTE_RESIZE_NEAREST, MOTE_COORD_HALF_PIXEL, MOTE_NEAREST_ROUND_PREFER_FLOOR);
  o.u.resize.scale_h = o.u.resize.scale_w = 0.6f;
  CHECK(resize_1c(&o, x8, 2, 4, y, 1, 2) == MOTE_OK);
  CHECK(y[0] == 1 && y[1] == 3);
  o.u.resize.scale_h = o.u.resize.scale_w = 0;  // out / in = 0.5: x = 0.5 and 2.5, ties to the floor
  CHECK(resize_1c(&o, x8, 2, 4, y, 1, 2) == MOTE_OK);
  CHECK(y[0] == 1 && y[1] == 3);
  o.u.resize.nearest_mode = MOTE_NEAREST_ROUND_PREFER_CEIL;
  CHECK(resize_1c(&o, x8, 2, 4, y, 1, 2) == MOTE_OK);
  CHECK(y[0] == 6 && y[1] == 8);
  // 7 -> 2 asymmetric: 1 / float(2/7) is 3.4999998, taken as the tie 3.5 as ONNX Runtime does
  float x7[7] = {0, 1, 2, 3, 4, 5, 6};
  o = resize_opts(MOTE_RESIZE_NEAREST, MOTE_COORD_ASYMMETRIC, MOTE_NEAREST_ROUND_PREFER_CEIL);
  CHECK(resize_1c(&o, x7, 7, 1, y, 2, 1) == MOTE_OK);
  CHECK(y[0] == 0 && y[1] == 4);
}

static double oracle_coord(mote_coordinate_transform m, double o, double scale, double lo, double li) {
  switch (m) {
    case MOTE_COORD_ALIGN_CORNERS: return lo == 1 ? 0 : o * (li - 1) / (lo - 1);
    case MOTE_COORD_ASYMMETRIC: return o / scale;
    case MOTE_COORD_PYTORCH_HALF_PIXEL: return lo > 1 ? (o + 0.5) / scale - 0.5 : 0;
    case MOTE_COORD_TF_HALF_PIXEL_FOR_NN: return (o + 0.5) / scale;
    case MOTE_COORD_HALF_PIXEL_SYMMETRIC: {
      const double adj = lo / (scale * li);
      return li / 2 * (1 - adj) + (o + 0.5) / scale - 0.5;
    }
    default: return (o + 0.5) / scale - 0.5;
  }
}

static double keys(double d, double a) {
  d = fabs(d);
  if (d <= 1) return (a + 2) * d * d * d - (a + 3) * d * d + 1;
  if (d < 2) return a * d * d * d - 5 * a * d * d + 8 * a * d - 4 * a;
  return 0;
}

static int clampi(long v, int len) { return v < 0 ? 0 : (v >= len ? len - 1 : (int)v); }

// taps and weights of one axis, as the ONNX text states them
static int oracle_taps(const mote_resize_options* r, int o, int lo, int li, double scale, int* idx, double* wt) {
  // scale 1 is the identity: ONNX Runtime's reading (it only matters to tf_half_pixel_for_nn)
  const double c = scale == 1 ? o : oracle_coord(r->coordinate_transform, o, scale, lo, li);
  if (r->mode == MOTE_RESIZE_NEAREST) {
    const double fl = floor(c);
    const int tie = fabs(c - fl - 0.5) < 1e-6;
    long i;
    switch (r->nearest_mode) {
      case MOTE_NEAREST_ROUND_PREFER_CEIL: i = tie ? (long)fl + 1 : lround(c); break;
      case MOTE_NEAREST_FLOOR: i = (long)fl; break;
      case MOTE_NEAREST_CEIL: i = (long)ceil(c); break;
      default: i = tie ? (long)fl : lround(c);
    }
    idx[0] = clampi(i, li), wt[0] = 1;
    return 1;
  }
  if (r->mode == MOTE_RESIZE_LINEAR) {
    const double v = c < 0 ? 0 : (c > li - 1 ? li - 1 : c), f = v - floor(v);
    idx[0] = clampi((long)floor(v), li), idx[1] = clampi((long)floor(v) + 1, li);
    wt[0] = 1 - f, wt[1] = f;
    return 2;
  }
  const double fl = floor(c), f = c - fl;
  double sum = 0;
  for (int k = 0; k < 4; k++) {
    const long i = (long)fl - 1 + k;
    wt[k] = keys(f + 1 - k, r->cubic_coeff_a);
    if (r->exclude_outside && (i < 0 || i >= li)) wt[k] = 0;
    idx[k] = clampi(i, li);
    sum += wt[k];
  }
  for (int k = 0; k < 4; k++) wt[k] /= sum;
  return 4;
}

static void oracle_resize(const mote_resize_options* r, const float* x, int n, int ih, int iw, int c, float* y,
                          int oh, int ow) {
  const double sh = r->scale_h ? r->scale_h : (double)oh / ih, sw = r->scale_w ? r->scale_w : (double)ow / iw;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++)
        for (int ch = 0; ch < c; ch++) {
          int iy[4], ix[4];
          double wy[4], wx[4], acc = 0;
          const int ty = oracle_taps(r, i, oh, ih, sh, iy, wy), tx = oracle_taps(r, j, ow, iw, sw, ix, wx);
          for (int a = 0; a < ty; a++)
            for (int e = 0; e < tx; e++) acc += wy[a] * wx[e] * x[((b * ih + iy[a]) * iw + ix[e]) * c + ch];
          y[((b * oh + i) * ow + j) * c + ch] = (float)acc;
        }
}

static void resize_oracle_sweep(void) {
  // {ih, iw, oh, ow, scale_h, scale_w}
  const float shapes[][6] = {{3, 4, 7, 5, 0, 0}, {5, 7, 2, 3, 0, 0}, {4, 4, 4, 9, 0, 0},
                             {4, 5, 6, 2, 1.7f, 0.5f}, {6, 3, 1, 3, 0, 0}, {2, 2, 5, 5, 0, 0}};
  int cases = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    const int ih = (int)shapes[s][0], iw = (int)shapes[s][1], oh = (int)shapes[s][2], ow = (int)shapes[s][3];
    const int n = 2, c = 3;
    float x[2 * 6 * 7 * 3], y[2 * 9 * 9 * 3], want[2 * 9 * 9 * 3];
    fill_random(x, (size_t)n * ih * iw * c, (unsigned)s + 7);
    for (int mode = 0; mode <= 2; mode++)
      for (int coord = 0; coord <= MOTE_COORD_HALF_PIXEL_SYMMETRIC; coord++)
        for (int v = 0; v < (mode == 0 ? 4 : (mode == 2 ? 3 : 1)); v++) {
          mote_op_options o = resize_opts(mode, coord, mode == 0 ? v : 0);
          o.u.resize.scale_h = shapes[s][4], o.u.resize.scale_w = shapes[s][5];
          if (mode == 2) o.u.resize.cubic_coeff_a = v == 1 ? -0.5f : -0.75f, o.u.resize.exclude_outside = v >= 1;
          graph g = {0};
          const int32_t xi = F32(&g, x, n, ih, iw, c), yi = F32(&g, y, n, oh, ow, c);
          const int threads = 1 + (cases % 3);
          CHECK(RUN(&g, MOTE_OP_RESIZE, &o, threads, yi, xi) == MOTE_OK);
          oracle_resize(&o.u.resize, x, n, ih, iw, c, want, oh, ow);
          // cubic weights are steep in the coordinate, which the kernel keeps in float (as ONNX Runtime)
          const float tol = mode == 2 ? 1e-5f : 2e-6f;
          if (!close_f32(y, want, (size_t)n * oh * ow * c, tol, tol, __LINE__)) {
            g_failures++;
            fprintf(stderr, "resize case %zu mode %d coord %d variant %d\n", s, mode, coord, v);
          }
          g_checks++, cases++;
        }
  }
}

static void resize_rejects(void) {
  float x[8] = {0}, y[32];
  graph g = {0};
  mote_op_options o = resize_opts(MOTE_RESIZE_LINEAR, MOTE_COORD_HALF_PIXEL, 0);
  int32_t xi = F32(&g, x, 1, 2, 2, 2), yi = F32(&g, y, 1, 4, 4, 1);  // channels changed
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("output");
  yi = F32(&g, y, 2, 4, 2, 2);  // batch changed
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  xi = F32(&g, x, 2, 2, 2), yi = F32(&g, y, 4, 4, 2);  // rank 3
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  xi = F32(&g, x, 1, 2, 2, 2), yi = F32(&g, y, 1, 4, 4, 2);
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_OK);
  mote_op_options bad = o;
  bad.u.resize.mode = 3;
  CHECK(RUN(&g, MOTE_OP_RESIZE, &bad, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("mode");
  bad = o, bad.u.resize.coordinate_transform = 6;
  CHECK(RUN(&g, MOTE_OP_RESIZE, &bad, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.resize.nearest_mode = 4;
  CHECK(RUN(&g, MOTE_OP_RESIZE, &bad, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.resize.scale_w = -2;
  CHECK(RUN(&g, MOTE_OP_RESIZE, &bad, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("scale_w");
  bad = o, bad.u.resize.scale_h = NAN;
  CHECK(RUN(&g, MOTE_OP_RESIZE, &bad, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  int32_t xint[8] = {0};
  xi = add_tensor(&g, MOTE_INT32, xint, DIMS(1, 2, 2, 2));
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  // an empty input cannot grow
  xi = F32(&g, x, 1, 0, 2, 2);
  CHECK(RUN(&g, MOTE_OP_RESIZE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

static void test_resize(void) {
  resize_hand_cases();
  resize_oracle_sweep();
  resize_rejects();
}

int main(void) {
  if (!harness_init()) return 1;
  for (size_t i = 0; i < sizeof g_link / sizeof g_link[0]; i++) CHECK(g_link[i] != NULL);
  test_resize();
  return harness_finish();
}
