// One model shared by many interpreters on many threads: outputs bit-identical to a
// single-threaded run, round after round. Two threads on one interpreter: every call
// succeeds or reports MOTE_ERROR_BUSY, and the outputs stay correct.
#include <pthread.h>
#include <stdint.h>

#include "test_util.h"

#define THREADS 8
#define ROUNDS 20
#define INVOKES 25

typedef struct {
  const mote_model* model;
  int seed;
  const float* expected;  // outputs for this seed, concatenated
  size_t expected_bytes;
  int mismatches, failures;
} job;

static void fill_inputs(mote_interpreter* it, int seed) {
  for (int32_t i = 0; i < mote_interpreter_input_count(it); i++) {
    mote_tensor_info info;
    if (mote_interpreter_input_info(it, i, &info) != MOTE_OK || info.dtype != MOTE_FLOAT32) continue;
    float* x = mote_interpreter_input_data(it, i);
    for (size_t k = 0; k < info.byte_size / 4; k++) x[k] = (float)((k * 7 + (size_t)seed * 13 + (size_t)i) % 17) / 8 - 1;
  }
}

// concatenated output bytes into out (NULL: just the size)
static size_t collect(mote_interpreter* it, uint8_t* out) {
  size_t n = 0;
  for (int32_t i = 0; i < mote_interpreter_output_count(it); i++) {
    mote_tensor_info info;
    if (mote_interpreter_output_info(it, i, &info) != MOTE_OK) continue;
    if (out) memcpy(out + n, mote_interpreter_output_data(it, i), info.byte_size);
    n += info.byte_size;
  }
  return n;
}

static void* worker(void* arg) {
  job* j = arg;
  mote_interpreter* it = NULL;
  if (mote_interpreter_create(j->model, NULL, &it) != MOTE_OK) {
    j->failures++;
    return NULL;
  }
  uint8_t* got = malloc(j->expected_bytes + 1);
  for (int r = 0; r < INVOKES && got; r++) {
    fill_inputs(it, j->seed);
    if (mote_interpreter_invoke(it) != MOTE_OK) {
      j->failures++;
      continue;
    }
    if (collect(it, got) != j->expected_bytes || memcmp(got, j->expected, j->expected_bytes) != 0) j->mismatches++;
  }
  free(got);
  mote_interpreter_free(it);
  return NULL;
}

static float* reference(const mote_model* m, int seed, size_t* bytes) {
  mote_interpreter* it = NULL;
  if (mote_interpreter_create(m, NULL, &it) != MOTE_OK) return NULL;
  fill_inputs(it, seed);
  float* out = NULL;
  if (mote_interpreter_invoke(it) == MOTE_OK) {
    *bytes = collect(it, NULL);
    out = malloc(*bytes + 1);
    if (out) collect(it, (uint8_t*)out);
  }
  mote_interpreter_free(it);
  return out;
}

static void shared_model(const char* file) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", MOTE_TEST_MODELS_DIR, file);
  mote_model* m = NULL;
  CHECK_OK(mote_model_load_file(path, &m));
  if (!m) return;
  float* ref[THREADS];
  size_t bytes[THREADS];
  for (int t = 0; t < THREADS; t++) {
    ref[t] = reference(m, t, &bytes[t]);
    CHECK(ref[t] != NULL && bytes[t] > 0);
  }
  // seeds differ, so a thread reading another's arena would show up as a mismatch
  CHECK(bytes[0] != bytes[1] || memcmp(ref[0], ref[1], bytes[0]) != 0);
  int mismatches = 0, failures = 0;
  for (int round = 0; round < ROUNDS; round++) {
    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
      jobs[t] = (job){.model = m, .seed = t, .expected = ref[t], .expected_bytes = bytes[t]};
      pthread_create(&th[t], NULL, worker, &jobs[t]);
    }
    for (int t = 0; t < THREADS; t++) {
      pthread_join(th[t], NULL);
      mismatches += jobs[t].mismatches;
      failures += jobs[t].failures;
    }
  }
  CHECK(mismatches == 0);
  CHECK(failures == 0);
  if (mismatches || failures) fprintf(stderr, "  %s: %d mismatches, %d failures\n", file, mismatches, failures);
  for (int t = 0; t < THREADS; t++) free(ref[t]);
  mote_model_free(m);
}

typedef struct {
  mote_interpreter* it;
  int ok, busy, other;
} racer;

static void* race(void* arg) {
  racer* r = arg;
  for (int i = 0; i < 2000; i++) {
    mote_status s = mote_interpreter_invoke(r->it);
    if (s == MOTE_OK) r->ok++;
    else if (s == MOTE_ERROR_BUSY && strstr(mote_last_error(), "another thread")) r->busy++;
    else r->other++;
  }
  return NULL;
}

// inputs are never written during the race, so every successful invoke leaves the reference output
static void shared_interpreter(const char* file) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", MOTE_TEST_MODELS_DIR, file);
  mote_model* m = NULL;
  CHECK_OK(mote_model_load_file(path, &m));
  if (!m) return;
  size_t bytes = 0;
  float* ref = reference(m, 3, &bytes);
  mote_interpreter* it = NULL;
  CHECK_OK(mote_interpreter_create(m, NULL, &it));
  if (!it || !ref) return;
  fill_inputs(it, 3);
  racer a = {.it = it}, b = {.it = it};
  pthread_t ta, tb;
  pthread_create(&ta, NULL, race, &a);
  pthread_create(&tb, NULL, race, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK(a.other == 0 && b.other == 0);
  CHECK(a.ok + b.ok > 0);
  fprintf(stderr, "  %s: %d ok, %d busy across two threads\n", file, a.ok + b.ok, a.busy + b.busy);
  uint8_t* got = malloc(bytes + 1);
  CHECK(got && collect(it, got) == bytes && memcmp(got, ref, bytes) == 0);
  free(got);
  free(ref);
  mote_interpreter_free(it);
  mote_model_free(m);
}

int main(void) {
  shared_model("resize_conv.mote");
  shared_model("fc_relu.mote");
  shared_interpreter("resize_conv.mote");
  return test_summary();
}
