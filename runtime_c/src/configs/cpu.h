// CPU features, detected once (cpuid/xgetbv on x86, HWCAP on Linux ARM), capped by
// the MOTE_ISA environment variable for testing: MOTE_ISA=scalar runs the reference
// set, MOTE_ISA=avx2 stops below AVX-512, and so on.
#ifndef MOTE_CONFIGS_CPU_H
#define MOTE_CONFIGS_CPU_H

#include <stdint.h>

enum {
  MOTE_CPU_X86_AVX2_FMA3 = 1u << 0,   // AVX2 + FMA3 + OS saves YMM
  MOTE_CPU_X86_AVX512F = 1u << 1,     // AVX-512 F + OS saves ZMM
  MOTE_CPU_X86_AVX512SKX = 1u << 2,   // + BW, DQ, VL
  MOTE_CPU_X86_AVX512VNNI = 1u << 3,
  MOTE_CPU_X86_AVXVNNI = 1u << 4,
  MOTE_CPU_ARM_NEON = 1u << 8,        // Advanced SIMD (always on aarch64)
  MOTE_CPU_ARM_NEON_FMA = 1u << 9,    // VFPv4 fused multiply-add (always on aarch64)
  MOTE_CPU_ARM_NEON_DOT = 1u << 10,   // SDOT/UDOT (armv8.2 dotprod)
  MOTE_CPU_ARM_NEON_FP16 = 1u << 11,  // half-precision arithmetic
};

// the features of this CPU after the MOTE_ISA cap (cached after the first call)
uint32_t mote_cpu_features(void);
// the detected features without the cap, and the cap's name ("" when unset)
uint32_t mote_cpu_features_detected(void);

#endif  // MOTE_CONFIGS_CPU_H
