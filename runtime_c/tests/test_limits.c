// Resource limits: max_model_bytes at load (file and buffer), max_arena_bytes at create.
#include "test_util.h"

static unsigned char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* buf = malloc(n > 0 ? (size_t)n : 1);
  *size = buf ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  return buf;
}

// regression (libFuzzer): a RESIZE with an empty output whose H is 1224736772 sized its
// tables by H + W and asked calloc for ~20 GB; now it needs no tables at all
static void test_resize_empty_huge(void) {
  mote_model* m = NULL;
  mote_status s = mote_model_load_file(model_path("fuzz_resize_empty_huge.mote"), &m);
  if (s != MOTE_OK) {  // refusing the file is fine too, as long as it says why
    CHECK(mote_last_error()[0] != '\0');
    return;
  }
  mote_options o = mote_options_default();
  o.max_arena_bytes = 64u << 20;
  mote_interpreter* it = NULL;
  s = mote_interpreter_create(m, &o, &it);
  // RESIZE prepares without asking for memory; the model's next op (a RESHAPE of 0 elements
  // into 24) is what refuses it
  CHECK(s == MOTE_ERROR_INVALID_MODEL && strstr(mote_last_error(), "RESHAPE (node 'y')"));
  mote_interpreter_free(it);
  mote_model_free(m);
}

int main(void) {
  test_resize_empty_huge();
  const char* path = MOTE_TEST_MODELS_DIR "/resize_conv.mote";
  size_t size = 0;
  unsigned char* bytes = read_file(path, &size);
  CHECK(bytes && size > 0);
  if (!bytes) return test_summary();

  mote_load_options lo = mote_load_options_default();
  CHECK(lo.max_model_bytes == 0);
  mote_model* m = NULL;
  lo.max_model_bytes = size - 1;
  CHECK_FAILS(mote_model_load_buffer_ex(bytes, size, &lo, &m), MOTE_ERROR_INVALID_MODEL);
  CHECK(m == NULL && strstr(mote_last_error(), "over max_model_bytes"));
  CHECK_FAILS(mote_model_load_file_ex(path, &lo, &m), MOTE_ERROR_INVALID_MODEL);
  CHECK(m == NULL && strstr(mote_last_error(), "over max_model_bytes"));
  lo.max_model_bytes = size;  // exactly at the cap loads
  CHECK_OK(mote_model_load_file_ex(path, &lo, &m));
  mote_model_free(m);
  m = NULL;
  CHECK_OK(mote_model_load_buffer_ex(bytes, size, NULL, &m));
  free(bytes);
  if (!m) return test_summary();

  size_t arena = mote_model_arena_size(m);
  CHECK(arena > 0);
  mote_options o = mote_options_default();
  CHECK(o.max_arena_bytes == 0);
  mote_interpreter* it = NULL;
  o.max_arena_bytes = arena - 1;
  CHECK_FAILS(mote_interpreter_create(m, &o, &it), MOTE_ERROR_OUT_OF_MEMORY);
  CHECK(it == NULL && strstr(mote_last_error(), "over max_arena_bytes"));
  o.max_arena_bytes = arena;
  CHECK_OK(mote_interpreter_create(m, &o, &it));
  // growing the input past the cap is refused by resize, and the interpreter still runs
  if (it) {
    mote_tensor_info info;
    CHECK_OK(mote_interpreter_input_info(it, 0, &info));
    int32_t shape[8];
    for (int32_t d = 0; d < info.rank; d++) shape[d] = info.shape[d] * (d == 1 || d == 2 ? 4 : 1);
    CHECK_FAILS(mote_interpreter_resize_input(it, 0, shape, info.rank), MOTE_ERROR_OUT_OF_MEMORY);
    CHECK(strstr(mote_last_error(), "over max_arena_bytes") != NULL);
    CHECK_OK(mote_interpreter_invoke(it));
    // 2^40 elements: refused from the shape alone, before any plan or allocation
    int32_t huge[8] = {1, 1 << 20, 1 << 20, info.rank > 3 ? info.shape[3] : 1};
    CHECK_FAILS(mote_interpreter_resize_input(it, 0, huge, info.rank), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(strstr(mote_last_error(), "too many elements") != NULL);
    CHECK_OK(mote_interpreter_invoke(it));
    mote_interpreter_free(it);
  }
  mote_model_free(m);

  // a file claiming a 2^40-element tensor (and an arena to hold it) is refused at load
  CHECK_FAILS(mote_model_load_file(MOTE_TEST_MODELS_DIR "/invalid_huge_tensor.mote", &m), MOTE_ERROR_INVALID_MODEL);
  // (a 32-bit build refuses its arena size first: also before any allocation)
  CHECK(strstr(mote_last_error(), "1099511627776 elements") != NULL ||
        (sizeof(size_t) < 8 && strstr(mote_last_error(), "too large") != NULL));
  return test_summary();
}
