// Neural-network ops of the breadth work, part 1: RESIZE, TRANSPOSE_CONV_2D,
// INSTANCE_NORM, LAYER_NORM. Hand goldens (ONNX's documented examples) and
// independent oracles written from the ONNX operator text (double precision,
// per output element), plus prepare's refusals.
#include <stdlib.h>

#include "harness.h"

// this family's ops, named directly: the registry must hold these very functions
typedef mote_status (*op_fn)(mote_context*, mote_node*);
mote_status mote_op_resize_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_transpose_conv2d_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_instance_norm_prepare(mote_context* ctx, mote_node* node);
static op_fn volatile g_link[] = {mote_op_resize_prepare, mote_op_transpose_conv2d_prepare,
                                   mote_op_instance_norm_prepare};


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

// ---- TRANSPOSE_CONV_2D --------------------------------------------------------

static mote_op_options tconv_opts(int32_t stride, int32_t dil, int32_t pt, int32_t pl, int32_t pb, int32_t pr,
                                  int32_t oph, int32_t opw, mote_activation act) {
  return (mote_op_options){.type = MOTE_OPTIONS_TRANSPOSE_CONV2D,
                           .u.transpose_conv2d = {stride, stride, dil, dil, pt, pl, pb, pr, oph, opw, act}};
}

static void tconv_hand_cases(void) {
  // stride 1, 2x2 kernel on a 2x2 input: the full 3x3 "scatter" sum
  float x[4] = {1, 2, 3, 4}, w[4] = {1, 2, 3, 4}, y[16];
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 2, 1), wi = F32(&g, w, 1, 2, 2, 1), yi = F32(&g, y, 1, 3, 3, 1);
  mote_op_options o = tconv_opts(1, 1, 0, 0, 0, 0, 0, 0, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi) == MOTE_OK);
  const float full[9] = {1, 4, 4, 6, 20, 16, 9, 24, 16};
  CHECK_CLOSE(y, full, 9, 0);
  // stride 2, kernel of ones, bias 0.5: each input pixel becomes a 2x2 block
  float ones[4] = {1, 1, 1, 1}, half = 0.5f;
  g = (graph){0};
  xi = F32(&g, x, 1, 2, 2, 1), wi = F32(&g, ones, 1, 2, 2, 1);
  int32_t bi = F32(&g, &half, 1);
  yi = F32(&g, y, 1, 4, 4, 1);
  o = tconv_opts(2, 1, 0, 0, 0, 0, 0, 0, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float blocks[16] = {1.5f, 1.5f, 2.5f, 2.5f, 1.5f, 1.5f, 2.5f, 2.5f,
                            3.5f, 3.5f, 4.5f, 4.5f, 3.5f, 3.5f, 4.5f, 4.5f};
  CHECK_CLOSE(y, blocks, 16, 0);
  // pads crop the top and left; output padding adds a bias-only row and column
  g = (graph){0};
  xi = F32(&g, x, 1, 2, 2, 1), wi = F32(&g, w, 1, 2, 2, 1), bi = F32(&g, &half, 1);
  yi = F32(&g, y, 1, 3, 3, 1);
  o = tconv_opts(1, 1, 1, 1, 0, 0, 1, 1, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float cropped[9] = {20.5f, 16.5f, 0.5f, 24.5f, 16.5f, 0.5f, 0.5f, 0.5f, 0.5f};
  CHECK_CLOSE(y, cropped, 9, 0);
  // RELU6 clamps the same
  o.u.transpose_conv2d.activation = MOTE_ACT_RELU6;
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  const float clamped[9] = {6, 6, 0.5f, 6, 6, 0.5f, 0.5f, 0.5f, 0.5f};
  CHECK_CLOSE(y, clamped, 9, 0);
}

typedef struct {
  int n, h, w, c, oc, kh, kw, stride, dil, pt, pl, pb, pr, oph, opw, groups;
} tconv_case;

// the ONNX definition: every input pixel scatters x * w onto the output, then pads crop
static void oracle_tconv(const tconv_case* k, const float* x, const float* w, const float* b, double* acc,
                         float* y, int oh, int ow) {
  const int ci = k->c / k->groups, opg = k->oc / k->groups;
  for (int n = 0; n < k->n; n++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++)
        for (int o = 0; o < k->oc; o++) acc[((n * oh + i) * ow + j) * k->oc + o] = b ? b[o] : 0;
  for (int n = 0; n < k->n; n++)
    for (int i = 0; i < k->h; i++)
      for (int j = 0; j < k->w; j++)
        for (int o = 0; o < k->oc; o++)
          for (int a = 0; a < k->kh; a++)
            for (int e = 0; e < k->kw; e++) {
              const int oy = i * k->stride - k->pt + a * k->dil, ox = j * k->stride - k->pl + e * k->dil;
              if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
              const int g = o / opg;
              for (int c = 0; c < ci; c++)
                acc[((n * oh + oy) * ow + ox) * k->oc + o] +=
                    (double)x[((n * k->h + i) * k->w + j) * k->c + g * ci + c] * w[((o * k->kh + a) * k->kw + e) * ci + c];
            }
  for (int t = 0; t < k->n * oh * ow * k->oc; t++) y[t] = (float)acc[t];
}

static void random_tconv(const tconv_case* k, int threads) {
  const int oh = (k->h - 1) * k->stride - k->pt - k->pb + k->dil * (k->kh - 1) + k->oph + 1;
  const int ow = (k->w - 1) * k->stride - k->pl - k->pr + k->dil * (k->kw - 1) + k->opw + 1;
  const int ci = k->c / k->groups;
  const size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = (size_t)k->oc * k->kh * k->kw * ci,
               ny = (size_t)k->n * oh * ow * k->oc;
  float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc((size_t)k->oc * 4), *y = malloc(ny * 4),
        *want = malloc(ny * 4);
  double* acc = malloc(ny * sizeof *acc);
  fill_random(x, nx, 11);
  fill_random(w, nw, 12);
  fill_random(b, (size_t)k->oc, 13);
  graph g = {0};
  const int32_t xi = F32(&g, x, k->n, k->h, k->w, k->c), wi = F32(&g, w, k->oc, k->kh, k->kw, ci),
                bi = F32(&g, b, k->oc), yi = F32(&g, y, k->n, oh, ow, k->oc);
  mote_op_options o = tconv_opts(k->stride, k->dil, k->pt, k->pl, k->pb, k->pr, k->oph, k->opw, MOTE_ACT_NONE);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, threads, yi, xi, wi, bi) == MOTE_OK);
  oracle_tconv(k, x, w, b, acc, want, oh, ow);
  CHECK_CLOSE(y, want, ny, 1e-5f);
  // no bias
  const int32_t nobias[] = {xi, wi, -1};
  CHECK(run_op(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, nobias, 3, &yi, 1, threads) == MOTE_OK);
  oracle_tconv(k, x, w, NULL, acc, want, oh, ow);
  CHECK_CLOSE(y, want, ny, 1e-5f);
  free(x), free(w), free(b), free(y), free(want), free(acc);
}

static void tconv_rejects(void) {
  float x[36] = {0}, w[64] = {0}, b[4] = {0}, y[256];
  graph g = {0};
  mote_op_options o = tconv_opts(2, 1, 1, 1, 1, 1, 1, 1, MOTE_ACT_NONE);
  // x [1,3,3,4], w [2,3,3,2]: groups 2; out = (3-1)*2 - 2 + 2 + 1 + 1 = 6
  int32_t xi = F32(&g, x, 1, 3, 3, 4), wi = F32(&g, w, 2, 3, 3, 2), bi = F32(&g, b, 2), yi = F32(&g, y, 1, 6, 6, 2);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi, bi) == MOTE_OK);
  int32_t bad_y = F32(&g, y, 1, 5, 6, 2);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, bad_y, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("output");
  int32_t bad_w = F32(&g, w, 2, 3, 3, 3);  // 3 does not divide 4 input channels
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, bad_w, bi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("weights");
  bad_w = F32(&g, w, 3, 3, 3, 2);  // 3 outputs over 2 groups
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, bad_w, bi) == MOTE_ERROR_INVALID_MODEL);
  int32_t bad_b = F32(&g, b, 4);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, wi, bad_b) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("bias");
  mote_op_options bad = o;
  bad.u.transpose_conv2d.stride_w = 0;
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &bad, 1, yi, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.transpose_conv2d.pad_top = -1;
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &bad, 1, yi, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.transpose_conv2d.output_padding_h = -1;
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &bad, 1, yi, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.transpose_conv2d.pad_top = bad.u.transpose_conv2d.pad_bottom = 4;  // nothing left
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &bad, 1, yi, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  bad = o, bad.u.transpose_conv2d.activation = 7;
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &bad, 1, yi, xi, wi, bi) == MOTE_ERROR_INVALID_MODEL);
  int32_t w3 = F32(&g, w, 2, 3, 3);
  CHECK(RUN(&g, MOTE_OP_TRANSPOSE_CONV_2D, &o, 1, yi, xi, w3, bi) == MOTE_ERROR_INVALID_MODEL);
}

static void test_transpose_conv(void) {
  tconv_hand_cases();
  const tconv_case cases[] = {
      // n  h  w  c oc kh kw s d pt pl pb pr oph opw groups
      {1, 3, 4, 2, 3, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1},  // the usual 2x upsampling (k3 s2 p1 op1)
      {2, 4, 3, 4, 6, 2, 3, 1, 2, 0, 1, 2, 0, 0, 0, 2},  // groups 2, dilation 2, asymmetric pads, batch 2
      {1, 5, 5, 3, 3, 4, 4, 3, 1, 1, 2, 0, 1, 2, 0, 3},  // depthwise-like (groups = C), stride 3 > k - pads
      {1, 2, 6, 8, 5, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1},  // pointwise
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (int threads = 1; threads <= 3; threads += 2) random_tconv(&cases[i], threads);
  tconv_rejects();
}

// ---- INSTANCE_NORM, LAYER_NORM --------------------------------------------------

static mote_op_options norm_opts(int32_t axis, float eps) {
  return (mote_op_options){.type = MOTE_OPTIONS_NORM, .u.norm = {.axis = axis, .epsilon = eps}};
}

static void norm_hand_cases(void) {
  // instance: [1, 2, 1, 2]; channel 0 is {1, 3} (mean 2, variance 1), channel 1 constant
  float x[4] = {1, 5, 3, 5}, scale[2] = {2, 1}, bias[2] = {0.5f, 0}, y[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 1, 2), si = F32(&g, scale, 2), bi = F32(&g, bias, 2), yi = F32(&g, y, 1, 2, 1, 2);
  mote_op_options o = norm_opts(-1, 1e-5f);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, 1, yi, xi, si, bi) == MOTE_OK);
  const float d = 2.0f / sqrtf(1.0f + 1e-5f), inst[4] = {0.5f - d, 0, 0.5f + d, 0};
  CHECK_CLOSE(y, inst, 4, 1e-6f);
  // layer over the last axis, no bias, epsilon 0: rows {1,2,3} and {0,0,6} (both mean 2)
  float xl[6] = {1, 2, 3, 0, 0, 6}, ones[3] = {1, 1, 1};
  g = (graph){0};
  xi = F32(&g, xl, 2, 3), si = F32(&g, ones, 3), yi = F32(&g, y, 2, 3);
  o = norm_opts(-1, 0);
  const int32_t ins[] = {xi, si, -1};
  CHECK(run_op(&g, MOTE_OP_LAYER_NORM, &o, ins, 3, &yi, 1, 1) == MOTE_OK);
  const float r0 = 1 / sqrtf(2.0f / 3), r1 = 1 / sqrtf(8.0f);
  const float layer[6] = {-r0, 0, r0, -2 * r1, -2 * r1, 4 * r1};
  CHECK_CLOSE(y, layer, 6, 1e-6f);
}

// per (n, c), strided over the middle axes
static void oracle_instance(const float* x, const float* scale, const float* bias, float* y, int n, int s, int c,
                            float eps) {
  for (int b = 0; b < n; b++)
    for (int ch = 0; ch < c; ch++) {
      double sum = 0, sq = 0;
      for (int i = 0; i < s; i++) sum += x[(b * s + i) * c + ch];
      const double mean = sum / s;
      for (int i = 0; i < s; i++) sq += pow(x[(b * s + i) * c + ch] - mean, 2);
      const double sd = sqrt(sq / s + eps);
      for (int i = 0; i < s; i++)
        y[(b * s + i) * c + ch] = (float)(scale[ch] * (x[(b * s + i) * c + ch] - mean) / sd + bias[ch]);
    }
}

static void random_instance(const int32_t* dims, int32_t rank, int threads) {
  size_t total = 1, s = 1;
  for (int32_t d = 0; d < rank; d++) total *= (size_t)dims[d];
  for (int32_t d = 1; d < rank - 1; d++) s *= (size_t)dims[d];
  const int c = dims[rank - 1];
  float *x = malloc(total * 4), *y = malloc(total * 4), *want = malloc(total * 4), *sc = malloc((size_t)c * 4),
        *bi = malloc((size_t)c * 4);
  fill_random(x, total, 21);
  for (size_t i = 0; i < total; i++) x[i] = x[i] * 3 + 100;  // an offset the two-pass form must not lose
  fill_random(sc, (size_t)c, 22);
  fill_random(bi, (size_t)c, 23);
  graph g = {0};
  const int32_t xi = add_tensor(&g, MOTE_FLOAT32, x, dims, rank), si = F32(&g, sc, c), bj = F32(&g, bi, c),
                yi = add_tensor(&g, MOTE_FLOAT32, y, dims, rank);
  mote_op_options o = norm_opts(-1, 1e-3f);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, threads, yi, xi, si, bj) == MOTE_OK);
  oracle_instance(x, sc, bi, want, dims[0], (int)s, c, 1e-3f);
  CHECK_CLOSE(y, want, total, 1e-5f);
  free(x), free(y), free(want), free(sc), free(bi);
}

static void random_layer(const int32_t* dims, int32_t rank, int32_t axis, int with_bias, int threads) {
  const int32_t a = axis < 0 ? axis + rank : axis;
  size_t outer = 1, inner = 1;
  for (int32_t d = 0; d < rank; d++) *(d < a ? &outer : &inner) *= (size_t)dims[d];
  const size_t total = outer * inner;
  float *x = malloc(total * 4), *y = malloc(total * 4), *want = malloc(total * 4), *sc = malloc(inner * 4),
        *bi = malloc(inner * 4);
  fill_random(x, total, 31);
  for (size_t i = 0; i < total; i++) x[i] = x[i] * 0.5f - 40;
  fill_random(sc, inner, 32);
  fill_random(bi, inner, 33);
  graph g = {0};
  const int32_t xi = add_tensor(&g, MOTE_FLOAT32, x, dims, rank), si = add_tensor(&g, MOTE_FLOAT32, sc, dims + a, rank - a),
                bj = add_tensor(&g, MOTE_FLOAT32, bi, dims + a, rank - a), yi = add_tensor(&g, MOTE_FLOAT32, y, dims, rank);
  mote_op_options o = norm_opts(axis, 1e-5f);
  const int32_t ins[] = {xi, si, with_bias ? bj : -1};
  CHECK(run_op(&g, MOTE_OP_LAYER_NORM, &o, ins, 3, &yi, 1, threads) == MOTE_OK);
  for (size_t r = 0; r < outer; r++) {
    double mean = 0, var = 0;
    for (size_t i = 0; i < inner; i++) mean += x[r * inner + i] / (double)inner;
    for (size_t i = 0; i < inner; i++) var += pow(x[r * inner + i] - mean, 2) / (double)inner;
    for (size_t i = 0; i < inner; i++)
      want[r * inner + i] = (float)((x[r * inner + i] - mean) / sqrt(var + 1e-5) * sc[i] + (with_bias ? bi[i] : 0));
  }
  CHECK_CLOSE(y, want, total, 1e-5f);
  free(x), free(y), free(want), free(sc), free(bi);
}

static void norm_rejects(void) {
  float x[24] = {0}, sc[6] = {0}, y[24];
  graph g = {0};
  mote_op_options o = norm_opts(1, 1e-5f);
  int32_t xi = F32(&g, x, 2, 3, 4), s4 = F32(&g, sc, 4), s3 = F32(&g, sc, 3), yi = F32(&g, y, 2, 3, 4);
  int32_t s34 = F32(&g, x, 3, 4);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, 1, yi, xi, s4, s4) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, 1, yi, xi, s3, s4) == MOTE_ERROR_INVALID_MODEL);  // scale is [C]
  CHECK_ERROR_HAS("scale");
  const int32_t nobias[] = {xi, s4, -1};
  CHECK(run_op(&g, MOTE_OP_INSTANCE_NORM, &o, nobias, 3, &yi, 1, 1) == MOTE_ERROR_INVALID_MODEL);
  int32_t x2 = F32(&g, x, 6, 4), y2 = F32(&g, y, 6, 4);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, 1, y2, x2, s4, s4) == MOTE_ERROR_INVALID_MODEL);  // rank 2
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &o, 1, y2, xi, s4, s4) == MOTE_ERROR_INVALID_MODEL);  // output shape
  mote_op_options neg = norm_opts(-1, -1e-5f);
  CHECK(RUN(&g, MOTE_OP_INSTANCE_NORM, &neg, 1, yi, xi, s4, s4) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("epsilon");
  // layer: scale must be exactly x.shape[axis:]
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &o, 1, yi, xi, s34) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &o, 1, yi, xi, s4) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("scale");
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &o, 1, yi, xi, s34, s4) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("bias");
  mote_op_options far = norm_opts(3, 1e-5f);
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &far, 1, yi, xi, s34) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("axis");
  far = norm_opts(-4, 1e-5f);
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &far, 1, yi, xi, s34) == MOTE_ERROR_INVALID_MODEL);
  int32_t xint[24] = {0};
  int32_t xii = add_tensor(&g, MOTE_INT32, xint, DIMS(2, 3, 4));
  CHECK(RUN(&g, MOTE_OP_LAYER_NORM, &o, 1, yi, xii, s34) == MOTE_ERROR_INVALID_MODEL);
}

static void test_norm(void) {
  norm_hand_cases();
  for (int threads = 1; threads <= 3; threads++) {
    random_instance(DIMS(2, 3, 4, 5), threads);
    random_instance(DIMS(1, 7, 3), threads);
    random_instance(DIMS(2, 2, 3, 2, 37), threads);  // channels beyond one block of 16
    random_layer(DIMS(2, 3, 4), 1, 1, threads);
    random_layer(DIMS(2, 3, 4), -1, 0, threads);
    random_layer(DIMS(3, 5), 0, 1, threads);
    random_layer(DIMS(4, 2, 64), 2, 1, threads);
  }
  norm_rejects();
}

int main(void) {
  if (!harness_init()) return 1;
  for (size_t i = 0; i < sizeof g_link / sizeof g_link[0]; i++) CHECK(g_link[i] != NULL);
  test_resize();
  test_transpose_conv();
  test_norm();
  return harness_finish();
}
