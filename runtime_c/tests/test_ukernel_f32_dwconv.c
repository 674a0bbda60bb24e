// Every f32 depthwise microkernel this CPU can run, through the DEPTHWISE_CONV_2D driver
// (ops/dwconv_run.c), against the reference depthwise kernel: channels below, at, above
// and at multiples of the kernel's block, 1×1 to 7×7 taps, strides, dilations, padding
// on every side, clamps, 1 and 3 threads; output bytes past the tensor untouched.
#include <math.h>

#include "configs/cpu.h"
#include "configs/kernels.h"
#include "core/threadpool.h"
#include "ops/dwconv_run.h"
#include "ref/ref.h"
#include "test_util.h"

static unsigned g_seed = 11;
static float frand(void) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (float)((g_seed >> 9) & 0xffff) / 32768.0f - 1.0f;
}
static int irand(int n) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (int)((g_seed >> 8) % (unsigned)n);
}

static void check(const mote_kernel_config* k, mote_threadpool* pool, int threads, int channels, int kh, int kw,
                  int iter) {
  mote_conv2d_params p = {0};
  p.n = 1 + irand(2);
  p.in_h = 1 + irand(10);
  p.in_w = 1 + irand(10);
  p.in_c = p.out_c = channels;
  p.kernel_h = kh;
  p.kernel_w = kw;
  p.stride_h = 1 + irand(2);
  p.stride_w = 1 + irand(2);
  p.dilation_h = 1 + irand(2);
  p.dilation_w = 1 + irand(2);
  p.pad_top = irand(kh);
  p.pad_left = irand(kw);
  p.groups = 1;
  p.depth_multiplier = 1;
  const int pad_bottom = irand(kh), pad_right = irand(kw);
  p.out_h = (p.in_h + p.pad_top + pad_bottom - ((kh - 1) * p.dilation_h + 1)) / p.stride_h + 1;
  p.out_w = (p.in_w + p.pad_left + pad_right - ((kw - 1) * p.dilation_w + 1)) / p.stride_w + 1;
  if (p.out_h < 1 || p.out_w < 1) return;
  p.act_min = iter % 3 == 0 ? 0.0f : -INFINITY;
  p.act_max = iter % 4 == 0 ? 0.75f : INFINITY;
  const size_t c = (size_t)channels, taps = (size_t)kh * kw;
  const size_t nx = (size_t)p.n * p.in_h * p.in_w * c, ny = (size_t)p.n * p.out_h * p.out_w * c;
  float* x = malloc(nx * sizeof(float));
  float* w = malloc(taps * c * sizeof(float));
  float* bias = malloc(c * sizeof(float));
  float* y = malloc((ny + 16) * sizeof(float));
  float* y_ref = malloc(ny * sizeof(float));
  for (size_t i = 0; i < nx; i++) x[i] = frand();
  for (size_t i = 0; i < taps * c; i++) w[i] = frand();
  for (size_t i = 0; i < c; i++) bias[i] = frand();
  for (size_t i = 0; i < ny + 16; i++) y[i] = 777.0f;
  mote_dwconv_plan plan = {.dw = k->f32_dwconv};
  plan.packed = malloc(mote_dwconv_plan_floats(&k->f32_dwconv, &p) * sizeof(float));
  mote_dwconv_plan_init(&p, w, bias, &plan);
  mote_context ctx = {.pool = pool, .num_threads = threads};
  mote_dwconv_run(&ctx, &p, &plan, x, y);
  mote_ref_depthwise_conv2d_f32(&p, x, w, bias, y_ref, 0, (size_t)p.n * p.out_h);
  int bad = 0;
  for (size_t i = 0; i < ny; i++) bad += fabsf(y[i] - y_ref[i]) > 1e-5f * (1.0f + (float)taps);
  for (size_t i = ny; i < ny + 16; i++) bad += y[i] != 777.0f;
  CHECK(bad == 0);
  if (bad)
    fprintf(stderr, "  %s threads=%d c=%d k%dx%d s%d,%d d%d,%d in %dx%d: %d bad\n", k->f32_dwconv.name, threads,
            channels, kh, kw, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.in_h, p.in_w, bad);
  free(plan.packed), free(x), free(w), free(bias), free(y), free(y_ref);
}

int main(void) {
  const uint32_t detected = mote_cpu_features_detected();
  const uint32_t levels[] = {0, detected & MOTE_CPU_ARM_NEON,
                             detected & (MOTE_CPU_X86_AVX2_FMA3 | MOTE_CPU_ARM_NEON | MOTE_CPU_ARM_NEON_FMA), detected};
  const char* seen[4] = {0};
  mote_threadpool* pool3 = mote_threadpool_create(3);
  for (size_t l = 0; l < 4; l++) {
    mote_kernel_config k;
    mote_kernels_for_features(levels[l], &k);
    bool dup = false;
    for (size_t s = 0; s < l; s++) dup = dup || (seen[s] && !strcmp(seen[s], k.f32_dwconv.name));
    seen[l] = k.f32_dwconv.name;
    if (dup) continue;
    printf("testing %s (CB %u)\n", k.f32_dwconv.name, k.f32_dwconv.cb);
    const int cb = k.f32_dwconv.cb;
    const int channels[] = {1, cb - 1 > 0 ? cb - 1 : 1, cb, cb + 1, 2 * cb, 3 * cb + 5};
    const int kernels[][2] = {{1, 1}, {3, 3}, {5, 5}, {3, 1}, {1, 7}, {7, 7}};
    int iter = 0;
    for (size_t ci = 0; ci < sizeof channels / sizeof channels[0]; ci++)
      for (size_t ki = 0; ki < sizeof kernels / sizeof kernels[0]; ki++, iter++) {
        check(&k, NULL, 1, channels[ci], kernels[ki][0], kernels[ki][1], iter);
        check(&k, pool3, 3, channels[ci], kernels[ki][0], kernels[ki][1], iter + 1);
      }
  }
  mote_threadpool_destroy(pool3);
  return test_summary();
}
