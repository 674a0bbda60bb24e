// Op tests: hand-computable goldens (and a few values taken from ONNX Runtime)
// for every op, plus prepare's refusals of inconsistent models.
#include <stdlib.h>

#include "harness.h"
#include "ops/op_common.h"

void test_registry(void) {
  for (int32_t op = 0; op < MOTE_OP_COUNT; op++) {
    const mote_op_registration* r = mote_op_lookup(op);
    CHECK(r != NULL);
    if (!r) continue;
    CHECK(r->prepare != NULL && r->eval != NULL);
    CHECK(strcmp(mote_op_name(op), r->name) == 0);
  }
  CHECK(mote_op_lookup(-1) == NULL);
  CHECK(mote_op_lookup(MOTE_OP_COUNT) == NULL);
  CHECK(strcmp(mote_op_name(MOTE_OP_COUNT), "UNKNOWN") == 0);
  CHECK(strcmp(mote_op_name(MOTE_OP_CONV_2D), "CONV_2D") == 0);
  CHECK(strcmp(mote_op_name(MOTE_OP_GELU), "GELU") == 0);
  CHECK(mote_op_lookup(MOTE_OP_MAX_POOL_2D)->options_type == MOTE_OPTIONS_POOL2D);
}

int main(void) {
  if (!harness_init()) return 1;
  test_registry();
  test_conv();
  test_gemm();
  test_pool();
  test_elementwise();
  test_reduce();
  test_data();
  test_rejects();
  test_fuzz();
  return harness_finish();
}
