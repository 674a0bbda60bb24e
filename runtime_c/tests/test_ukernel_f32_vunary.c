// The vectorised sigmoid and swish of every ISA level this CPU has against the
// reference kernels, element by element: ordinary values, both tails (denormal
// results, overflow of e^-x), zeros, infinities, NaN; lengths around the vector width.
#include <math.h>

#include "configs/cpu.h"
#include "configs/kernels.h"
#include "ref/ref.h"
#include "ref/ref_elementwise2.h"
#include "test_util.h"

// within a few ulp of the reference, or both below FLT_MIN, or both NaN
static bool close_to(float got, float want) {
  if (isnan(want)) return isnan(got);
  if (isinf(want)) return got == want;
  return fabsf(got - want) <= 5e-7f * fabsf(want) + 1.2e-38f;  // below FLT_MIN: either is fine
}

static void check(const char* what, mote_f32_vunary_ukernel_fn fn, bool swish) {
  enum { N = 2000 };
  static float x[N + 40], y[N + 40], ref[N + 40];
  for (int i = 0; i < N; i++) x[i] = -110.0f + 220.0f * (float)i / N;  // both tails
  const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-30f, -1e-30f, 88.0f, -88.0f, -103.5f, 20.0f};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) x[N + i] = special[i];
  const size_t total = N + sizeof special / sizeof special[0];
  const size_t lengths[] = {1, 7, 8, 9, 15, 16, 17, 33, total};
  for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
    const size_t n = lengths[l];
    for (size_t i = 0; i < total + 8; i++) y[i] = 555.0f;
    fn(n, x, y);
    if (swish) {
      const mote_unary2_params p = {.kind = MOTE_UNARY2_SWISH};
      mote_ref_unary2_f32(&p, x, ref, n);
    } else {
      const mote_unary_params p = {.kind = MOTE_UNARY_LOGISTIC};
      mote_ref_unary_f32(&p, x, ref, n);
    }
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
      if (!close_to(y[i], ref[i])) {
        if (bad++ < 3) fprintf(stderr, "  %s x=%g: %.9g vs ref %.9g\n", what, x[i], y[i], ref[i]);
      }
    }
    for (size_t i = n; i < n + 8; i++) bad += y[i] != 555.0f;
    CHECK(bad == 0);
  }
  // in place
  float v[5] = {-3.0f, -1.0f, 0.0f, 1.0f, 3.0f}, w[5];
  memcpy(w, v, sizeof v);
  fn(5, v, v);
  fn(5, w, ref);
  CHECK(memcmp(v, ref, sizeof v) == 0);
}

// hard swish repeats the reference's operations: bit-identical (NaN stays NaN)
static void check_hswish(mote_f32_vunary_ukernel_fn fn) {
  enum { N = 1000 };
  static float x[N + 16], y[N + 16], ref[N + 16];
  for (int i = 0; i < N; i++) x[i] = -8.0f + 16.0f * (float)i / N;
  x[0] = NAN, x[1] = INFINITY, x[2] = -INFINITY, x[3] = -0.0f, x[4] = -3.0f, x[5] = 3.0f;
  const size_t lengths[] = {1, 7, 8, 15, 16, 17, N};
  for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
    const size_t n = lengths[l];
    for (size_t i = 0; i < n + 8; i++) y[i] = 555.0f;
    fn(n, x, y);
    const mote_unary_params p = {.kind = MOTE_UNARY_HARD_SWISH};
    mote_ref_unary_f32(&p, x, ref, n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) bad += memcmp(&y[i], &ref[i], sizeof(float)) != 0 && !(isnan(y[i]) && isnan(ref[i]));
    for (size_t i = n; i < n + 8; i++) bad += y[i] != 555.0f;
    CHECK(bad == 0);
  }
}

int main(void) {
  const uint32_t detected = mote_cpu_features_detected();
  const uint32_t levels[] = {detected & MOTE_CPU_X86_AVX2_FMA3, detected};
  int tested = 0;
  for (size_t l = 0; l < 2; l++) {
    mote_kernel_config k;
    mote_kernels_for_features(levels[l], &k);
    if (!k.f32_vsigmoid || (l == 1 && levels[1] == levels[0])) continue;
    printf("testing vsigmoid/vswish at feature set 0x%x\n", (unsigned)levels[l]);
    check("sigmoid", k.f32_vsigmoid, false);
    check("swish", k.f32_vswish, true);
    check_hswish(k.f32_vhswish);
    tested++;
  }
  if (!tested) printf("no vectorised sigmoid on this CPU: the reference kernels run\n");
  return test_summary();
}
