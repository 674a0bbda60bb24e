// Loader tests: valid models load, each invalid model fails with its own message,
// and no truncation or single-byte corruption of a valid model crashes load,
// create or invoke (run this under MOTE_SANITIZE too).
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/model.h"
#include "test_util.h"

static const char* k_valid[] = {"add.mote", "fc_relu.mote", "chain3.mote", "reshape_i8.mote"};

typedef struct {
  const char* file;
  mote_status status;
  const char* fragment;
} invalid_case;

static const invalid_case k_invalid[] = {
#include "models/invalid_cases.inc"
};

static void test_valid(void) {
  struct {
    const char* file;
    int32_t ops, tensors;
    size_t arena;
  } want[] = {{"add.mote", 1, 3, 192}, {"fc_relu.mote", 2, 5, 128}, {"chain3.mote", 3, 6, 192},
              {"reshape_i8.mote", 1, 2, 128}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    mote_model* m = load_model(want[i].file);
    CHECK(mote_model_operator_count(m) == want[i].ops);
    CHECK(mote_model_tensor_count(m) == want[i].tensors);
    CHECK(mote_model_arena_size(m) == want[i].arena);
    const char* v = mote_model_metadata(m, "converter_version");
    CHECK(v && strcmp(v, "test-0.1") == 0);
    CHECK(mote_model_metadata(m, "no_such_key") == NULL);
    // constant data is used in place: inside the file and 64-byte aligned in memory
    for (int32_t t = 0; t < m->num_tensors; t++) {
      const mote_tensor* x = &m->tensors[t];
      if (!x->is_constant) continue;
      CHECK((uintptr_t)x->data % 64 == 0);
      CHECK((const uint8_t*)x->data >= m->bytes && (const uint8_t*)x->data + x->bytes <= m->bytes + m->size);
    }
    mote_model_free(m);

    size_t size;
    unsigned char* bytes = read_model(want[i].file, &size);
    CHECK_OK(mote_model_load_buffer(bytes, size, &m));
    memset(bytes, 0, size);  // the model owns a copy
    CHECK(mote_model_operator_count(m) == want[i].ops);
    free(bytes);
    mote_model_free(m);
  }
}

static void test_parsed_details(void) {
  mote_model* m = load_model("chain3.mote");
  const mote_tensor* q = &m->tensors[5];
  CHECK(strcmp(q->name, "q") == 0);
  CHECK(q->dtype == MOTE_INT8 && q->rank == 2 && q->dims[0] == 2 && q->dims[1] == 3);
  CHECK(q->quant_count == 2 && q->quant_axis == 0);
  CHECK(q->quant_scales[0] == 0.5f && q->quant_scales[1] == 0.25f);
  CHECK(q->quant_zero_points[0] == 1 && q->quant_zero_points[1] == -2);
  CHECK(((const int8_t*)q->data)[3] == -4);
  const float* c = m->tensors[2].data;
  CHECK(c[3] == 1.5f);
  CHECK(m->arena_offsets[3] == 0 && m->arena_offsets[1] == 64);
  CHECK(m->nodes[1].opcode == 2 && strcmp(m->nodes[1].name, "mul") == 0);
  CHECK(m->nodes[1].options->type == MOTE_OPTIONS_BINARY);
  CHECK(m->nodes[0].options->type == MOTE_OPTIONS_NONE);
  mote_model_free(m);
}

static void test_invalid(void) {
  for (size_t i = 0; i < sizeof k_invalid / sizeof k_invalid[0]; i++) {
    mote_model* m = (mote_model*)1;
    mote_status s = mote_model_load_file(model_path(k_invalid[i].file), &m);
    CHECK(s == k_invalid[i].status);
    CHECK(m == NULL);
    const char* msg = mote_last_error();
    // a 32-bit build refuses the huge tensor's arena size before its element count
    const bool found = strstr(msg, k_invalid[i].fragment) != NULL ||
                       (sizeof(size_t) < 8 && !strcmp(k_invalid[i].file, "invalid_huge_tensor.mote") &&
                        strstr(msg, "too large") != NULL);
    CHECK(found);
    if (s != k_invalid[i].status || !found)
      fprintf(stderr, "  %s: got %s '%s', want %s '%s'\n", k_invalid[i].file, mote_status_name(s), msg,
              mote_status_name(k_invalid[i].status), k_invalid[i].fragment);
  }
}

static void test_files(void) {
  mote_model* m;
  CHECK_FAILS(mote_model_load_file(model_path("does_not_exist.mote"), &m), MOTE_ERROR_IO);
  CHECK(strstr(mote_last_error(), "does_not_exist.mote") != NULL);
  CHECK_FAILS(mote_model_load_file(MOTE_TEST_MODELS_DIR, &m), MOTE_ERROR_IO);
  char path[] = "/tmp/mote_test_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK_FAILS(mote_model_load_file(path, &m), MOTE_ERROR_INVALID_MODEL);  // empty
  CHECK(write(fd, "MOTE", 4) == 4);
  CHECK_FAILS(mote_model_load_file(path, &m), MOTE_ERROR_INVALID_MODEL);  // too small
  close(fd);
  unlink(path);

  size_t size;
  unsigned char* bytes = read_model("add.mote", &size);
  bytes[5] = 'X';
  CHECK_FAILS(mote_model_load_buffer(bytes, size, &m), MOTE_ERROR_INVALID_MODEL);
  CHECK(strstr(mote_last_error(), "identifier") != NULL);
  CHECK_FAILS(mote_model_load_buffer(bytes, 0, &m), MOTE_ERROR_INVALID_MODEL);
  free(bytes);
}

// a corrupted file either fails with a message, or loads; what loads must run
static int g_loaded_after_corruption;

static void try_bytes(const unsigned char* bytes, size_t size) {
  // parse in place first: `bytes` is an exact-size heap block, so under ASan any
  // read past the end is caught (load_buffer's copy is rounded up to 64 bytes)
  mote_model in_place = {.bytes = bytes, .size = size};
  mote_status s = mote_model_parse(&in_place);
  if (s != MOTE_OK && mote_last_error()[0] == '\0') CHECK(!"failed parse without message");
  mote_model_release(&in_place);

  mote_model* m = NULL;
  s = mote_model_load_buffer(bytes, size, &m);
  if (s != MOTE_OK) {
    if (mote_last_error()[0] == '\0' || m != NULL) {
      CHECK(!"failed load without message or with a model");
    }
    return;
  }
  g_loaded_after_corruption++;
  mote_interpreter* it = NULL;
  s = mote_interpreter_create(m, NULL, &it);
  if (s == MOTE_OK) {
    for (int32_t i = 0; i < mote_interpreter_input_count(it); i++) {
      mote_tensor_info info;
      if (mote_interpreter_input_info(it, i, &info) == MOTE_OK)
        memset(mote_interpreter_input_data(it, i), 0x3f, info.byte_size);
    }
    s = mote_interpreter_invoke(it);
    if (s != MOTE_OK && mote_last_error()[0] == '\0') CHECK(!"failed invoke without message");
    mote_interpreter_free(it);
  } else if (mote_last_error()[0] == '\0') {
    CHECK(!"failed create without message");
  }
  mote_model_free(m);
}

static void test_corruption(void) {
  for (size_t f = 0; f < sizeof k_valid / sizeof k_valid[0]; f++) {
    size_t size;
    unsigned char* orig = read_model(k_valid[f], &size);
    int before = g_failed;
    for (size_t n = 0; n < size; n++) {
      // an exact-size heap copy, so ASan sees any read past the end
      unsigned char* cut = malloc(n ? n : 1);
      memcpy(cut, orig, n);
      try_bytes(cut, n);
      free(cut);
    }
    unsigned char* bytes = malloc(size);
    static const int k_mut[][2] = {{0, 0x01}, {0, 0x80}, {0, 0xff}, {1, 0x00}, {1, 0xff}, {1, 0x7f}};
    for (size_t i = 0; i < size; i++) {
      for (size_t k = 0; k < sizeof k_mut / sizeof k_mut[0]; k++) {
        memcpy(bytes, orig, size);
        bytes[i] = k_mut[k][0] ? (unsigned char)k_mut[k][1] : (unsigned char)(bytes[i] ^ k_mut[k][1]);
        try_bytes(bytes, size);
      }
    }
    CHECK(g_failed == before);
    free(bytes);
    free(orig);
  }
  printf("corruption: %d corrupted files still loaded (and ran)\n", g_loaded_after_corruption);
}

int main(void) {
  test_valid();
  test_parsed_details();
  test_invalid();
  test_files();
  test_corruption();
  return test_summary();
}
