// Defaults of the Vulkan delegate's options (built with or without Vulkan support).
#include "mote/mote.h"

mote_vulkan_options mote_vulkan_options_default(void) {
  return (mote_vulkan_options){.allow_cpu_device = 0, .device_index = -1, .min_ops = 1, .max_partitions = 8, .fp16 = 0,
                               .library_path = 0, .pipeline_cache_path = 0};
}
