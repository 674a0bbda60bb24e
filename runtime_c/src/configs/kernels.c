// Fills the kernel table: the scalar reference set first, then the slots that a
// microkernel for the detected CPU (configs/cpu.h) does better.
#include "configs/kernels.h"

#include <pthread.h>

#include "configs/cpu.h"

static mote_kernel_config g_config;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

void mote_kernels_for_features(uint32_t features, mote_kernel_config* k) {
  k->conv2d_f32 = mote_ref_conv2d_f32;
  k->depthwise_conv2d_f32 = mote_ref_depthwise_conv2d_f32;
  k->fully_connected_f32 = mote_ref_fully_connected_f32;
  k->batch_matmul_f32 = mote_ref_batch_matmul_f32;
  k->max_pool2d_f32 = mote_ref_max_pool2d_f32;
  k->avg_pool2d_f32 = mote_ref_avg_pool2d_f32;
  k->binary_f32 = mote_ref_binary_f32;
  k->unary_f32 = mote_ref_unary_f32;
  k->f32_gemm = (mote_f32_gemm_config){mote_f32_gemm_minmax_ukernel_4x8__scalar,
                                       mote_f32_gemm_minmax_ukernel_4x8__scalar, 4, 8, "f32-gemm-4x8-scalar"};
  k->f32_dwconv = (mote_f32_dwconv_config){mote_f32_dwconv_minmax_ukernel_c4__scalar, 4, "f32-dwconv-c4-scalar"};
  k->f32_vsigmoid = NULL;
  k->f32_vswish = NULL;
  k->qu8s8_dot4 = mote_qu8s8_dot4_ukernel__scalar;
  (void)features;
#if defined(__x86_64__) || defined(__i386__)
  // tiles measured on Zen 4 (2 vCPU), ResNet18 / MobileNetV2 1 thread: docs/kernels.md
  if (features & MOTE_CPU_X86_AVX2_FMA3)
    k->f32_gemm = (mote_f32_gemm_config){mote_f32_gemm_minmax_ukernel_6x16__fma3,
                                         mote_f32_gemm_minmax_ukernel_6x16__fma3, 6, 16, "f32-gemm-6x16-fma3"};
  if (features & MOTE_CPU_X86_AVX2_FMA3)
    k->f32_dwconv = (mote_f32_dwconv_config){mote_f32_dwconv_minmax_ukernel_c8__fma3, 8, "f32-dwconv-c8-fma3"};
  if (features & MOTE_CPU_X86_AVX2_FMA3) {
    k->f32_vsigmoid = mote_f32_vsigmoid_ukernel__fma3;
    k->f32_vswish = mote_f32_vswish_ukernel__fma3;
  }
  if (features & MOTE_CPU_X86_AVX2_FMA3) k->qu8s8_dot4 = mote_qu8s8_dot4_ukernel__avx2;
  if (features & MOTE_CPU_X86_AVX512VNNI) k->qu8s8_dot4 = mote_qu8s8_dot4_ukernel__avx512vnni;
  if (features & MOTE_CPU_X86_AVX512F) {
    k->f32_vsigmoid = mote_f32_vsigmoid_ukernel__avx512f;
    k->f32_vswish = mote_f32_vswish_ukernel__avx512f;
  }
  if (features & MOTE_CPU_X86_AVX512F)
    k->f32_dwconv = (mote_f32_dwconv_config){mote_f32_dwconv_minmax_ukernel_c16__avx512f, 16, "f32-dwconv-c16-avx512f"};
  if (features & MOTE_CPU_X86_AVX512F)
    k->f32_gemm = (mote_f32_gemm_config){mote_f32_gemm_minmax_ukernel_8x32__avx512f,
                                         mote_f32_gemm_minmax_ukernel_8x32__avx512f, 8, 32, "f32-gemm-8x32-avx512f"};
#endif
#if defined(__aarch64__) || defined(__arm__)
  if (features & MOTE_CPU_ARM_NEON) {
    k->f32_gemm = (mote_f32_gemm_config){mote_f32_gemm_minmax_ukernel_4x8__neon, mote_f32_gemm_minmax_ukernel_4x8__neon,
                                         4, 8, "f32-gemm-4x8-neon"};
    k->f32_dwconv = (mote_f32_dwconv_config){mote_f32_dwconv_minmax_ukernel_c8__neon, 8, "f32-dwconv-c8-neon"};
  }
#endif
#if defined(__aarch64__) || defined(__arm__)
  if (features & MOTE_CPU_ARM_NEON_FMA)
    k->f32_gemm = (mote_f32_gemm_config){mote_f32_gemm_minmax_ukernel_4x16__neonfma,
                                         mote_f32_gemm_minmax_ukernel_4x16__neonfma, 4, 16, "f32-gemm-4x16-neonfma"};
#endif
}

static void init_config(void) { mote_kernels_for_features(mote_cpu_features(), &g_config); }

const mote_kernel_config* mote_kernels_get(void) {
  pthread_once(&g_once, init_config);
  return &g_config;
}
