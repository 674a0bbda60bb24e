// Vulkan partitions (see vk_partition.h) and the encoder the op encoders write into.
#include "delegate/vulkan/vk_partition.h"

#include <stdlib.h>
#include <string.h>

#include "core/fp16.h"
#include "core/internal.h"
#include "ops/op_common.h"
#include "core/interpreter_internal.h"
#include "delegate/vulkan/vk_ops.h"

struct mote_vk_encoder {
  mote_context* ctx;
  bool fp16;             // tensors and weights stored as float16 on the device
  VkDeviceSize align;
  VkDeviceSize* offset;  // per tensor: 1 + offset in its region (0: not placed yet)
  VkDeviceSize tensors_size;
  uint8_t* consts;       // host copy of the constants region
  size_t consts_size, consts_cap;
  mote_vk_dispatch* dispatches;
  size_t num_dispatches, cap_dispatches;
};

static VkDeviceSize align_up(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

static mote_status append_const(mote_vk_encoder* e, size_t bytes, size_t* at) {
  const size_t start = (size_t)align_up(e->consts_size, e->align);
  if (start + bytes > e->consts_cap) {
    size_t cap = e->consts_cap ? e->consts_cap : 4096;
    while (cap < start + bytes) cap *= 2;
    uint8_t* grown = realloc(e->consts, cap);
    if (!grown) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "vulkan: out of memory staging %zu bytes of weights", cap);
    e->consts = grown;
    e->consts_cap = cap;
  }
  memset(e->consts + e->consts_size, 0, start - e->consts_size);
  e->consts_size = start + bytes;
  *at = start;
  return MOTE_OK;
}

mote_status mote_vk_bind_tensor(mote_vk_encoder* e, int32_t index, mote_vk_binding* out) {
  const mote_tensor* t = &e->ctx->tensors[index];
  const VkDeviceSize bytes = (VkDeviceSize)t->num_elements * (e->fp16 ? 2u : 4u);
  if (t->is_constant) {
    if (!e->offset[index]) {
      size_t at = 0;
      MOTE_TRY(append_const(e, (size_t)bytes, &at));
      void* dst = e->consts + at;
      if (e->fp16 && t->dtype == MOTE_FLOAT16) memcpy(dst, t->data, (size_t)bytes);
      else if (e->fp16) mote_f32_to_f16_array(t->data, dst, t->num_elements);
      else if (t->dtype == MOTE_FLOAT16) mote_f16_to_f32_array(t->data, dst, t->num_elements);
      else memcpy(dst, t->data, (size_t)bytes);
      e->offset[index] = 1 + at;
    }
    *out = (mote_vk_binding){MOTE_VK_CONSTANTS, e->offset[index] - 1, bytes};
    return MOTE_OK;
  }
  if (!e->offset[index]) {
    const VkDeviceSize at = align_up(e->tensors_size, e->align);
    e->tensors_size = at + bytes;
    e->offset[index] = 1 + at;
  }
  *out = (mote_vk_binding){MOTE_VK_TENSORS, e->offset[index] - 1, bytes};
  return MOTE_OK;
}

mote_status mote_vk_bind_data(mote_vk_encoder* e, const void* data, size_t bytes, mote_vk_binding* out) {
  size_t at = 0;
  MOTE_TRY(append_const(e, bytes, &at));
  memcpy(e->consts + at, data, bytes);
  *out = (mote_vk_binding){MOTE_VK_CONSTANTS, at, bytes};
  return MOTE_OK;
}

mote_status mote_vk_emit(mote_vk_encoder* e, const mote_vk_dispatch* d) {
  if (e->num_dispatches == e->cap_dispatches) {
    const size_t cap = e->cap_dispatches ? 2 * e->cap_dispatches : 64;
    mote_vk_dispatch* grown = realloc(e->dispatches, cap * sizeof *grown);
    if (!grown) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "vulkan: out of memory recording dispatches");
    e->dispatches = grown;
    e->cap_dispatches = cap;
  }
  e->dispatches[e->num_dispatches++] = *d;
  return MOTE_OK;
}

// ---- the partition ----

typedef struct {
  int32_t tensor;
  VkDeviceSize device_offset, staging_offset, bytes;  // bytes on the device (float16 or float32)
} io_copy;

typedef struct {
  mote_vk_buffer tensors, constants, staging;
  VkDescriptorPool pool;
  VkCommandPool cmd_pool;
  VkCommandBuffer cmd;
  VkFence fence;
  int32_t num_in, num_out;
  io_copy* io;  // inputs, then outputs
  bool fp16;    // convert at the boundary: the arena holds float32
} vk_partition;

static void encoder_free(mote_vk_encoder* e) {
  free(e->offset);
  free(e->consts);
  free(e->dispatches);
}

static mote_status encode_nodes(mote_vk_encoder* e, mote_context* ctx, mote_node* nodes, const mote_partition* part) {
  for (int32_t i = part->first_node; i < part->first_node + part->num_nodes; i++) {
    mote_clear_error();
    mote_status s = mote_vk_op_encode(e, ctx, &nodes[i]);
    if (s != MOTE_OK) return mote_node_failed(&nodes[i], s, "vulkan encode");
  }
  return MOTE_OK;
}

static mote_status plan_io(mote_vk_encoder* e, const mote_partition* part, vk_partition* vp, VkDeviceSize* staging) {
  vp->num_in = part->num_inputs;
  vp->num_out = part->num_outputs;
  vp->io = calloc((size_t)(part->num_inputs + part->num_outputs) + 1, sizeof *vp->io);
  if (!vp->io) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
  VkDeviceSize at = 0;
  for (int32_t k = 0; k < part->num_inputs + part->num_outputs; k++) {
    const int32_t t = k < part->num_inputs ? part->inputs[k] : part->outputs[k - part->num_inputs];
    mote_vk_binding b;
    MOTE_TRY(mote_vk_bind_tensor(e, t, &b));
    at = align_up(at, 16);
    vp->io[k] = (io_copy){t, b.offset, at, b.bytes};
    at += b.bytes;
  }
  *staging = at;
  return MOTE_OK;
}

static mote_status begin_commands(mote_vk_device* dev, VkCommandPool pool, VkCommandBuffer* cmd) {
  const VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                          .commandPool = pool, .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                          .commandBufferCount = 1};
  VkResult r = dev->fn.vkAllocateCommandBuffers(dev->device, &ai, cmd);
  if (r != VK_SUCCESS) return mote_vk_fail(r, "vkAllocateCommandBuffers");
  const VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  r = dev->fn.vkBeginCommandBuffer(*cmd, &bi);
  return r == VK_SUCCESS ? MOTE_OK : mote_vk_fail(r, "vkBeginCommandBuffer");
}

static void barrier(mote_vk_device* dev, VkCommandBuffer cmd, VkPipelineStageFlags src, VkAccessFlags src_access,
                    VkPipelineStageFlags dst, VkAccessFlags dst_access) {
  const VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = src_access,
                              .dstAccessMask = dst_access};
  dev->fn.vkCmdPipelineBarrier(cmd, src, dst, 0, 1, &mb, 0, NULL, 0, NULL);
}

// weights go through a temporary staging buffer once
static mote_status upload_constants(mote_vk_device* dev, vk_partition* vp, const mote_vk_encoder* e) {
  if (e->consts_size == 0) return MOTE_OK;
  mote_vk_buffer tmp;
  MOTE_TRY(mote_vk_buffer_create(dev, e->consts_size, true, &tmp));
  memcpy(tmp.mapped, e->consts, e->consts_size);
  VkCommandBuffer cmd;
  mote_status s = begin_commands(dev, vp->cmd_pool, &cmd);
  if (s == MOTE_OK) {
    const VkBufferCopy region = {0, 0, e->consts_size};
    dev->fn.vkCmdCopyBuffer(cmd, tmp.buffer, vp->constants.buffer, 1, &region);
    barrier(dev, cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT);
    VkResult r = dev->fn.vkEndCommandBuffer(cmd);
    s = r == VK_SUCCESS ? mote_vk_submit_wait(dev, cmd, vp->fence) : mote_vk_fail(r, "vkEndCommandBuffer");
  }
  mote_vk_buffer_destroy(dev, &tmp);
  return s;
}

static VkDescriptorBufferInfo buffer_info(const vk_partition* vp, const mote_vk_binding* b) {
  switch (b->region) {
    case MOTE_VK_TENSORS: return (VkDescriptorBufferInfo){vp->tensors.buffer, b->offset, b->bytes};
    case MOTE_VK_CONSTANTS: return (VkDescriptorBufferInfo){vp->constants.buffer, b->offset, b->bytes};
    default: return (VkDescriptorBufferInfo){vp->constants.buffer, 0, 4};  // unused by the shader
  }
}

static mote_status write_descriptors(mote_vk_device* dev, vk_partition* vp, const mote_vk_encoder* e,
                                     VkDescriptorSet* sets) {
  const uint32_t n = (uint32_t)e->num_dispatches;
  const VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, n * MOTE_VK_BINDINGS};
  const VkDescriptorPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, .maxSets = n,
                                         .poolSizeCount = 1, .pPoolSizes = &size};
  VkResult r = dev->fn.vkCreateDescriptorPool(dev->device, &pi, NULL, &vp->pool);
  if (r != VK_SUCCESS) return mote_vk_fail(r, "vkCreateDescriptorPool");
  VkDescriptorSetLayout* layouts = malloc(n * sizeof *layouts);
  if (!layouts) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
  for (uint32_t i = 0; i < n; i++) layouts[i] = dev->set_layout;
  const VkDescriptorSetAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                          .descriptorPool = vp->pool, .descriptorSetCount = n,
                                          .pSetLayouts = layouts};
  r = dev->fn.vkAllocateDescriptorSets(dev->device, &ai, sets);
  free(layouts);
  if (r != VK_SUCCESS) return mote_vk_fail(r, "vkAllocateDescriptorSets");
  for (uint32_t i = 0; i < n; i++) {
    VkDescriptorBufferInfo infos[MOTE_VK_BINDINGS];
    VkWriteDescriptorSet w[MOTE_VK_BINDINGS];
    for (uint32_t b = 0; b < MOTE_VK_BINDINGS; b++) {
      infos[b] = buffer_info(vp, &e->dispatches[i].bind[b]);
      w[b] = (VkWriteDescriptorSet){.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, .dstSet = sets[i],
                                    .dstBinding = b, .descriptorCount = 1,
                                    .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .pBufferInfo = &infos[b]};
    }
    dev->fn.vkUpdateDescriptorSets(dev->device, MOTE_VK_BINDINGS, w, 0, NULL);
  }
  return MOTE_OK;
}

static mote_status record(mote_vk_device* dev, vk_partition* vp, const mote_vk_encoder* e,
                          const VkDescriptorSet* sets) {
  MOTE_TRY(begin_commands(dev, vp->cmd_pool, &vp->cmd));
  VkCommandBuffer cmd = vp->cmd;
  for (int32_t k = 0; k < vp->num_in; k++) {
    const VkBufferCopy c = {vp->io[k].staging_offset, vp->io[k].device_offset, vp->io[k].bytes};
    dev->fn.vkCmdCopyBuffer(cmd, vp->staging.buffer, vp->tensors.buffer, 1, &c);
  }
  barrier(dev, cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
          VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
  const uint32_t max_x = dev->props.limits.maxComputeWorkGroupCount[0];
  const uint32_t max_y = dev->props.limits.maxComputeWorkGroupCount[1];
  VkPipeline bound = VK_NULL_HANDLE;
  for (size_t i = 0; i < e->num_dispatches; i++) {
    const mote_vk_dispatch* d = &e->dispatches[i];
    VkPipeline pipe;
    MOTE_TRY(mote_vk_pipeline(dev, d->shader, &pipe));
    if (pipe != bound) dev->fn.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipe);
    bound = pipe;
    dev->fn.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, dev->layout, 0, 1, &sets[i], 0, NULL);
    dev->fn.vkCmdPushConstants(cmd, dev->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, MOTE_VK_PUSH_BYTES, d->push);
    const uint64_t groups = ((uint64_t)d->push[0] + MOTE_VK_LOCAL_SIZE - 1) / MOTE_VK_LOCAL_SIZE;
    const uint32_t gx = groups < max_x ? (uint32_t)groups : max_x;
    const uint64_t gy = (groups + gx - 1) / gx;
    if (gy > max_y) return mote_error(MOTE_ERROR_UNSUPPORTED, "vulkan: %u invocations exceed the device's limits",
                                      d->push[0]);
    dev->fn.vkCmdDispatch(cmd, gx, (uint32_t)gy, 1);
    barrier(dev, cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT);
  }
  for (int32_t k = vp->num_in; k < vp->num_in + vp->num_out; k++) {
    const VkBufferCopy c = {vp->io[k].device_offset, vp->io[k].staging_offset, vp->io[k].bytes};
    dev->fn.vkCmdCopyBuffer(cmd, vp->tensors.buffer, vp->staging.buffer, 1, &c);
  }
  barrier(dev, cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
          VK_ACCESS_HOST_READ_BIT);
  VkResult r = dev->fn.vkEndCommandBuffer(cmd);
  return r == VK_SUCCESS ? MOTE_OK : mote_vk_fail(r, "vkEndCommandBuffer");
}

static mote_status build(mote_vk_device* dev, mote_context* ctx, mote_node* nodes, mote_partition* part,
                         vk_partition* vp, mote_vk_encoder* e) {
  MOTE_TRY(encode_nodes(e, ctx, nodes, part));
  VkDeviceSize staging_size = 0;
  MOTE_TRY(plan_io(e, part, vp, &staging_size));
  MOTE_TRY(mote_vk_buffer_create(dev, e->tensors_size, false, &vp->tensors));
  MOTE_TRY(mote_vk_buffer_create(dev, e->consts_size ? e->consts_size : 4, false, &vp->constants));
  MOTE_TRY(mote_vk_buffer_create(dev, staging_size, true, &vp->staging));
  const VkCommandPoolCreateInfo cp = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                      .queueFamilyIndex = dev->queue_family};
  VkResult r = dev->fn.vkCreateCommandPool(dev->device, &cp, NULL, &vp->cmd_pool);
  if (r != VK_SUCCESS) return mote_vk_fail(r, "vkCreateCommandPool");
  const VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  r = dev->fn.vkCreateFence(dev->device, &fi, NULL, &vp->fence);
  if (r != VK_SUCCESS) return mote_vk_fail(r, "vkCreateFence");
  MOTE_TRY(upload_constants(dev, vp, e));
  VkDescriptorSet* sets = malloc((e->num_dispatches + 1) * sizeof *sets);
  if (!sets) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
  mote_status s = write_descriptors(dev, vp, e, sets);
  if (s == MOTE_OK) s = record(dev, vp, e, sets);
  free(sets);
  return s;
}

mote_status mote_vk_partition_prepare(mote_vk_device* dev, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  vk_partition* vp = calloc(1, sizeof *vp);
  mote_vk_encoder e = {.ctx = ctx, .offset = calloc((size_t)ctx->num_tensors + 1, sizeof(VkDeviceSize))};
  if (!vp || !e.offset) {
    free(vp);
    encoder_free(&e);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory preparing a Vulkan partition");
  }
  e.fp16 = vp->fp16 = dev->fp16;
  e.align = dev->props.limits.minStorageBufferOffsetAlignment;
  if (e.align < 16) e.align = 16;
  part->state = vp;
  mote_status s = build(dev, ctx, nodes, part, vp, &e);
  encoder_free(&e);
  return s;  // on failure the partitioner frees what was built (free_partition)
}

mote_status mote_vk_partition_invoke(mote_vk_device* dev, mote_context* ctx, mote_partition* part) {
  vk_partition* vp = part->state;
  uint8_t* staging = vp->staging.mapped;
  for (int32_t k = 0; k < vp->num_in; k++) {
    const mote_tensor* t = &ctx->tensors[vp->io[k].tensor];
    if (vp->fp16) mote_f32_to_f16_array(t->data, (uint16_t*)(staging + vp->io[k].staging_offset), t->num_elements);
    else memcpy(staging + vp->io[k].staging_offset, t->data, (size_t)vp->io[k].bytes);
  }
  MOTE_TRY(mote_vk_submit_wait(dev, vp->cmd, vp->fence));
  for (int32_t k = vp->num_in; k < vp->num_in + vp->num_out; k++) {
    const mote_tensor* t = &ctx->tensors[vp->io[k].tensor];
    if (vp->fp16) mote_f16_to_f32_array((const uint16_t*)(staging + vp->io[k].staging_offset), t->data, t->num_elements);
    else memcpy(t->data, staging + vp->io[k].staging_offset, (size_t)vp->io[k].bytes);
  }
  return MOTE_OK;
}

void mote_vk_partition_free(mote_vk_device* dev, mote_partition* part) {
  vk_partition* vp = part->state;
  if (!vp) return;
  if (vp->fence) dev->fn.vkDestroyFence(dev->device, vp->fence, NULL);
  if (vp->cmd_pool) dev->fn.vkDestroyCommandPool(dev->device, vp->cmd_pool, NULL);  // frees its command buffers
  if (vp->pool) dev->fn.vkDestroyDescriptorPool(dev->device, vp->pool, NULL);
  mote_vk_buffer_destroy(dev, &vp->staging);
  mote_vk_buffer_destroy(dev, &vp->constants);
  mote_vk_buffer_destroy(dev, &vp->tensors);
  free(vp->io);
  free(vp);
  part->state = NULL;
}
