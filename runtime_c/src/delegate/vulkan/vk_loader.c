// Run-time loading of libvulkan (see vk_loader.h).
#include "delegate/vulkan/vk_loader.h"

#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/types.h"

#if defined(_WIN32)
#include <windows.h>
static void* open_lib(const char* name) { return (void*)LoadLibraryA(name); }
static const char* lib_error(void) { return "LoadLibrary failed"; }
static void* lib_sym(void* lib, const char* name) { return (void*)GetProcAddress((HMODULE)lib, name); }
static void close_lib(void* lib) { FreeLibrary((HMODULE)lib); }
static const char* const k_default_names[] = {"vulkan-1.dll", NULL};
#else
#include <dlfcn.h>
static void* open_lib(const char* name) { return dlopen(name, RTLD_NOW | RTLD_LOCAL); }
static const char* lib_error(void) {
  const char* e = dlerror();
  return e ? e : "unknown error";
}
static void* lib_sym(void* lib, const char* name) { return dlsym(lib, name); }
static void close_lib(void* lib) { dlclose(lib); }
#if defined(__APPLE__)
static const char* const k_default_names[] = {"libvulkan.1.dylib", "libMoltenVK.dylib", NULL};
#else
static const char* const k_default_names[] = {"libvulkan.so.1", "libvulkan.so", NULL};
#endif
#endif

mote_status mote_vk_load(mote_vk_fns* f, const char* path) {
  memset(f, 0, sizeof *f);
  const char* tried = path ? path : k_default_names[0];
  char why[256] = "";
  if (path) {
    f->library = open_lib(path);
    if (!f->library) snprintf(why, sizeof why, "%s", lib_error());
  } else {
    for (int i = 0; k_default_names[i] && !f->library; i++) {
      f->library = open_lib(k_default_names[i]);
      if (f->library) tried = k_default_names[i];
      else if (i == 0) snprintf(why, sizeof why, "%s", lib_error());  // the usual name's reason
    }
  }
  if (!f->library)
    return mote_error(MOTE_ERROR_UNSUPPORTED, "Vulkan is not available: could not load %s: %s%s", tried, why,
                      path ? "" : " (install the Vulkan loader and a driver, e.g. Debian's libvulkan1 and "
                                  "mesa-vulkan-drivers)");
  void* sym = lib_sym(f->library, "vkGetInstanceProcAddr");
  memcpy(&f->vkGetInstanceProcAddr, &sym, sizeof sym);
  if (!f->vkGetInstanceProcAddr) {
    mote_vk_unload(f);
    return mote_error(MOTE_ERROR_UNSUPPORTED, "%s has no vkGetInstanceProcAddr: not a Vulkan loader", tried);
  }
#define LOAD_GLOBAL(name) f->name = (PFN_##name)f->vkGetInstanceProcAddr(NULL, #name);
  MOTE_VK_GLOBAL_FNS(LOAD_GLOBAL)
#undef LOAD_GLOBAL
  if (!f->vkCreateInstance) {
    mote_vk_unload(f);
    return mote_error(MOTE_ERROR_UNSUPPORTED, "%s does not provide vkCreateInstance", tried);
  }
  return MOTE_OK;
}

mote_status mote_vk_load_instance(mote_vk_fns* f, VkInstance instance) {
#define LOAD_INSTANCE(name)                                                                 \
  f->name = (PFN_##name)f->vkGetInstanceProcAddr(instance, #name);                          \
  if (!f->name) return mote_error(MOTE_ERROR_UNSUPPORTED, "Vulkan entry point %s missing", #name);
  MOTE_VK_INSTANCE_FNS(LOAD_INSTANCE)
#undef LOAD_INSTANCE
  f->vkGetPhysicalDeviceFeatures2 =
      (PFN_vkGetPhysicalDeviceFeatures2)f->vkGetInstanceProcAddr(instance, "vkGetPhysicalDeviceFeatures2");
  return MOTE_OK;
}

mote_status mote_vk_load_device(mote_vk_fns* f, VkDevice device) {
#define LOAD_DEVICE(name)                                                                   \
  f->name = (PFN_##name)f->vkGetDeviceProcAddr(device, #name);                              \
  if (!f->name) return mote_error(MOTE_ERROR_UNSUPPORTED, "Vulkan entry point %s missing", #name);
  MOTE_VK_DEVICE_FNS(LOAD_DEVICE)
#undef LOAD_DEVICE
  return MOTE_OK;
}

void mote_vk_unload(mote_vk_fns* f) {
  if (f->library) close_lib(f->library);
  memset(f, 0, sizeof *f);
}

const char* mote_vk_result_name(VkResult r) {
  switch (r) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_NOT_READY: return "VK_NOT_READY";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    default: return "VkResult error";
  }
}
