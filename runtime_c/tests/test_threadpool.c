// Threadpool: every index runs exactly once, the caller takes part, inline with one thread.
#include <pthread.h>
#include <stdatomic.h>

#include "core/threadpool.h"
#include "test_util.h"

#define MAX_N 4096

typedef struct {
  atomic_int hits[MAX_N];
  pthread_t caller;
  atomic_int on_caller;
  atomic_long sum;
} job;

static void task(void* arg, size_t i) {
  job* j = arg;
  atomic_fetch_add(&j->hits[i], 1);
  atomic_fetch_add(&j->sum, (long)i);
  if (pthread_equal(pthread_self(), j->caller)) atomic_fetch_add(&j->on_caller, 1);
}

static void run_once(mote_threadpool* p, size_t n, int* bad) {
  static job j;
  for (size_t i = 0; i < MAX_N; i++) atomic_store(&j.hits[i], 0);
  atomic_store(&j.on_caller, 0);
  atomic_store(&j.sum, 0);
  j.caller = pthread_self();
  mote_threadpool_run(p, task, &j, n);
  for (size_t i = 0; i < MAX_N; i++)
    if (atomic_load(&j.hits[i]) != (i < n ? 1 : 0)) (*bad)++;
  if (atomic_load(&j.sum) != (long)(n ? n * (n - 1) / 2 : 0)) (*bad)++;
  if (mote_threadpool_size(p) == 1 && atomic_load(&j.on_caller) != (int)n) (*bad)++;
}

int main(void) {
  static const size_t sizes[] = {0, 1, 2, 3, 7, 64, 1000, MAX_N};
  for (int threads = 0; threads <= 4; threads++) {
    mote_threadpool* p = mote_threadpool_create(threads);
    CHECK(p != NULL);
    CHECK(mote_threadpool_size(p) == (threads < 1 ? 1 : threads));
    int bad = 0;
    for (int round = 0; round < 200; round++)
      for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) run_once(p, sizes[k], &bad);
    CHECK(bad == 0);
    mote_threadpool_destroy(p);
  }
  // the caller takes part: with many tiny tasks it runs some of them itself
  mote_threadpool* p = mote_threadpool_create(2);
  static job j;
  j.caller = pthread_self();
  int took_part = 0;
  for (int round = 0; round < 50 && !took_part; round++) {
    for (size_t i = 0; i < MAX_N; i++) atomic_store(&j.hits[i], 0);
    atomic_store(&j.on_caller, 0);
    mote_threadpool_run(p, task, &j, MAX_N);
    took_part = atomic_load(&j.on_caller) > 0;
  }
  CHECK(took_part);
  mote_threadpool_destroy(p);
  mote_threadpool_destroy(NULL);
  return test_summary();
}
