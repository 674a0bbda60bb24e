// The uint8 x int8 dot4 microkernels of every ISA level this CPU has against the scalar
// one (integers: bit-exact), lengths around and between the vector widths, extreme codes
// (255 x -128 everywhere), unaligned rows and strides.
#include "configs/cpu.h"
#include "configs/kernels.h"
#include "test_util.h"

static unsigned g_seed = 3;
static unsigned rnd(void) {
  g_seed = g_seed * 1103515245u + 12345u;
  return g_seed >> 8;
}

int main(void) {
  const uint32_t detected = mote_cpu_features_detected();
  const uint32_t levels[] = {detected & MOTE_CPU_X86_AVX2_FMA3, detected};
  enum { KMAX = 1100, STRIDE = KMAX + 5 };
  static uint8_t x[KMAX + 64];
  static int8_t w[4 * STRIDE + 64];
  const size_t ks[] = {1, 3, 15, 16, 17, 31, 63, 64, 65, 127, 128, 200, 384, 1099};
  int tested = 0;
  for (size_t l = 0; l < 2; l++) {
    mote_kernel_config k;
    mote_kernels_for_features(levels[l], &k);
    if (k.qu8s8_dot4 == mote_qu8s8_dot4_ukernel__scalar || (l == 1 && levels[1] == levels[0])) continue;
    tested++;
    for (int extreme = 0; extreme < 2; extreme++) {
      for (size_t i = 0; i < sizeof x; i++) x[i] = extreme ? 255 : (uint8_t)rnd();
      for (size_t i = 0; i < sizeof w; i++) w[i] = extreme ? -128 : (int8_t)rnd();
      for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
        for (size_t off = 0; off < 2; off++) {
          int32_t got[4], want[4];
          k.qu8s8_dot4(ks[ki], x + off, w + off, STRIDE, got);
          mote_qu8s8_dot4_ukernel__scalar(ks[ki], x + off, w + off, STRIDE, want);
          CHECK(memcmp(got, want, sizeof got) == 0);
        }
      }
    }
  }
  if (!tested) printf("no vectorised dot4 on this CPU: the scalar kernel runs\n");
  return test_summary();
}
