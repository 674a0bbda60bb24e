// TOPK: the k largest (or smallest) along one axis (negative allowed) of a
// float32, int32 or int64 tensor; outputs [values, indices (int32 or int64, the
// output's dtype)], each of the input's shape with k on the axis. Sorted
// descending for largest, ascending otherwise; equal values keep the lower
// index first; nan: ref/ref_reduce2.h. k <= axis length. Each thread selects
// with a heap of k positions in its own slot of the scratch buffer.
#include "core/ops.h"
#include "core/threadpool.h"
#include "ops/op_common.h"
#include "ref/ref_common.h"
#include "ref/ref_reduce2.h"

typedef struct {
  mote_topk_params p;
  size_t slot_bytes;  // scratch per thread (64-aligned)
  int32_t chunks;     // threads prepare planned scratch for
} topk_state;

mote_status mote_op_topk_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *v, *ind;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 2));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_TOPK, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &v));
  MOTE_TRY(mote_op_output(ctx, node, 1, &ind));
  if (x->dtype != MOTE_FLOAT32 && x->dtype != MOTE_INT32 && x->dtype != MOTE_INT64)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input dtype %d (float32, int32 or int64)", (int)x->dtype);
  MOTE_TRY(mote_op_check_dtype(node, v, x->dtype, "values output"));
  if (ind->dtype != MOTE_INT32 && ind->dtype != MOTE_INT64)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "indices output dtype %d (int32 or int64)",
                           (int)ind->dtype);
  const mote_topk_options* o = &opts->u.topk;
  const int32_t r = x->rank;
  if (o->axis < -r || o->axis >= r)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", o->axis, r);
  const int32_t axis = o->axis < 0 ? o->axis + r : o->axis;
  if (o->k < 0 || o->k > x->dims[axis])
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "k %d outside [0, %d] (the length of axis %d)", o->k,
                           x->dims[axis], axis);
  int32_t dims[MOTE_MAX_RANK];
  for (int32_t d = 0; d < r; d++) dims[d] = d == axis ? o->k : x->dims[d];
  MOTE_TRY(mote_op_check_shape(node, v, r, dims, "values output"));
  MOTE_TRY(mote_op_check_shape(node, ind, r, dims, "indices output"));

  topk_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  mote_topk_params* p = &s->p;
  p->outer = p->inner = 1;
  for (int32_t d = 0; d < axis; d++) p->outer *= (size_t)x->dims[d];
  for (int32_t d = axis + 1; d < r; d++) p->inner *= (size_t)x->dims[d];
  p->axis = (size_t)x->dims[axis];
  p->k = (size_t)o->k;
  p->largest = o->largest;
  p->index64 = ind->dtype == MOTE_INT64;
  p->dtype = x->dtype;
  s->chunks = ctx->num_threads > 1 ? ctx->num_threads : 1;
  s->slot_bytes = (p->k * sizeof(int32_t) + 63) / 64 * 64;
  node->scratch_size = s->slot_bytes * (size_t)s->chunks;
  return MOTE_OK;
}

typedef struct {
  const topk_state* s;
  const void* x;
  void *values, *indices;
  uint8_t* scratch;
  size_t rows, chunks;
} topk_job;

static void topk_task(void* arg, size_t i) {
  const topk_job* j = arg;
  size_t begin, end;
  mote_chunk_range(j->rows, j->chunks, i, &begin, &end);
  if (begin < end)
    mote_ref_topk(&j->s->p, j->x, j->values, j->indices, (int32_t*)(j->scratch + i * j->s->slot_bytes), begin,
                  end);
}

mote_status mote_op_topk_eval(mote_context* ctx, mote_node* node) {
  const topk_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  if (node->scratch_size > 0 && (!ctx->scratch || ctx->scratch_size < node->scratch_size))
    return mote_node_error(node, MOTE_ERROR_RUNTIME, "scratch of %zu bytes missing", node->scratch_size);
  const mote_topk_params* p = &s->p;
  const size_t rows = p->outer * p->inner;
  if (rows == 0 || p->k == 0) return MOTE_OK;  // empty outputs
  // as mote_op_parallel, but the chunk index picks the thread's scratch slot
  size_t chunks = (size_t)s->chunks;
  if (ctx->num_threads < s->chunks) chunks = ctx->num_threads > 1 ? (size_t)ctx->num_threads : 1;
  const size_t cost = p->axis * 4 + 1;  // heap steps are cheap unless most elements enter it
  const size_t min_cost = mote_op_min_task_cost ? mote_op_min_task_cost : 1;
  const size_t by_cost = rows <= SIZE_MAX / cost ? rows * cost / min_cost : rows;
  if (chunks > by_cost) chunks = by_cost;
  if (chunks > rows) chunks = rows;
  if (chunks < 1) chunks = 1;
  topk_job job = {s, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data,
                  mote_node_output(ctx, node, 1)->data, ctx->scratch, rows, chunks};
  if (chunks == 1) topk_task(&job, 0);
  else mote_threadpool_run(ctx->pool, topk_task, &job, chunks);
  return MOTE_OK;
}
