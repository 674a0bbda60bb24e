// ARG_MAX / ARG_MIN along one axis (negative allowed) of a float32, int32 or
// int64 tensor of rank >= 1 with a non-empty axis; the index dtype is the
// output's (int32 or int64). Ties give the first index (the last with
// select_last_index); nan: ref/ref_reduce2.h.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ref/ref_reduce2.h"

// the schema's defaults: axis 0, keep_dims true, select_last_index false
static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_ARG, .u.arg = {0, true, false}};

mote_status mote_op_arg_minmax_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_ARG, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  if (x->dtype != MOTE_FLOAT32 && x->dtype != MOTE_INT32 && x->dtype != MOTE_INT64)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input dtype %d (float32, int32 or int64)", (int)x->dtype);
  if (y->dtype != MOTE_INT32 && y->dtype != MOTE_INT64)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output dtype %d (int32 or int64)", (int)y->dtype);
  const mote_arg_options* o = &opts->u.arg;
  const int32_t r = x->rank;
  if (o->axis < -r || o->axis >= r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", o->axis, r);
  const int32_t axis = o->axis < 0 ? o->axis + r : o->axis;
  if (x->dims[axis] == 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d is empty: no index to return", axis);
  int32_t dims[MOTE_MAX_RANK], n = 0;
  for (int32_t d = 0; d < r; d++) {
    if (d != axis) dims[n++] = x->dims[d];
    else if (o->keep_dims) dims[n++] = 1;
  }
  MOTE_TRY(mote_op_check_shape(node, y, n, dims, "output"));

  mote_arg_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->outer = p->inner = 1;
  for (int32_t d = 0; d < axis; d++) p->outer *= (size_t)x->dims[d];
  for (int32_t d = axis + 1; d < r; d++) p->inner *= (size_t)x->dims[d];
  p->axis = (size_t)x->dims[axis];
  p->is_max = node->opcode == MOTE_OP_ARG_MAX;
  p->select_last = o->select_last_index;
  p->index64 = y->dtype == MOTE_INT64;
  p->dtype = x->dtype;
  return MOTE_OK;
}

typedef struct {
  const mote_arg_params* p;
  const void* x;
  void* y;
} arg_job;

static void arg_range(void* arg, size_t begin, size_t end) {
  const arg_job* j = arg;
  mote_ref_arg_minmax(j->p, j->x, j->y, begin, end);
}

mote_status mote_op_arg_minmax_eval(mote_context* ctx, mote_node* node) {
  const mote_arg_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  arg_job job = {p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, arg_range, &job, p->outer * p->inner, p->axis);
  return MOTE_OK;
}
