// The public Vulkan delegate calls when Vulkan cannot be used: clear UNSUPPORTED errors, no
// crash, nothing to free; the same binary passes with or without the delegate compiled in.
// (Running models on a Vulkan device is tested from Python: tests/vulkan.)
#include "test_util.h"

static void test_options_default(void) {
  mote_vulkan_options o = mote_vulkan_options_default();
  CHECK(o.allow_cpu_device == 0 && o.device_index == -1 && o.min_ops == 1 && o.max_partitions == 8);
  CHECK(o.library_path == NULL && o.pipeline_cache_path == NULL);
}

static void test_missing_library(void) {
  mote_vulkan_options o = mote_vulkan_options_default();
  o.library_path = "/nonexistent/dir/libvulkan.so.1";
  mote_delegate* d = (mote_delegate*)&o;  // must be reset to NULL on failure
  CHECK_FAILS(mote_vulkan_delegate_create(&o, &d), MOTE_ERROR_UNSUPPORTED);
  CHECK(d == NULL);
  // either this build has no delegate, or it names the library it could not load
  CHECK(strstr(mote_last_error(), "without the Vulkan delegate") != NULL ||
        strstr(mote_last_error(), "/nonexistent/dir/libvulkan.so.1") != NULL);
}

static void test_bad_arguments(void) {
  CHECK(mote_vulkan_delegate_create(NULL, NULL) != MOTE_OK);
  mote_delegate_free(NULL);
  CHECK(strcmp(mote_delegate_name(NULL), "") == 0 && strcmp(mote_delegate_device(NULL), "") == 0);
  CHECK_FAILS(mote_interpreter_apply_delegate(NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strcmp(mote_interpreter_delegate_report(NULL), "") == 0);
}

int main(void) {
  test_options_default();
  test_missing_library();
  test_bad_arguments();
  return test_summary();
}
