// Every f32 GEMM microkernel this CPU can run (the portable one, then each ISA level the
// CPU has) against a plain double-precision loop: rows 1..MR, columns below, at, above
// and at multiples of NR, several depths and strides, clamps; bytes past the tile untouched.
// Then the CONV_2D/FC drivers (ops/gemm_conv.c) against the reference conv kernel over
// random shapes (groups, stride, dilation, padding), 1 and 3 threads.
#include <math.h>

#include "configs/cpu.h"
#include "configs/kernels.h"
#include "core/threadpool.h"
#include "ops/gemm_conv.h"
#include "ref/ref.h"
#include "test_util.h"

static unsigned g_seed = 7;
static float frand(void) {  // [-1, 1)
  g_seed = g_seed * 1103515245u + 12345u;
  return (float)((g_seed >> 9) & 0xffff) / 32768.0f - 1.0f;
}
static int irand(int n) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (int)((g_seed >> 8) % (unsigned)n);
}

#define CANARY 12345.0f

static void check_gemm(const mote_f32_gemm_config* g, mote_f32_gemm_ukernel_fn fn, size_t mr, size_t nc, size_t kc,
                       float lo, float hi) {
  const size_t a_stride = kc + 3, c_stride = nc + 5;
  float* a = malloc(mr * a_stride * sizeof(float));
  float* w = malloc(nc * kc * sizeof(float));
  float* bias = malloc(nc * sizeof(float));
  float* packed = malloc(mote_f32_gemm_packed_size(nc, kc, g->nr) * sizeof(float));
  float* c = malloc(mr * c_stride * sizeof(float));
  for (size_t i = 0; i < mr * a_stride; i++) a[i] = frand();
  for (size_t i = 0; i < nc * kc; i++) w[i] = frand();
  for (size_t i = 0; i < nc; i++) bias[i] = frand();
  for (size_t i = 0; i < mr * c_stride; i++) c[i] = CANARY;
  mote_pack_f32_gemm_goi(nc, kc, g->nr, w, bias, packed);
  const mote_f32_minmax_params mm = {lo, hi};
  fn(mr, nc, kc, a, a_stride, packed, c, c_stride, &mm);
  int bad = 0;
  for (size_t i = 0; i < mr; i++) {
    for (size_t j = 0; j < nc; j++) {
      double ref = bias[j], mag = fabs(bias[j]);
      for (size_t k = 0; k < kc; k++) {
        ref += (double)a[i * a_stride + k] * w[j * kc + k];
        mag += fabs((double)a[i * a_stride + k] * w[j * kc + k]);
      }
      ref = ref < lo ? lo : ref > hi ? hi : ref;
      if (fabs(c[i * c_stride + j] - ref) > 1e-6 * mag + 1e-7) bad++;
    }
    for (size_t j = nc; j < c_stride; j++) bad += c[i * c_stride + j] != CANARY;
  }
  CHECK(bad == 0);
  if (bad) fprintf(stderr, "  %s mr=%zu nc=%zu kc=%zu [%g,%g]: %d bad\n", g->name, mr, nc, kc, lo, hi, bad);
  free(a), free(w), free(bias), free(packed), free(c);
}

static void sweep(const mote_f32_gemm_config* g) {
  const size_t nr = g->nr;
  const size_t ncs[] = {1, nr - 1 ? nr - 1 : 1, nr, nr + 1, 2 * nr, 2 * nr + 3, 3 * nr - 1};
  const size_t kcs[] = {1, 2, 7, 16, 67};
  for (size_t mr = 1; mr <= g->mr; mr++)
    for (size_t i = 0; i < sizeof ncs / sizeof ncs[0]; i++)
      for (size_t k = 0; k < sizeof kcs / sizeof kcs[0]; k++) {
        check_gemm(g, g->fn, mr, ncs[i], kcs[k], -INFINITY, INFINITY);
        if (mr == 1) check_gemm(g, g->fn1, 1, ncs[i], kcs[k], -INFINITY, INFINITY);
      }
  check_gemm(g, g->fn, g->mr, 2 * nr + 1, 9, 0.0f, INFINITY);
  check_gemm(g, g->fn, g->mr, nr, 9, -0.25f, 0.5f);
  // NaN goes through the clamp unchanged
  float a[1] = {NAN}, w[1] = {1.0f}, packed[256], c[1] = {0};
  mote_pack_f32_gemm_goi(1, 1, nr, w, NULL, packed);
  const mote_f32_minmax_params mm = {-INFINITY, INFINITY};
  g->fn(1, 1, 1, a, 1, packed, c, 1, &mm);
  CHECK(isnan(c[0]));
}

static void check_pack_kn(void) {
  // [kc][nc] packing equals [nc][kc] packing of the transpose
  const size_t nc = 13, kc = 5, nr = 8;
  float w_kn[13 * 5], w_goi[13 * 5], bias[13], p1[2 * 8 * 6], p2[2 * 8 * 6];
  for (size_t k = 0; k < kc; k++)
    for (size_t n = 0; n < nc; n++) w_goi[n * kc + k] = w_kn[k * nc + n] = frand();
  for (size_t n = 0; n < nc; n++) bias[n] = frand();
  mote_pack_f32_gemm_kn(nc, kc, nr, w_kn, bias, p1);
  mote_pack_f32_gemm_goi(nc, kc, nr, w_goi, bias, p2);
  CHECK(memcmp(p1, p2, sizeof p1) == 0);
}

// the conv driver against mote_ref_conv2d_f32
static void check_conv(const mote_kernel_config* k, mote_threadpool* pool, int threads) {
  for (int iter = 0; iter < 60; iter++) {
    mote_conv2d_params p = {0};
    const int groups = irand(4) == 0 ? 1 + irand(3) : 1;
    p.n = 1 + irand(2);
    p.in_h = 1 + irand(9);
    p.in_w = 1 + irand(9);
    p.in_c = groups * (1 + irand(9));
    p.out_c = groups * (1 + irand(40));
    p.kernel_h = 1 + irand(3);
    p.kernel_w = 1 + irand(3);
    p.stride_h = 1 + irand(2);
    p.stride_w = 1 + irand(2);
    p.dilation_h = 1 + irand(2);
    p.dilation_w = 1 + irand(2);
    p.pad_top = irand(2);
    p.pad_left = irand(2);
    p.groups = groups;
    if (iter % 5 == 0) p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = 1, p.pad_top = p.pad_left = 0, p.groups = 1,
                       p.out_c = 1 + irand(70);
    const int eh = (p.kernel_h - 1) * p.dilation_h + 1, ew = (p.kernel_w - 1) * p.dilation_w + 1;
    p.out_h = (p.in_h + 2 * p.pad_top - eh) / p.stride_h + 1;
    p.out_w = (p.in_w + 2 * p.pad_left - ew) / p.stride_w + 1;
    if (p.out_h < 1 || p.out_w < 1) continue;
    p.act_min = iter % 3 == 0 ? 0.0f : -INFINITY;
    p.act_max = iter % 6 == 0 ? 0.5f : INFINITY;
    const size_t cin_g = (size_t)(p.in_c / p.groups), kk = (size_t)p.kernel_h * p.kernel_w * cin_g;
    const size_t nx = (size_t)p.n * p.in_h * p.in_w * p.in_c, ny = (size_t)p.n * p.out_h * p.out_w * p.out_c;
    float* x = malloc(nx * sizeof(float));
    float* w = malloc((size_t)p.out_c * kk * sizeof(float));
    float* bias = malloc((size_t)p.out_c * sizeof(float));
    float* y = malloc(ny * sizeof(float));
    float* y_ref = malloc(ny * sizeof(float));
    for (size_t i = 0; i < nx; i++) x[i] = frand();
    for (size_t i = 0; i < (size_t)p.out_c * kk; i++) w[i] = frand();
    for (int i = 0; i < p.out_c; i++) bias[i] = frand();
    mote_gemm_plan plan = {.gemm = k->f32_gemm};
    plan.packed = malloc(mote_gemm_packed_floats(&k->f32_gemm, (size_t)p.groups, (size_t)(p.out_c / p.groups), kk) *
                         sizeof(float));
    const size_t scratch = mote_gemm_conv_plan(&p, w, bias, threads, &plan);
    mote_context ctx = {.pool = pool, .num_threads = threads, .scratch = scratch ? malloc(scratch) : NULL,
                        .scratch_size = scratch};
    mote_gemm_conv_run(&ctx, &p, &plan, x, y);
    mote_ref_conv2d_f32(&p, x, w, bias, y_ref, 0, (size_t)p.n * p.out_h);
    int bad = 0;
    for (size_t i = 0; i < ny; i++) bad += fabsf(y[i] - y_ref[i]) > 1e-5f * (1.0f + (float)kk);
    CHECK(bad == 0);
    if (bad)
      fprintf(stderr, "  conv %s threads=%d n%d %dx%dx%d -> %dx%dx%d k%dx%d s%d,%d d%d,%d g%d: %d bad\n",
              k->f32_gemm.name, threads, p.n, p.in_h, p.in_w, p.in_c, p.out_h, p.out_w, p.out_c, p.kernel_h,
              p.kernel_w, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.groups, bad);
    free(ctx.scratch), free(plan.packed), free(x), free(w), free(bias), free(y), free(y_ref);
  }
}

static void check_fc(const mote_kernel_config* k, mote_threadpool* pool, int threads) {
  const size_t shapes[][3] = {{1, 1, 1}, {1, 64, 1000}, {3, 17, 33}, {20, 5, 7}, {1, 300, 10}, {70, 40, 65}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    mote_fully_connected_params p = {shapes[s][0], shapes[s][1], shapes[s][2], -INFINITY, INFINITY};
    float* x = malloc(p.m * p.k * sizeof(float));
    float* w = malloc(p.n * p.k * sizeof(float));
    float* bias = malloc(p.n * sizeof(float));
    float *y = malloc(p.m * p.n * sizeof(float)), *y_ref = malloc(p.m * p.n * sizeof(float));
    for (size_t i = 0; i < p.m * p.k; i++) x[i] = frand();
    for (size_t i = 0; i < p.n * p.k; i++) w[i] = frand();
    for (size_t i = 0; i < p.n; i++) bias[i] = frand();
    mote_gemm_plan plan = {.gemm = k->f32_gemm};
    plan.packed = malloc(mote_gemm_packed_floats(&k->f32_gemm, 1, p.n, p.k) * sizeof(float));
    mote_gemm_fc_plan(p.m, p.k, p.n, w, bias, p.act_min, p.act_max, &plan);
    mote_context ctx = {.pool = pool, .num_threads = threads};
    mote_gemm_fc_run(&ctx, &plan, x, y);
    mote_ref_fully_connected_f32(&p, x, w, bias, y_ref, 0, p.m, 0, p.n);
    int bad = 0;
    for (size_t i = 0; i < p.m * p.n; i++) bad += fabsf(y[i] - y_ref[i]) > 1e-5f * (1.0f + (float)p.k);
    CHECK(bad == 0);
    free(plan.packed), free(x), free(w), free(bias), free(y), free(y_ref);
  }
}

// BATCH_MATMUL on the GEMM (b packed per batch) vs the reference, broadcast batch dims, adj_b
static void check_bmm(const mote_kernel_config* k, mote_threadpool* pool, int threads) {
  // a [2, 3, m, k] @ b [1|2, 3, k, n] (or [.., n, k] with adj_b): batch dims [2, 3] after coalescing
  const size_t shapes[][3] = {{1, 1, 1}, {5, 7, 9}, {17, 33, 40}, {64, 32, 64}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    for (int variant = 0; variant < 4; variant++) {
      const bool adj_b = variant & 1, b_bcast = variant & 2;
      mote_batch_matmul_params p = {.m = shapes[s][0], .k = shapes[s][1], .n = shapes[s][2], .adj_b = adj_b,
                                    .batch_rank = 2, .batch_dims = {2, 3}};
      p.a_batch_strides[0] = 3, p.a_batch_strides[1] = 1;
      p.b_batch_strides[0] = b_bcast ? 0 : 3, p.b_batch_strides[1] = 1;
      const size_t na = 6 * p.m * p.k, nb = (b_bcast ? 3 : 6) * p.k * p.n, ny = 6 * p.m * p.n;
      float *a = malloc(na * 4), *b = malloc(nb * 4), *y = malloc(ny * 4), *y_ref = malloc(ny * 4);
      for (size_t i = 0; i < na; i++) a[i] = frand();
      for (size_t i = 0; i < nb; i++) b[i] = frand();
      const size_t scratch = mote_gemm_bmm_scratch(&k->f32_gemm, &p, threads);
      mote_context ctx = {.pool = pool, .num_threads = threads, .scratch = malloc(scratch), .scratch_size = scratch};
      mote_gemm_bmm_run(&ctx, &k->f32_gemm, &p, a, b, y);
      mote_ref_batch_matmul_f32(&p, a, b, y_ref, 0, 6 * p.m);
      int bad = 0;
      for (size_t i = 0; i < ny; i++) bad += fabsf(y[i] - y_ref[i]) > 1e-5f * (1.0f + (float)p.k);
      CHECK(bad == 0);
      if (bad) fprintf(stderr, "  bmm %s m%zu k%zu n%zu adj_b %d bcast %d threads %d: %d bad\n", k->f32_gemm.name,
                       p.m, p.k, p.n, adj_b, b_bcast, threads, bad);
      free(ctx.scratch), free(a), free(b), free(y), free(y_ref);
    }
  }
}

int main(void) {
  const uint32_t detected = mote_cpu_features_detected();
  // the portable set, then each level this CPU has
  const uint32_t levels[] = {0, detected & MOTE_CPU_ARM_NEON,
                             detected & (MOTE_CPU_X86_AVX2_FMA3 | MOTE_CPU_ARM_NEON | MOTE_CPU_ARM_NEON_FMA), detected};
  const char* seen[4] = {0};
  mote_threadpool* pool3 = mote_threadpool_create(3);
  check_pack_kn();
  for (size_t l = 0; l < 4; l++) {
    mote_kernel_config k;
    mote_kernels_for_features(levels[l], &k);
    bool dup = false;
    for (size_t s = 0; s < l; s++) dup = dup || (seen[s] && !strcmp(seen[s], k.f32_gemm.name));
    seen[l] = k.f32_gemm.name;
    if (dup) continue;
    printf("testing %s (MR %u, NR %u)\n", k.f32_gemm.name, k.f32_gemm.mr, k.f32_gemm.nr);
    sweep(&k.f32_gemm);
    check_conv(&k, NULL, 1);
    check_conv(&k, pool3, 3);
    check_fc(&k, NULL, 1);
    check_fc(&k, pool3, 3);
    check_bmm(&k, NULL, 1);
    check_bmm(&k, pool3, 3);
  }
#if defined(__x86_64__) || defined(__i386__)
  if (!(detected & MOTE_CPU_X86_AVX512F)) printf("this CPU has no AVX-512: its kernels were not run here\n");
#endif
  mote_threadpool_destroy(pool3);
  return test_summary();
}
