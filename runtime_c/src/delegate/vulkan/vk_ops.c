// Which ops the Vulkan delegate runs, with the checks common to all of them.
#include "delegate/vulkan/vk_ops.h"

#include <math.h>
#include <string.h>

#include "core/internal.h"
#include "core/options.h"
#include "ops/op_common.h"

bool mote_vk_is_f32(const mote_tensor* t) { return t && t->dtype == MOTE_FLOAT32; }

bool mote_vk_is_f32_weights(const mote_tensor* t) {
  return t && (t->dtype == MOTE_FLOAT32 || (t->dtype == MOTE_FLOAT16 && t->is_constant));
}

void mote_vk_act_range(int32_t activation, float* lo, float* hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  if (activation == MOTE_ACT_RELU) *lo = 0.0f;
  if (activation == MOTE_ACT_RELU6) *lo = 0.0f, *hi = 6.0f;
}

mote_status mote_vk_dispatch_init(mote_vk_dispatch* d, mote_vk_shader shader, const void* pc, size_t bytes) {
  if (bytes > sizeof d->push) return mote_error(MOTE_ERROR_RUNTIME, "vulkan: push constants too large");
  memset(d, 0, sizeof *d);
  d->shader = shader;
  memcpy(d->push, pc, bytes);
  return MOTE_OK;
}

mote_status mote_vk_emit_in_out(mote_vk_encoder* e, mote_vk_shader shader, const void* pc, size_t bytes, int32_t x,
                                int32_t y) {
  mote_vk_dispatch d;
  MOTE_TRY(mote_vk_dispatch_init(&d, shader, pc, bytes));
  MOTE_TRY(mote_vk_bind_tensor(e, x, &d.bind[0]));
  MOTE_TRY(mote_vk_bind_tensor(e, y, &d.bind[3]));
  return mote_vk_emit(e, &d);
}

static const mote_vk_op* lookup(int32_t opcode) {
  const mote_vk_op* op = mote_vk_nn_op(opcode);
  if (!op) op = mote_vk_elementwise_op(opcode);
  if (!op) op = mote_vk_data_op(opcode);
  return op;
}

// every tensor fits one storage-buffer binding and 31-bit indexing in the shaders
static bool sizes_fit(const mote_vk_device* dev, mote_context* ctx, const mote_node* n) {
  const uint64_t limit = dev->props.limits.maxStorageBufferRange;
  for (int32_t k = 0; k < n->num_inputs + n->num_outputs; k++) {
    const int32_t t = k < n->num_inputs ? n->inputs[k] : n->outputs[k - n->num_inputs];
    if (t < 0) continue;
    const mote_tensor* x = &ctx->tensors[t];
    if (x->num_elements == 0 || x->num_elements > (size_t)INT32_MAX) return false;
    // float16 constants are widened to float32 on upload
    if ((uint64_t)x->num_elements * 4u > limit) return false;
  }
  return true;
}

bool mote_vk_op_supported(const mote_vk_device* dev, mote_context* ctx, const mote_node* node) {
  const mote_vk_op* op = lookup(node->opcode);
  if (!op || node->num_outputs != 1) return false;
  if (!mote_vk_is_f32(mote_node_output(ctx, node, 0))) return false;
  return sizes_fit(dev, ctx, node) && op->supported(ctx, node);
}

mote_status mote_vk_op_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* node) {
  const mote_vk_op* op = lookup(node->opcode);
  if (!op) return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "no Vulkan kernel");
  return op->encode(e, ctx, node);
}
