// Loading a model (mmap or an owned aligned copy) and the model's public queries.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/model.h"

static void release_bytes(mote_model* m) {
  if (!m->bytes) return;
  if (m->mapped) munmap((void*)m->bytes, m->size);
  else mote_aligned_free((void*)m->bytes);
  m->bytes = NULL;
}

void mote_model_free(mote_model* m) {
  if (!m) return;
  mote_model_release(m);
  release_bytes(m);
  free(m);
}

// takes ownership of m (and its bytes) either way
static mote_status finish_load(mote_model* m, mote_model** out) {
  mote_status s = mote_model_parse(m);
  if (s != MOTE_OK) {
    mote_model_free(m);
    return s;
  }
  *out = m;
  return MOTE_OK;
}

static mote_status over_cap(const char* what, size_t size, const mote_load_options* o) {
  if (o && o->max_model_bytes && size > o->max_model_bytes)
    return mote_error(MOTE_ERROR_INVALID_MODEL, "%s is %zu bytes, over max_model_bytes %zu", what, size,
                      o->max_model_bytes);
  return MOTE_OK;
}

mote_status mote_model_load_buffer(const void* data, size_t size, mote_model** out_model) {
  return mote_model_load_buffer_ex(data, size, NULL, out_model);
}

mote_status mote_model_load_buffer_ex(const void* data, size_t size, const mote_load_options* options,
                                      mote_model** out_model) {
  if (out_model) *out_model = NULL;
  if (!data || !out_model) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_model_load_buffer: NULL argument");
  mote_status cs = over_cap("the model buffer", size, options);
  if (cs != MOTE_OK) return cs;
  mote_model* m = calloc(1, sizeof *m);
  uint8_t* copy = mote_aligned_calloc(size);  // aligned so constant data is 64-aligned in memory too
  if (!m || !copy) {
    free(m);
    mote_aligned_free(copy);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory copying a %zu-byte model", size);
  }
  memcpy(copy, data, size);
  m->bytes = copy;
  m->size = size;
  return finish_load(m, out_model);
}

// read() fallback when mmap is unavailable (some filesystems, some sandboxes)
static mote_status read_all(int fd, const char* path, size_t size, uint8_t** out) {
  uint8_t* buf = mote_aligned_calloc(size);
  if (!buf) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory reading '%s' (%zu bytes)", path, size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      mote_aligned_free(buf);
      return mote_error(MOTE_ERROR_IO, "cannot read '%s': %s", path, n < 0 ? strerror(errno) : "file shrank");
    }
    got += (size_t)n;
  }
  *out = buf;
  return MOTE_OK;
}

mote_status mote_model_load_file(const char* path, mote_model** out_model) {
  return mote_model_load_file_ex(path, NULL, out_model);
}

mote_status mote_model_load_file_ex(const char* path, const mote_load_options* options, mote_model** out_model) {
  if (out_model) *out_model = NULL;
  if (!path || !out_model) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_model_load_file: NULL argument");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return mote_error(MOTE_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return mote_error(MOTE_ERROR_IO, "'%s' is not a regular file", path);
  }
  if (st.st_size < 8 || (unsigned long long)st.st_size > SIZE_MAX / 2) {
    close(fd);
    return mote_error(MOTE_ERROR_INVALID_MODEL, "'%s': file size %lld is not that of a model", path,
                      (long long)st.st_size);
  }
  size_t size = (size_t)st.st_size;
  if (options && options->max_model_bytes && size > options->max_model_bytes) {
    close(fd);
    return mote_error(MOTE_ERROR_INVALID_MODEL, "'%s' is %zu bytes, over max_model_bytes %zu", path, size,
                      options->max_model_bytes);
  }
  mote_model* m = calloc(1, sizeof *m);
  if (!m) {
    close(fd);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory loading '%s'", path);
  }
  void* map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map != MAP_FAILED) {
    m->bytes = map;
    m->mapped = true;
  } else {
    uint8_t* buf = NULL;
    mote_status s = read_all(fd, path, size, &buf);
    if (s != MOTE_OK) {
      close(fd);
      free(m);
      return s;
    }
    m->bytes = buf;
  }
  close(fd);
  m->size = size;
  return finish_load(m, out_model);
}

const char* mote_model_metadata(const mote_model* m, const char* key) {
  if (!m || !key) return NULL;
  for (int32_t i = 0; i < m->num_metadata; i++)
    if (strcmp(m->metadata_keys[i], key) == 0) return m->metadata_values[i];
  return NULL;
}

int32_t mote_model_metadata_count(const mote_model* m) { return m ? m->num_metadata : 0; }

mote_status mote_model_metadata_at(const mote_model* m, int32_t index, const char** key, const char** value) {
  if (!m || !key || !value) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "mote_model_metadata_at: NULL argument");
  if (index < 0 || index >= m->num_metadata)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "metadata index %d out of range [0, %d)", index, m->num_metadata);
  *key = m->metadata_keys[index];
  *value = m->metadata_values[index];
  return MOTE_OK;
}

int32_t mote_model_operator_count(const mote_model* m) { return m ? m->num_nodes : 0; }
int32_t mote_model_tensor_count(const mote_model* m) { return m ? m->num_tensors : 0; }
size_t mote_model_arena_size(const mote_model* m) { return m ? m->arena_size : 0; }
