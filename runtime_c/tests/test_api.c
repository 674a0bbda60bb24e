// Public API tests, linked against the shared library (only exported symbols).
#include <math.h>
#include <pthread.h>
#include <stdint.h>

#include "test_util.h"

static void test_basics(void) {
  CHECK(strcmp(mote_version(), "0.1.0") == 0);
  CHECK(strcmp(mote_status_name(MOTE_ERROR_INVALID_MODEL), "MOTE_ERROR_INVALID_MODEL") == 0);
  CHECK(strcmp(mote_status_name(MOTE_OK), "MOTE_OK") == 0);
  CHECK(strcmp(mote_status_name((mote_status)99), "MOTE_ERROR_UNKNOWN") == 0);
  CHECK(mote_dtype_size(MOTE_FLOAT32) == 4 && mote_dtype_size(MOTE_INT64) == 8 && mote_dtype_size(MOTE_BOOL) == 1);
  CHECK(mote_dtype_size(MOTE_FLOAT16) == 2 && mote_dtype_size((mote_dtype)42) == 0);
  CHECK(mote_options_default().num_threads == 1);
}

static void test_null_args(void) {
  mote_model* m = (mote_model*)1;
  CHECK_FAILS(mote_model_load_file(NULL, &m), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(m == NULL);
  CHECK_FAILS(mote_model_load_file(model_path("add.mote"), NULL), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_model_load_buffer(NULL, 10, &m), MOTE_ERROR_INVALID_ARGUMENT);
  mote_interpreter* it = (mote_interpreter*)1;
  CHECK_FAILS(mote_interpreter_create(NULL, NULL, &it), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(it == NULL);
  CHECK_FAILS(mote_interpreter_invoke(NULL), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_set_input(NULL, 0, "x", 1), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_get_output(NULL, 0, NULL, 0), MOTE_ERROR_INVALID_ARGUMENT);
  mote_tensor_info info;
  CHECK_FAILS(mote_interpreter_input_info(NULL, 0, &info), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(mote_interpreter_input_count(NULL) == 0 && mote_interpreter_output_count(NULL) == 0);
  CHECK(mote_interpreter_input_index(NULL, "a") == -1);
  CHECK(mote_interpreter_input_data(NULL, 0) == NULL && mote_interpreter_output_data(NULL, 0) == NULL);
  CHECK(mote_model_metadata(NULL, "k") == NULL);
  CHECK(mote_model_operator_count(NULL) == 0 && mote_model_tensor_count(NULL) == 0);
  CHECK(mote_model_arena_size(NULL) == 0);
  mote_model_free(NULL);
  mote_interpreter_free(NULL);

  m = load_model("add.mote");
  CHECK_FAILS(mote_interpreter_create(m, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(mote_model_metadata(m, NULL) == NULL);
  // metadata enumeration: the entries are the ones the model was written with, in order
  const char *key = NULL, *value = NULL;
  CHECK(mote_model_metadata_count(NULL) == 0);
  CHECK(mote_model_metadata_count(m) == 2);
  CHECK_OK(mote_model_metadata_at(m, 0, &key, &value));
  CHECK(strcmp(key, "converter_version") == 0 && strcmp(value, "test-0.1") == 0);
  CHECK_OK(mote_model_metadata_at(m, 1, &key, &value));
  CHECK(strcmp(key, "source_format") == 0 && strcmp(value, "handmade") == 0);
  CHECK_FAILS(mote_model_metadata_at(m, 2, &key, &value), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_model_metadata_at(m, -1, &key, &value), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_model_metadata_at(m, 0, NULL, &value), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_model_metadata_at(NULL, 0, &key, &value), MOTE_ERROR_INVALID_ARGUMENT);
  mote_options o = {.num_threads = -1};
  CHECK_FAILS(mote_interpreter_create(m, &o, &it), MOTE_ERROR_INVALID_ARGUMENT);
  o.num_threads = 100000;
  CHECK_FAILS(mote_interpreter_create(m, &o, &it), MOTE_ERROR_INVALID_ARGUMENT);
  o.num_threads = 0;  // means 1
  CHECK_OK(mote_interpreter_create(m, &o, &it));
  CHECK(mote_interpreter_input_index(it, NULL) == -1);
  CHECK_FAILS(mote_interpreter_input_info(it, 0, NULL), MOTE_ERROR_INVALID_ARGUMENT);
  mote_interpreter_free(it);
  mote_model_free(m);
}

static void test_add(void) {
  mote_model* m = load_model("add.mote");
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  CHECK(mote_interpreter_input_count(it) == 2 && mote_interpreter_output_count(it) == 1);
  mote_tensor_info info;
  CHECK_OK(mote_interpreter_input_info(it, 1, &info));
  CHECK(strcmp(info.name, "b") == 0 && info.dtype == MOTE_FLOAT32 && info.rank == 2);
  CHECK(info.shape[0] == 2 && info.shape[1] == 3 && info.byte_size == 24 && info.quant_count == 0);
  CHECK_OK(mote_interpreter_output_info(it, 0, &info));
  CHECK(strcmp(info.name, "sum") == 0 && info.byte_size == 24);
  CHECK_FAILS(mote_interpreter_input_info(it, 2, &info), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "input index 2 out of range (2 inputs)") != NULL);
  CHECK_FAILS(mote_interpreter_input_info(it, -1, &info), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_output_info(it, 1, &info), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(mote_interpreter_input_index(it, "a") == 0 && mote_interpreter_input_index(it, "b") == 1);
  CHECK(mote_interpreter_input_index(it, "sum") == -1 && mote_interpreter_output_index(it, "sum") == 0);
  CHECK(mote_interpreter_input_data(it, 2) == NULL && mote_interpreter_output_data(it, -1) == NULL);

  float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {0.5f, -2, 10, -4, 0, 1e6f}, y[6];
  CHECK_FAILS(mote_interpreter_set_input(it, 0, a, 20), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(mote_last_error(), "input 0 ('a') holds 24 bytes, got 20") != NULL);
  CHECK_FAILS(mote_interpreter_set_input(it, 0, NULL, 24), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_FAILS(mote_interpreter_set_input(it, 5, a, 24), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_OK(mote_interpreter_set_input(it, 0, a, sizeof a));
  float* pb = mote_interpreter_input_data(it, 1);
  CHECK(pb != NULL && (uintptr_t)pb % 64 == 0);
  memcpy(pb, b, sizeof b);
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_FAILS(mote_interpreter_get_output(it, 0, y, 25), MOTE_ERROR_INVALID_ARGUMENT);
  CHECK_OK(mote_interpreter_get_output(it, 0, y, sizeof y));
  const float* py = mote_interpreter_output_data(it, 0);
  for (int i = 0; i < 6; i++) CHECK(y[i] == a[i] + b[i] && py[i] == y[i]);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// relu(W x + b) with the weights make_test_models.py writes
static void fc_relu_expected(const float* x, float* y) {
  static const float bias[3] = {0.5f, -0.25f, 0.0f};
  for (int o = 0; o < 3; o++) {
    double acc = bias[o];
    for (int i = 0; i < 4; i++) {
      int k = o * 4 + i;
      acc += (double)(float)(0.1 * (k + 1) * (k % 2 ? -1 : 1)) * x[i];
    }
    y[o] = acc > 0 ? (float)acc : 0.0f;
  }
}

static void test_fc_relu(int threads) {
  mote_model* m = load_model("fc_relu.mote");
  mote_options o = {.num_threads = threads};
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, &o, &it));
  float xs[3][4] = {{1, 2, 3, 4}, {-1, 0.5f, -2, 3}, {0, 0, 0, 0}};
  for (int r = 0; r < 3; r++) {
    float y[3], want[3];
    CHECK_OK(mote_interpreter_set_input(it, 0, xs[r], sizeof xs[r]));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_get_output(it, 0, y, sizeof y));
    fc_relu_expected(xs[r], want);
    for (int i = 0; i < 3; i++) CHECK(fabsf(y[i] - want[i]) <= 1e-5f);
  }
  mote_interpreter_free(it);
  mote_model_free(m);
}

static void chain3_expected(const float* x, float* y) {
  for (int i = 0; i < 8; i++) {
    float r = x[i] > 0 ? x[i] : 0;
    y[i] = r * (0.5f * (float)i) - r;
  }
}

static void test_chain3(void) {
  mote_model* m = load_model("chain3.mote");
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  float x[8] = {-1, 2, -3, 4, 5.5f, -6, 7, 0.25f}, y[8], want[8];
  CHECK_OK(mote_interpreter_set_input(it, 0, x, sizeof x));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, y, sizeof y));
  chain3_expected(x, want);
  for (int i = 0; i < 8; i++) CHECK(y[i] == want[i]);
  mote_interpreter_free(it);
  mote_model_free(m);
}

static void test_int8_quant_info(void) {
  mote_model* m = load_model("reshape_i8.mote");
  mote_interpreter* it;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  mote_tensor_info info;
  CHECK_OK(mote_interpreter_input_info(it, 0, &info));
  CHECK(info.dtype == MOTE_INT8 && info.rank == 3 && info.byte_size == 4);
  CHECK(info.quant_count == 1 && info.quant_axis == -1);
  CHECK(info.quant_scales[0] == 0.5f && info.quant_zero_points[0] == 3);
  CHECK_OK(mote_interpreter_output_info(it, 0, &info));
  CHECK(info.rank == 1 && info.shape[0] == 4 && info.quant_count == 1);
  int8_t x[4] = {-128, -1, 0, 127}, y[4] = {0};
  CHECK_OK(mote_interpreter_set_input(it, 0, x, 4));
  CHECK_OK(mote_interpreter_invoke(it));
  CHECK_OK(mote_interpreter_get_output(it, 0, y, 4));
  CHECK(memcmp(x, y, 4) == 0);
  mote_interpreter_free(it);
  mote_model_free(m);
}

// one model, many interpreters on many threads at once
typedef struct {
  const mote_model* model;
  int seed;
  int errors;
} worker_arg;

static void* worker(void* p) {
  worker_arg* w = p;
  mote_interpreter* it;
  if (mote_interpreter_create(w->model, NULL, &it) != MOTE_OK) {
    w->errors++;
    return NULL;
  }
  for (int round = 0; round < 300; round++) {
    float x[8], y[8], want[8];
    for (int i = 0; i < 8; i++) x[i] = (float)((w->seed * 31 + round * 7 + i * 3) % 17) - 8.0f;
    if (mote_interpreter_set_input(it, 0, x, sizeof x) != MOTE_OK || mote_interpreter_invoke(it) != MOTE_OK ||
        mote_interpreter_get_output(it, 0, y, sizeof y) != MOTE_OK) {
      w->errors++;
      break;
    }
    chain3_expected(x, want);
    if (memcmp(y, want, sizeof y) != 0) w->errors++;
  }
  mote_interpreter_free(it);
  return NULL;
}

static void test_shared_model(void) {
  mote_model* m = load_model("chain3.mote");
  pthread_t th[4];
  worker_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (worker_arg){m, i, 0};
    CHECK(pthread_create(&th[i], NULL, worker, &args[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK(args[i].errors == 0);
  }
  mote_model_free(m);
}

// the last error belongs to the thread that failed
static void* fail_on_thread(void* p) {
  (void)p;
  mote_model* m;
  mote_model_load_file(NULL, &m);
  return NULL;
}

static void test_thread_local_error(void) {
  mote_model* m;
  mote_model_load_file(model_path("nope.mote"), &m);
  char before[256];
  snprintf(before, sizeof before, "%s", mote_last_error());
  pthread_t th;
  pthread_create(&th, NULL, fail_on_thread, NULL);
  pthread_join(th, NULL);
  CHECK(strcmp(before, mote_last_error()) == 0);
  CHECK(strstr(before, "nope.mote") != NULL);
}

// a model the loader accepts but the op refuses: the message names op and node
static void test_prepare_error(void) {
  mote_model* m = load_model("prepare_fails.mote");
  mote_interpreter* it = (mote_interpreter*)1;
  mote_status s = mote_interpreter_create(m, NULL, &it);
  CHECK(s != MOTE_OK && it == NULL);
  CHECK(strncmp(mote_last_error(), "ADD (node 'add0'): ", 19) == 0);
  printf("prepare error: %s: %s\n", mote_status_name(s), mote_last_error());
  mote_model_free(m);
}

int main(void) {
  test_basics();
  test_prepare_error();
  test_null_args();
  test_add();
  test_fc_relu(1);
  test_fc_relu(2);
  test_chain3();
  test_int8_quant_info();
  test_shared_model();
  test_thread_local_error();
  return test_summary();
}
