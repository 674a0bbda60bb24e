// Persistent pthread workers; the caller takes part in every run.
#define _POSIX_C_SOURCE 200809L
#include "core/threadpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

// workers spin this many rounds before sleeping: ops follow each other within
// microseconds, and a futex wake costs more than that. Every 16th round yields:
// with more threads than free cores, pure spinning starved the thread that had
// the work (2 ms per run instead of ~20 us, 4 threads on 2 busy vCPUs).
#define SPIN_ROUNDS 4000

struct mote_threadpool {
  int num_threads;  // including the caller
  pthread_t* workers;
  int num_workers;  // started so far
  pthread_mutex_t mu;
  pthread_cond_t wake;
  pthread_cond_t done;
  atomic_uint generation;  // bumped (under mu) for each run and for stop
  atomic_int pending;      // workers still busy with the current run
  atomic_size_t next;      // next task index to hand out
  mote_task_fn task;
  void* arg;
  size_t n;
  bool stop;
};

static inline void cpu_relax(unsigned round) {
  if ((round & 15) == 15) {
    sched_yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield");
#endif
}

static void work(mote_threadpool* p) {
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n) break;
    p->task(p->arg, i);
  }
}

static void* worker_main(void* arg) {
  mote_threadpool* p = arg;
  unsigned seen = 0;
  for (;;) {
    unsigned g = atomic_load(&p->generation);
    for (unsigned s = 0; g == seen && s < SPIN_ROUNDS; s++) {
      cpu_relax(s);
      g = atomic_load(&p->generation);
    }
    if (g == seen) {
      pthread_mutex_lock(&p->mu);
      while ((g = atomic_load(&p->generation)) == seen) pthread_cond_wait(&p->wake, &p->mu);
      pthread_mutex_unlock(&p->mu);
    }
    seen = g;
    if (p->stop) break;
    work(p);
    if (atomic_fetch_sub(&p->pending, 1) == 1) {
      pthread_mutex_lock(&p->mu);
      pthread_cond_signal(&p->done);
      pthread_mutex_unlock(&p->mu);
    }
  }
  return NULL;
}

static void bump_generation(mote_threadpool* p) {
  pthread_mutex_lock(&p->mu);
  atomic_fetch_add(&p->generation, 1);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
}

mote_threadpool* mote_threadpool_create(int num_threads) {
  if (num_threads < 1) num_threads = 1;
  mote_threadpool* p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->num_threads = num_threads;
  atomic_init(&p->generation, 0);
  atomic_init(&p->pending, 0);
  atomic_init(&p->next, 0);
  if (pthread_mutex_init(&p->mu, NULL) != 0) {
    free(p);
    return NULL;
  }
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->done, NULL);
  if (num_threads > 1) {
    p->workers = calloc((size_t)num_threads - 1, sizeof *p->workers);
    if (!p->workers) {
      mote_threadpool_destroy(p);
      return NULL;
    }
    for (int i = 0; i < num_threads - 1; i++) {
      if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) {
        mote_threadpool_destroy(p);
        return NULL;
      }
      p->num_workers++;
    }
  }
  return p;
}

void mote_threadpool_destroy(mote_threadpool* p) {
  if (!p) return;
  if (p->num_workers > 0) {
    p->stop = true;  // published by the generation bump below
    bump_generation(p);
    for (int i = 0; i < p->num_workers; i++) pthread_join(p->workers[i], NULL);
  }
  free(p->workers);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->done);
  pthread_mutex_destroy(&p->mu);
  free(p);
}

int mote_threadpool_size(const mote_threadpool* p) { return p ? p->num_threads : 1; }

void mote_threadpool_run(mote_threadpool* p, mote_task_fn task, void* arg, size_t n) {
  if (n == 0) return;
  if (!p || p->num_workers == 0 || n == 1) {
    for (size_t i = 0; i < n; i++) task(arg, i);
    return;
  }
  p->task = task;
  p->arg = arg;
  p->n = n;
  atomic_store(&p->next, 0);
  atomic_store(&p->pending, p->num_workers);
  bump_generation(p);
  work(p);
  for (unsigned s = 0; atomic_load(&p->pending) > 0 && s < SPIN_ROUNDS; s++) cpu_relax(s);
  if (atomic_load(&p->pending) > 0) {
    pthread_mutex_lock(&p->mu);
    while (atomic_load(&p->pending) > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
  }
}
