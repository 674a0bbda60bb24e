// Minimal test helpers: CHECK counts, a summary line, model files from tests/models.
#ifndef MOTE_TEST_UTIL_H
#define MOTE_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"

static int g_passed, g_failed;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      g_passed++;                                                            \
    } else {                                                                 \
      g_failed++;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

// a failing call must say why
#define CHECK_FAILS(expr, status)                                                               \
  do {                                                                                          \
    mote_status st_ = (expr);                                                                   \
    CHECK(st_ == (status));                                                                     \
    CHECK(mote_last_error()[0] != '\0');                                                        \
    if (st_ != (status))                                                                        \
      fprintf(stderr, "  got %s: %s\n", mote_status_name(st_), mote_last_error());              \
  } while (0)

#define CHECK_OK(expr)                                                                          \
  do {                                                                                          \
    mote_status st_ = (expr);                                                                   \
    CHECK(st_ == MOTE_OK);                                                                      \
    if (st_ != MOTE_OK) fprintf(stderr, "  %s: %s\n", mote_status_name(st_), mote_last_error()); \
  } while (0)

static inline int test_summary(void) {
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed ? 1 : 0;
}

static inline char* model_path(const char* name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", MOTE_TEST_MODELS_DIR, name);
  return path;
}

// whole file into malloc'd memory (exits on failure: the test cannot go on)
static inline unsigned char* read_model(const char* name, size_t* size) {
  FILE* f = fopen(model_path(name), "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", model_path(name));
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *size = (size_t)n;
  return buf;
}

static inline mote_model* load_model(const char* name) {
  mote_model* m = NULL;
  if (mote_model_load_file(model_path(name), &m) != MOTE_OK) {
    fprintf(stderr, "cannot load %s: %s\n", name, mote_last_error());
    exit(2);
  }
  return m;
}

#endif  // MOTE_TEST_UTIL_H
