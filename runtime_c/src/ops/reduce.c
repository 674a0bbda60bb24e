// REDUCE_SUM / MAX / MIN / PROD / L2 over ReduceOptions.axes (negative from the
// end, unique; none: every axis, as MEAN), keep_dims or not. float32 for all;
// int32 and int64 for all but L2; bool for MAX (any) and MIN (all). Semantics
// of empty reductions, nan and integer overflow: ref/ref_reduce2.h. Work is
// split over output elements.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ref/ref_reduce2.h"

// the schema's defaults: no axes (all), keep_dims false
static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_REDUCE};

typedef struct {
  mote_reduce_params p;
  size_t red_count;  // input elements per output element (thread split cost)
} reduce_state;

mote_status mote_op_reduce_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_REDUCE, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  const bool l2 = node->opcode == MOTE_OP_REDUCE_L2;
  const bool minmax = node->opcode == MOTE_OP_REDUCE_MAX || node->opcode == MOTE_OP_REDUCE_MIN;
  const bool ok = x->dtype == MOTE_FLOAT32 || (!l2 && (x->dtype == MOTE_INT32 || x->dtype == MOTE_INT64)) ||
                  (minmax && x->dtype == MOTE_BOOL);
  if (!ok)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input dtype %d (this op takes float32%s)", (int)x->dtype,
                           l2 ? " only" : minmax ? ", int32, int64 or bool" : ", int32 or int64");
  MOTE_TRY(mote_op_check_dtype(node, y, x->dtype, "output"));
  bool reduce[MOTE_MAX_RANK];
  MOTE_TRY(mote_op_reduce_axes(node, x, y, &opts->u.reduce, reduce));

  reduce_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  mote_reduce_params* p = &s->p;
  p->kind = (mote_reduce_kind)(MOTE_REDUCE_SUM + (node->opcode - MOTE_OP_REDUCE_SUM));
  // merge neighbouring dims with the same flag: fewer, longer loops
  s->red_count = 1;
  for (int32_t d = 0; d < x->rank; d++) {
    if (reduce[d]) s->red_count *= (size_t)x->dims[d];
    if (p->rank > 0 && p->reduce[p->rank - 1] == reduce[d]) {
      p->dims[p->rank - 1] *= (size_t)x->dims[d];
    } else {
      p->dims[p->rank] = (size_t)x->dims[d];
      p->reduce[p->rank] = reduce[d];
      p->rank++;
    }
  }
  if (p->rank == 0) {  // a scalar: one element reduced over nothing (itself)
    p->rank = 1;
    p->dims[0] = 1;
    p->reduce[0] = true;
  }
  return MOTE_OK;
}

typedef struct {
  const mote_reduce_params* p;
  mote_dtype dtype;
  const void* x;
  void* y;
} reduce_job;

static void reduce_range(void* arg, size_t begin, size_t end) {
  const reduce_job* j = arg;
  switch (j->dtype) {
    case MOTE_FLOAT32: mote_ref_reduce_f32(j->p, j->x, j->y, begin, end); break;
    case MOTE_INT32: mote_ref_reduce_i32(j->p, j->x, j->y, begin, end); break;
    case MOTE_INT64: mote_ref_reduce_i64(j->p, j->x, j->y, begin, end); break;
    case MOTE_BOOL: mote_ref_reduce_bool(j->p, j->x, j->y, begin, end); break;
    default: break;  // prepare accepts only these
  }
}

mote_status mote_op_reduce_eval(mote_context* ctx, mote_node* node) {
  const reduce_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  mote_tensor* y = mote_node_output(ctx, node, 0);
  reduce_job job = {&s->p, x->dtype, x->data, y->data};
  mote_op_parallel(ctx, reduce_range, &job, y->num_elements, s->red_count + 1);
  return MOTE_OK;
}
