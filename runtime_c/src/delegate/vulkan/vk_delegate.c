// The Vulkan delegate: mote_vulkan_delegate_create and the delegate vtable.
#include <stdio.h>
#include <stdlib.h>

#include "core/delegate.h"
#include "core/internal.h"
#include "delegate/vulkan/vk_device.h"
#include "delegate/vulkan/vk_ops.h"
#include "delegate/vulkan/vk_partition.h"

typedef struct {
  mote_delegate base;  // first: the public handle points here
  mote_vk_device dev;
} vk_delegate;

static mote_vk_device* device_of(mote_delegate* d) { return &((vk_delegate*)d)->dev; }

static bool vk_supports(mote_delegate* d, mote_context* ctx, const mote_node* node) {
  return mote_vk_op_supported(device_of(d), ctx, node);
}

static mote_status vk_prepare(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  return mote_vk_partition_prepare(device_of(d), ctx, nodes, part);
}

static mote_status vk_invoke(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part) {
  (void)nodes;
  return mote_vk_partition_invoke(device_of(d), ctx, part);
}

static void vk_free_partition(mote_delegate* d, mote_partition* part) { mote_vk_partition_free(device_of(d), part); }

static void vk_destroy(mote_delegate* d) {
  mote_vk_device_destroy(device_of(d));
  free(d);
}

mote_status mote_vulkan_delegate_create(const mote_vulkan_options* options, mote_delegate** out) {
  if (out) *out = NULL;
  if (!out) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_vulkan_delegate_create: NULL out_delegate");
  const mote_vulkan_options o = options ? *options : mote_vulkan_options_default();
  if (o.min_ops < 0 || o.max_partitions < 0)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "vulkan: min_ops %d and max_partitions %d must be >= 0",
                      o.min_ops, o.max_partitions);
  vk_delegate* vd = calloc(1, sizeof *vd);
  if (!vd) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory creating the Vulkan delegate");
  mote_status s = mote_vk_device_create(&o, &vd->dev);
  if (s != MOTE_OK) {
    free(vd);
    return s;
  }
  vd->base = (mote_delegate){.name = "vulkan", .device = vd->dev.description, .impl = vd,
                             .supports_op = vk_supports, .prepare = vk_prepare, .invoke = vk_invoke,
                             .free_partition = vk_free_partition, .destroy = vk_destroy, .min_ops = o.min_ops,
                             .max_partitions = o.max_partitions};
  *out = &vd->base;
  return MOTE_OK;
}
