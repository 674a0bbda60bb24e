// One partition on the Vulkan device: buffers, descriptor sets and a command buffer recorded
// once at prepare; invoke copies the boundary inputs in, submits, waits and copies outputs out.
#ifndef MOTE_DELEGATE_VULKAN_VK_PARTITION_H
#define MOTE_DELEGATE_VULKAN_VK_PARTITION_H

#include "core/delegate.h"
#include "delegate/vulkan/vk_device.h"

mote_status mote_vk_partition_prepare(mote_vk_device* dev, mote_context* ctx, mote_node* nodes, mote_partition* part);
mote_status mote_vk_partition_invoke(mote_vk_device* dev, mote_context* ctx, mote_partition* part);
void mote_vk_partition_free(mote_vk_device* dev, mote_partition* part);

#endif  // MOTE_DELEGATE_VULKAN_VK_PARTITION_H
