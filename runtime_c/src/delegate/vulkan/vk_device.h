// The Vulkan delegate's device: instance, the chosen physical device, one compute queue,
// the shared pipeline layout (one set of 4 storage buffers + 128 bytes of push constants),
// and the compute pipelines, created on first use and cached (in memory, optionally on disk).
#ifndef MOTE_DELEGATE_VULKAN_VK_DEVICE_H
#define MOTE_DELEGATE_VULKAN_VK_DEVICE_H

#include <pthread.h>
#include <stdbool.h>

#include "delegate/vulkan/vk_loader.h"
#include "delegate/vulkan/vk_spirv.h"

#define MOTE_VK_BINDINGS 4
#define MOTE_VK_PUSH_BYTES 128
#define MOTE_VK_LOCAL_SIZE 64

typedef struct mote_vk_device {
  mote_vk_fns fn;
  VkInstance instance;
  VkPhysicalDevice physical;
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties mem;
  VkDevice device;
  VkQueue queue;
  uint32_t queue_family;
  pthread_mutex_t lock;  // queue submissions and pipeline creation
  VkDescriptorSetLayout set_layout;
  VkPipelineLayout layout;
  VkPipelineCache cache;
  VkPipeline pipelines[MOTE_VK_SHADER_COUNT];
  uint32_t instance_version;  // VK_API_VERSION_1_0 or 1_1
  bool fp16;                  // tensors stored as float16 (option asked and device supports it)
  char* cache_path;
  char description[320];  // "NVIDIA H100 (discrete gpu)"
} mote_vk_device;

typedef struct mote_vk_buffer {
  VkBuffer buffer;
  VkDeviceMemory memory;
  VkDeviceSize size;
  void* mapped;  // host-visible buffers only
} mote_vk_buffer;

mote_status mote_vk_device_create(const mote_vulkan_options* o, mote_vk_device* dev);
void mote_vk_device_destroy(mote_vk_device* dev);

// the compute pipeline of `shader` (created on first use; thread safe)
mote_status mote_vk_pipeline(mote_vk_device* dev, mote_vk_shader shader, VkPipeline* out);

// host_visible: mapped, coherent (staging); otherwise device-local where the device has it
mote_status mote_vk_buffer_create(mote_vk_device* dev, VkDeviceSize size, bool host_visible, mote_vk_buffer* b);
void mote_vk_buffer_destroy(mote_vk_device* dev, mote_vk_buffer* b);

// submit one command buffer and wait for `fence` (reset first)
mote_status mote_vk_submit_wait(mote_vk_device* dev, VkCommandBuffer cmd, VkFence fence);

// a VkResult failure as a mote error naming the call
mote_status mote_vk_fail(VkResult r, const char* what);

#endif  // MOTE_DELEGATE_VULKAN_VK_DEVICE_H
