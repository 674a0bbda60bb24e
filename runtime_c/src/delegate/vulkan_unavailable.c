// Built when the Vulkan headers were not found at build time (CMake MOTE_VULKAN=OFF or no
// vulkan/vulkan_core.h): the delegate cannot be created and says why.
#include "core/types.h"

mote_status mote_vulkan_delegate_create(const mote_vulkan_options* options, mote_delegate** out) {
  (void)options;
  if (out) *out = 0;
  return mote_error(MOTE_ERROR_UNSUPPORTED,
                    "this libmote was built without the Vulkan delegate (rebuild with the Vulkan headers, e.g. "
                    "Debian's libvulkan-dev, and -DMOTE_VULKAN=ON)");
}
