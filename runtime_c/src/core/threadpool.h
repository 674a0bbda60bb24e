// A small pthread pool. Ops split work into `n` independent tasks.
#ifndef MOTE_CORE_THREADPOOL_H
#define MOTE_CORE_THREADPOOL_H

#include <stddef.h>

typedef struct mote_threadpool mote_threadpool;

// task(arg, i) for i in [0, n); returns when all are done. Runs inline when the
// pool has one thread or n == 1. The calling thread takes part.
typedef void (*mote_task_fn)(void* arg, size_t i);

mote_threadpool* mote_threadpool_create(int num_threads);  // NULL on failure
void mote_threadpool_destroy(mote_threadpool* pool);
int mote_threadpool_size(const mote_threadpool* pool);
void mote_threadpool_run(mote_threadpool* pool, mote_task_fn task, void* arg, size_t n);

#endif  // MOTE_CORE_THREADPOOL_H
