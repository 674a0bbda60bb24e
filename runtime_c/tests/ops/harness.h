// A tiny golden runner for ops (as TFLite Micro's): tensors built by hand,
// then prepare -> eval through the op registry, as the interpreter does.
#ifndef MOTE_TESTS_OPS_HARNESS_H
#define MOTE_TESTS_OPS_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/ops.h"
#include "core/threadpool.h"
#include "core/types.h"

#define MAX_TENSORS 16

typedef struct {
  mote_tensor t[MAX_TENSORS];
  int32_t n;
} graph;

extern int g_failures, g_checks;

#define CHECK(cond)                                                    \
  do {                                                                 \
    g_checks++;                                                        \
    if (!(cond)) {                                                     \
      g_failures++;                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                  \
  } while (0)

#define DIMS(...) (int32_t[]){__VA_ARGS__}, (int32_t)(sizeof((int32_t[]){__VA_ARGS__}) / sizeof(int32_t))

// add a tensor over caller-owned data; returns its index
int32_t add_tensor(graph* g, mote_dtype dtype, void* data, const int32_t* dims, int32_t rank);
#define F32(g, data, ...) add_tensor((g), MOTE_FLOAT32, (data), DIMS(__VA_ARGS__))
#define SCALAR_F32(g, data) add_tensor((g), MOTE_FLOAT32, (data), NULL, 0)

// prepare then eval `opcode` on `threads` threads; MOTE_OK or the first failure
mote_status run_op(graph* g, int32_t opcode, const mote_op_options* opts, const int32_t* ins, int32_t n_in,
                   const int32_t* outs, int32_t n_out, int threads);
#define IDX(...) (int32_t[]){__VA_ARGS__}, (int32_t)(sizeof((int32_t[]){__VA_ARGS__}) / sizeof(int32_t))

// one-output convenience: run_op(g, op, opts, inputs..., output)
#define RUN(g, op, opts, threads, out, ...) run_op((g), (op), (opts), IDX(__VA_ARGS__), (int32_t[]){out}, 1, (threads))

// |got - want| <= atol + rtol·|want| for all n; prints the first miss
int close_f32(const float* got, const float* want, size_t n, float atol, float rtol, int line);
#define CHECK_CLOSE(got, want, n, tol) CHECK(close_f32((got), (want), (n), (tol), (tol), __LINE__))
// the last error message contains `s`
#define CHECK_ERROR_HAS(s) CHECK(strstr(mote_last_error(), (s)) != NULL)

// create the thread pools (1..4 threads) before any run_op; finish prints "N checks, M failures"
// and returns main's exit status
int harness_init(void);
int harness_finish(void);

// deterministic values in [-1, 1)
void fill_random(float* x, size_t n, unsigned seed);

// test groups (one file each)
void test_registry(void);
void test_conv(void);
void test_gemm(void);
void test_pool(void);
void test_elementwise(void);
void test_reduce(void);
void test_data(void);
void test_rejects(void);
void test_fuzz(void);

#endif  // MOTE_TESTS_OPS_HARNESS_H
