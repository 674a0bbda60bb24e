// Winograd F(2x2, 3x3) (ops/winograd.c) against the reference conv: odd and even sizes (partial
// edge tiles), every padding, batches, bias or none, clamps, channel counts around the GEMM
// tile, 1 and 3 threads, each GEMM level this CPU has. Prints a layer timing against the
// im2col GEMM path (information, not a pass criterion).
#include <math.h>
#include <time.h>

#include "configs/cpu.h"
#include "configs/kernels.h"
#include "core/threadpool.h"
#include "ops/gemm_conv.h"
#include "ops/winograd.h"
#include "ref/ref.h"
#include "test_util.h"

static unsigned g_seed = 17;
static float frand(void) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (float)((g_seed >> 9) & 0xffff) / 32768.0f - 1.0f;
}

typedef struct {
  mote_conv2d_params p;
  float *x, *w, *bias, *y, *y_ref;
} layer;

static layer make(int n, int h, int w, int cin, int cout, int pad_t, int pad_l, int pad_b, int pad_r) {
  layer l = {0};
  l.p = (mote_conv2d_params){.n = n, .in_h = h, .in_w = w, .in_c = cin, .out_c = cout, .kernel_h = 3, .kernel_w = 3,
                             .stride_h = 1, .stride_w = 1, .dilation_h = 1, .dilation_w = 1, .pad_top = pad_t,
                             .pad_left = pad_l, .groups = 1, .depth_multiplier = 1, .act_min = -INFINITY,
                             .act_max = INFINITY};
  l.p.out_h = h + pad_t + pad_b - 2;
  l.p.out_w = w + pad_l + pad_r - 2;
  const size_t nx = (size_t)n * h * w * cin, ny = (size_t)n * l.p.out_h * l.p.out_w * cout;
  l.x = malloc(nx * 4), l.w = malloc((size_t)cout * 9 * cin * 4), l.bias = malloc((size_t)cout * 4);
  l.y = malloc(ny * 4), l.y_ref = malloc(ny * 4);
  for (size_t i = 0; i < nx; i++) l.x[i] = frand();
  for (size_t i = 0; i < (size_t)cout * 9 * cin; i++) l.w[i] = frand();
  for (int i = 0; i < cout; i++) l.bias[i] = frand();
  return l;
}

static void release(layer* l) { free(l->x), free(l->w), free(l->bias), free(l->y), free(l->y_ref); }

static size_t run_wino(const mote_kernel_config* k, layer* l, mote_threadpool* pool, int threads, bool bias) {
  mote_winograd_plan plan = {.gemm = k->f32_gemm};
  plan.packed = malloc(mote_winograd_packed_floats(&k->f32_gemm, &l->p) * 4);
  float* tmp = malloc((size_t)l->p.out_c * l->p.in_c * 4);
  const size_t scratch = mote_winograd_prepare(&l->p, l->w, bias ? l->bias : NULL, threads, tmp, &plan);
  mote_context ctx = {.pool = pool, .num_threads = threads, .scratch = malloc(scratch), .scratch_size = scratch};
  mote_winograd_run(&ctx, &l->p, &plan, l->x, l->y);
  free(ctx.scratch), free(tmp), free(plan.packed);
  return scratch;
}

static void check(const mote_kernel_config* k, mote_threadpool* pool, int threads, layer* l, bool bias) {
  run_wino(k, l, pool, threads, bias);
  mote_ref_conv2d_f32(&l->p, l->x, l->w, bias ? l->bias : NULL, l->y_ref, 0, (size_t)l->p.n * l->p.out_h);
  const size_t ny = (size_t)l->p.n * l->p.out_h * l->p.out_w * l->p.out_c;
  // (plain compares: gcc 12's aarch64 vectoriser crashes on an fmax reduction here)
  double worst = 0, scale = 0;
  for (size_t i = 0; i < ny; i++) {
    const double d = fabs((double)l->y[i] - l->y_ref[i]), r = fabs((double)l->y_ref[i]);
    if (d > worst || d != d) worst = d != d ? INFINITY : d;
    if (r > scale) scale = r;
  }
  // sums of 9*cin products of values in [-1, 1]: a few ulps of the largest partial sums
  const bool ok = worst <= 2e-6 * (double)(9 * l->p.in_c) * 0.1 + 1e-6 * scale;
  CHECK(ok);
  if (!ok)
    fprintf(stderr, "  %s threads=%d n%d %dx%dx%d->%d pads %d,%d: max diff %g (max %g)\n", k->f32_gemm.name, threads,
            l->p.n, l->p.in_h, l->p.in_w, l->p.in_c, l->p.out_c, l->p.pad_top, l->p.pad_left, worst, scale);
}

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  const uint32_t detected = mote_cpu_features_detected();
  const uint32_t levels[] = {0, detected};
  mote_threadpool* pool3 = mote_threadpool_create(3);
  const int cases[][9] = {{1, 8, 8, 16, 16, 1, 1, 1, 1},   {1, 7, 9, 17, 33, 1, 1, 1, 1},  {2, 5, 6, 16, 40, 0, 0, 0, 0},
                          {1, 3, 3, 20, 16, 0, 0, 0, 0},   {1, 11, 4, 32, 19, 2, 0, 1, 2}, {1, 14, 14, 64, 64, 1, 1, 1, 1},
                          {3, 9, 10, 24, 48, 1, 0, 0, 1}};
  for (size_t lv = 0; lv < 2; lv++) {
    if (lv == 1 && levels[1] == levels[0]) break;
    mote_kernel_config k;
    mote_kernels_for_features(levels[lv], &k);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
      const int* a = cases[c];
      layer l = make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
      check(&k, NULL, 1, &l, true);
      check(&k, pool3, 3, &l, c % 2 == 0);
      l.p.act_min = 0.0f, l.p.act_max = 0.5f;  // fused clamp
      check(&k, NULL, 1, &l, true);
      release(&l);
    }
  }
  // a ResNet18 layer3 conv (14x14x256 -> 256) on this CPU's best GEMM: Winograd vs im2col
  mote_kernel_config k;
  mote_kernels_for_features(detected, &k);
  layer l = make(1, 14, 14, 256, 256, 1, 1, 1, 1);
  mote_winograd_plan wp = {.gemm = k.f32_gemm};
  wp.packed = malloc(mote_winograd_packed_floats(&k.f32_gemm, &l.p) * 4);
  float* tmp = malloc((size_t)256 * 256 * 4);
  const size_t wscratch = mote_winograd_prepare(&l.p, l.w, l.bias, 1, tmp, &wp);
  mote_context wctx = {.num_threads = 1, .scratch = malloc(wscratch), .scratch_size = wscratch};
  mote_winograd_run(&wctx, &l.p, &wp, l.x, l.y);
  double t0 = seconds();
  for (int i = 0; i < 10; i++) mote_winograd_run(&wctx, &l.p, &wp, l.x, l.y);
  const double t_wino = (seconds() - t0) / 10;
  free(wctx.scratch), free(tmp), free(wp.packed);
  mote_gemm_plan plan = {.gemm = k.f32_gemm};
  plan.packed = malloc(mote_gemm_packed_floats(&k.f32_gemm, 1, 256, 9 * 256) * 4);
  const size_t scratch = mote_gemm_conv_plan(&l.p, l.w, l.bias, 1, &plan);
  mote_context ctx = {.num_threads = 1, .scratch = malloc(scratch), .scratch_size = scratch};
  mote_gemm_conv_run(&ctx, &l.p, &plan, l.x, l.y_ref);
  t0 = seconds();
  for (int i = 0; i < 10; i++) mote_gemm_conv_run(&ctx, &l.p, &plan, l.x, l.y_ref);
  const double t_gemm = (seconds() - t0) / 10;
  printf("14x14x256 3x3 conv, 1 thread: winograd %.3f ms, im2col gemm %.3f ms\n", t_wino * 1e3, t_gemm * 1e3);
  free(ctx.scratch), free(plan.packed);
  release(&l);
  mote_threadpool_destroy(pool3);
  return test_summary();
}
