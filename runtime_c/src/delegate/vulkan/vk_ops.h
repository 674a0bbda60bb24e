// How each op runs on the Vulkan delegate: whether it can (shapes, dtypes, limits) and the
// dispatches that compute it. Encoders describe dispatches in terms of regions (arena-like
// tensor storage on the device, and constants uploaded once); vk_partition.c turns them into
// buffers, descriptor sets and one recorded command buffer per partition.
#ifndef MOTE_DELEGATE_VULKAN_VK_OPS_H
#define MOTE_DELEGATE_VULKAN_VK_OPS_H

#include <stdbool.h>

#include "core/types.h"
#include "delegate/vulkan/vk_device.h"

typedef enum { MOTE_VK_UNUSED = 0, MOTE_VK_TENSORS = 1, MOTE_VK_CONSTANTS = 2 } mote_vk_region;

typedef struct mote_vk_binding {
  mote_vk_region region;
  VkDeviceSize offset, bytes;  // within the region's buffer
} mote_vk_binding;

typedef struct mote_vk_dispatch {
  mote_vk_shader shader;
  mote_vk_binding bind[MOTE_VK_BINDINGS];  // unused bindings get a dummy buffer
  uint32_t push[MOTE_VK_PUSH_BYTES / 4];   // the shader's push constants; word 0: invocations
} mote_vk_dispatch;

typedef struct mote_vk_encoder mote_vk_encoder;  // vk_partition.c

// the device storage of tensor `index` (a constant is uploaded once; float16 widened to float32)
mote_status mote_vk_bind_tensor(mote_vk_encoder* e, int32_t index, mote_vk_binding* out);
// a new constant (copied now, uploaded with the partition's constants)
mote_status mote_vk_bind_data(mote_vk_encoder* e, const void* data, size_t bytes, mote_vk_binding* out);
// append a dispatch; runs after every dispatch appended before it (a barrier between)
mote_status mote_vk_emit(mote_vk_encoder* e, const mote_vk_dispatch* d);

// may the delegate run `node` on `dev` (shapes final, node prepared on the CPU)
bool mote_vk_op_supported(const mote_vk_device* dev, mote_context* ctx, const mote_node* node);
mote_status mote_vk_op_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* node);

// ---- per family (vk_ops_*.c) ----
typedef struct mote_vk_op {
  bool (*supported)(mote_context* ctx, const mote_node* node);
  mote_status (*encode)(mote_vk_encoder* e, mote_context* ctx, const mote_node* node);
} mote_vk_op;

// the implementation for `opcode`, or NULL (vk_ops_nn.c, vk_ops_elementwise.c, vk_ops_data.c)
const mote_vk_op* mote_vk_nn_op(int32_t opcode);
const mote_vk_op* mote_vk_elementwise_op(int32_t opcode);
const mote_vk_op* mote_vk_data_op(int32_t opcode);

// helpers shared by the families
bool mote_vk_is_f32(const mote_tensor* t);
// float32, or a constant float16 (weights of `--quantize fp16`)
bool mote_vk_is_f32_weights(const mote_tensor* t);
// fused activation (schema enum) as a [lo, hi] clamp
void mote_vk_act_range(int32_t activation, float* lo, float* hi);
// record the invocation count and the push constants `pc` (bytes, word 0 = count)
mote_status mote_vk_dispatch_init(mote_vk_dispatch* d, mote_vk_shader shader, const void* pc, size_t bytes);
// the common dispatch: tensor `x` at binding 0, tensor `y` at binding 3
mote_status mote_vk_emit_in_out(mote_vk_encoder* e, mote_vk_shader shader, const void* pc, size_t bytes, int32_t x,
                                int32_t y);

#endif  // MOTE_DELEGATE_VULKAN_VK_OPS_H
