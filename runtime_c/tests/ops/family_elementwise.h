// Helpers shared by the elementwise family tests (family_elementwise*.c).
#ifndef MOTE_TESTS_OPS_FAMILY_ELEMENTWISE_H
#define MOTE_TESTS_OPS_FAMILY_ELEMENTWISE_H

#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "ops/op_common.h"
#include "ref/ref_elementwise2.h"

#define T(g, dt, data, ...) add_tensor((g), (dt), (data), DIMS(__VA_ARGS__))
#define SCALAR(g, dt, data) add_tensor((g), (dt), (data), NULL, 0)
#define CHECK_F32(got, want, n) CHECK(close_or_same((got), (want), (n), __LINE__))

// close_f32, where equal infinities (and nans) also match
static inline int close_or_same(const float* got, const float* want, size_t n, int line) {
  for (size_t i = 0; i < n; i++)
    if (got[i] != want[i] && !close_f32(got + i, want + i, 1, 1e-6f, 2e-6f, line)) return 0;
  return 1;
}

// this family's ops, named directly (they are linked from the static library)
mote_status mote_op_unary_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_compare_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_logical_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_where_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_cast_prepare(mote_context* ctx, mote_node* node);
typedef mote_status (*prepare_fn)(mote_context*, mote_node*);
__attribute__((used)) static const prepare_fn g_linked_ops[] = {
    mote_op_unary_prepare, mote_op_compare_prepare, mote_op_logical_prepare, mote_op_where_prepare,
    mote_op_cast_prepare};

static inline int same_bytes(const void* a, const void* b, size_t n, int line) {
  if (memcmp(a, b, n) == 0) return 1;
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) {
      fprintf(stderr, "line %d: byte %zu: got 0x%02x, want 0x%02x\n", line, i, x[i], y[i]);
      break;
    }
  return 0;
}
#define CHECK_BYTES(got, want, n) CHECK(same_bytes((got), (want), (n), __LINE__))

#endif  // MOTE_TESTS_OPS_FAMILY_ELEMENTWISE_H
