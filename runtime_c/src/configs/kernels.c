// Fills the kernel table: the scalar reference set first, then (later) the
// slots that a microkernel for the detected CPU does better.
#include "configs/kernels.h"

#include <pthread.h>

static mote_kernel_config g_config;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void init_config(void) {
  g_config.conv2d_f32 = mote_ref_conv2d_f32;
  g_config.depthwise_conv2d_f32 = mote_ref_depthwise_conv2d_f32;
  g_config.fully_connected_f32 = mote_ref_fully_connected_f32;
  g_config.batch_matmul_f32 = mote_ref_batch_matmul_f32;
  g_config.max_pool2d_f32 = mote_ref_max_pool2d_f32;
  g_config.avg_pool2d_f32 = mote_ref_avg_pool2d_f32;
  g_config.binary_f32 = mote_ref_binary_f32;
  g_config.unary_f32 = mote_ref_unary_f32;
  // cpu feature detection and per-isa overrides go here (src/ukernels/)
}

const mote_kernel_config* mote_kernels_get(void) {
  pthread_once(&g_once, init_config);
  return &g_config;
}
