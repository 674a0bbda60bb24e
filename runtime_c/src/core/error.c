// Per-thread error messages and the small public helpers that need no model.
#include <stdarg.h>
#include <stdio.h>

#include "core/internal.h"
#include "core/ops.h"
#include "core/types.h"

#ifndef MOTE_VERSION_STRING
#define MOTE_VERSION_STRING "0.0.0"
#endif

// one buffer per thread: a message stays valid until that thread's next failure
static _Thread_local char g_error[1024];

static void set_error(const char* prefix, const char* fmt, va_list ap) {
  int n = 0;
  if (prefix) {
    n = snprintf(g_error, sizeof g_error, "%s", prefix);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof g_error) n = (int)sizeof g_error - 1;
  }
  vsnprintf(g_error + n, sizeof g_error - (size_t)n, fmt, ap);
}

mote_status mote_error(mote_status status, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_error(NULL, fmt, ap);
  va_end(ap);
  return status;
}

mote_status mote_node_error(const mote_node* node, mote_status status, const char* fmt, ...) {
  char prefix[256];
  const char* op = node ? mote_op_name(node->opcode) : NULL;
  const char* name = node && node->name ? node->name : "";
  snprintf(prefix, sizeof prefix, "%s (node '%s'): ", op ? op : "?", name);
  va_list ap;
  va_start(ap, fmt);
  set_error(prefix, fmt, ap);
  va_end(ap);
  return status;
}

// internal: forget the last message, so a callee that fails silently is noticed
void mote_clear_error(void) { g_error[0] = '\0'; }

const char* mote_last_error(void) { return g_error; }

const char* mote_version(void) { return MOTE_VERSION_STRING; }

const char* mote_status_name(mote_status status) {
  switch (status) {
    case MOTE_OK: return "MOTE_OK";
    case MOTE_ERROR_INVALID_ARGUMENT: return "MOTE_ERROR_INVALID_ARGUMENT";
    case MOTE_ERROR_INVALID_MODEL: return "MOTE_ERROR_INVALID_MODEL";
    case MOTE_ERROR_UNSUPPORTED: return "MOTE_ERROR_UNSUPPORTED";
    case MOTE_ERROR_OUT_OF_MEMORY: return "MOTE_ERROR_OUT_OF_MEMORY";
    case MOTE_ERROR_IO: return "MOTE_ERROR_IO";
    case MOTE_ERROR_RUNTIME: return "MOTE_ERROR_RUNTIME";
    case MOTE_ERROR_BUSY: return "MOTE_ERROR_BUSY";
  }
  return "MOTE_ERROR_UNKNOWN";
}

size_t mote_dtype_size(mote_dtype dtype) {
  switch (dtype) {
    case MOTE_FLOAT32: return 4;
    case MOTE_FLOAT16: return 2;
    case MOTE_INT8: return 1;
    case MOTE_UINT8: return 1;
    case MOTE_INT16: return 2;
    case MOTE_INT32: return 4;
    case MOTE_INT64: return 8;
    case MOTE_BOOL: return 1;
  }
  return 0;
}

mote_options mote_options_default(void) {
  mote_options o;
  o.num_threads = 1;
  o.max_arena_bytes = 0;
  return o;
}

mote_load_options mote_load_options_default(void) {
  mote_load_options o;
  o.max_model_bytes = 0;
  return o;
}
