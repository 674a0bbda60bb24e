// Eval side of the strided-copy ops (SPLIT, SLICE, TILE, BROADCAST_TO,
// DEPTH_TO_SPACE, SPACE_TO_DEPTH): the copy split over output rows.
#ifndef MOTE_OPS_STRIDED_COPY_H
#define MOTE_OPS_STRIDED_COPY_H

#include "core/types.h"
#include "ops/op_common.h"
#include "ref/ref_data2.h"

typedef struct {
  const mote_strided_copy_params* p;
  const void* x;
  void* y;
} mote_strided_copy_job;

static inline void mote_strided_copy_rows_task(void* arg, size_t begin, size_t end) {
  const mote_strided_copy_job* job = arg;
  mote_ref_strided_copy(job->p, job->x, job->y, begin, end);
}

// a copy is far cheaper than a multiply-add: count a quarter per element
static inline void mote_op_strided_copy(mote_context* ctx, const mote_strided_copy_params* p, const void* x,
                                        void* y) {
  mote_strided_copy_job job = {p, x, y};
  const size_t inner = p->dims[p->rank - 1];
  mote_op_parallel(ctx, mote_strided_copy_rows_task, &job, mote_strided_copy_rows(p), inner / 4 + 1);
}

// dtype of any size the kernels copy, and the output's equal to the input's
static inline mote_status mote_op_check_same_dtype(const mote_node* node, const mote_tensor* x,
                                                   const mote_tensor* y) {
  if (mote_dtype_size(x->dtype) == 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown dtype %d", (int)x->dtype);
  if (y->dtype != x->dtype)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output dtype %d differs from input dtype %d",
                           (int)y->dtype, (int)x->dtype);
  return MOTE_OK;
}

// row-major element strides of t
static inline void mote_op_strides_of(const mote_tensor* t, int64_t* strides) {
  int64_t s = 1;
  for (int32_t d = t->rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= t->dims[d];
  }
}

#endif  // MOTE_OPS_STRIDED_COPY_H
