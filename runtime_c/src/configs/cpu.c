// CPU feature detection (see cpu.h). Runs once; the result is cached.
#include "configs/cpu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define MOTE_X86 1
#endif
#if (defined(__aarch64__) || defined(__arm__)) && defined(__linux__)
#include <sys/auxv.h>
#define MOTE_ARM_LINUX 1
#endif

static uint32_t g_detected, g_capped;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

#ifdef MOTE_X86
static uint64_t xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}

static uint32_t detect(void) {
  uint32_t a, b, c, d, f = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1;
  if (!osxsave) return 0;
  const uint64_t xcr0 = xgetbv0();
  const int ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xe6) == 0xe6;
  if (__get_cpuid_max(0, NULL) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1,
            avx512vl = (b >> 31) & 1, avx512vnni = (c >> 11) & 1;
  if (ymm && avx2 && fma) f |= MOTE_CPU_X86_AVX2_FMA3;
  if (ymm && zmm && avx512f && (f & MOTE_CPU_X86_AVX2_FMA3)) f |= MOTE_CPU_X86_AVX512F;
  if ((f & MOTE_CPU_X86_AVX512F) && avx512dq && avx512bw && avx512vl) f |= MOTE_CPU_X86_AVX512SKX;
  if ((f & MOTE_CPU_X86_AVX512SKX) && avx512vnni) f |= MOTE_CPU_X86_AVX512VNNI;
  __cpuid_count(7, 1, a, b, c, d);
  if ((f & MOTE_CPU_X86_AVX2_FMA3) && ((a >> 4) & 1)) f |= MOTE_CPU_X86_AVXVNNI;
  return f;
}
#elif defined(MOTE_ARM_LINUX)
static uint32_t detect(void) {
  uint32_t f = 0;
#if defined(__aarch64__)
  const unsigned long hw = getauxval(AT_HWCAP);
  f |= MOTE_CPU_ARM_NEON | MOTE_CPU_ARM_NEON_FMA;  // baseline on aarch64
  if (hw & (1ul << 20)) f |= MOTE_CPU_ARM_NEON_DOT;   // HWCAP_ASIMDDP
  if (hw & (1ul << 10)) f |= MOTE_CPU_ARM_NEON_FP16;  // HWCAP_ASIMDHP
#else
  const unsigned long hw = getauxval(AT_HWCAP);
  if (hw & (1ul << 12)) f |= MOTE_CPU_ARM_NEON;                                // HWCAP_NEON
  if ((f & MOTE_CPU_ARM_NEON) && (hw & (1ul << 16))) f |= MOTE_CPU_ARM_NEON_FMA;  // HWCAP_VFPv4
#endif
  return f;
}
#elif defined(__aarch64__)
static uint32_t detect(void) { return MOTE_CPU_ARM_NEON | MOTE_CPU_ARM_NEON_FMA; }
#else
static uint32_t detect(void) { return 0; }
#endif

// MOTE_ISA caps what may be used: each name keeps its own features and the ones below it
static uint32_t cap(const char* isa, uint32_t f) {
  if (!isa || !*isa) return f;
  if (!strcmp(isa, "scalar")) return 0;
  if (!strcmp(isa, "avx2")) return f & (MOTE_CPU_X86_AVX2_FMA3 | MOTE_CPU_X86_AVXVNNI);
  if (!strcmp(isa, "avx512")) return f;
  if (!strcmp(isa, "neon")) return f & (MOTE_CPU_ARM_NEON | MOTE_CPU_ARM_NEON_FMA);
  if (!strcmp(isa, "neondot")) return f;
  return f;  // unknown names cap nothing
}

static void init(void) {
  g_detected = detect();
  g_capped = cap(getenv("MOTE_ISA"), g_detected);
}

uint32_t mote_cpu_features(void) {
  pthread_once(&g_once, init);
  return g_capped;
}

uint32_t mote_cpu_features_detected(void) {
  pthread_once(&g_once, init);
  return g_detected;
}
