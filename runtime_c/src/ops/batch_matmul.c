// BATCH_MATMUL: a [..., M, K] @ b [..., K, N] with adj_a / adj_b and
// broadcast batch dims, float32.
#include "configs/kernels.h"
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/gemm_conv.h"
#include "ops/op_common.h"
#include "ops/op_params.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_BATCH_MATMUL};

mote_status mote_op_batch_matmul_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *a, *b, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 2, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_BATCH_MATMUL, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &a));
  MOTE_TRY(mote_op_input(ctx, node, 1, &b));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, a, MOTE_FLOAT32, "input a"));
  MOTE_TRY(mote_op_check_dtype(node, b, MOTE_FLOAT32, "input b"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  if (a->rank < 2 || b->rank < 2)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "inputs need rank >= 2 (have %d and %d)", a->rank,
                           b->rank);
  const bool adj_a = opts->u.batch_matmul.adj_a, adj_b = opts->u.batch_matmul.adj_b;
  const int32_t ra = a->rank, rb = b->rank;
  const int32_t m = adj_a ? a->dims[ra - 1] : a->dims[ra - 2];
  const int32_t k = adj_a ? a->dims[ra - 2] : a->dims[ra - 1];
  const int32_t kb = adj_b ? b->dims[rb - 1] : b->dims[rb - 2];
  const int32_t n = adj_b ? b->dims[rb - 2] : b->dims[rb - 1];
  char sa[MOTE_SHAPE_STR_LEN], sb[MOTE_SHAPE_STR_LEN];
  if (k != kb)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "inner dims differ: %s @ %s (adj_a %d, adj_b %d)",
                           mote_shape_str(sa, ra, a->dims), mote_shape_str(sb, rb, b->dims), adj_a, adj_b);
  int32_t brank, dims[MOTE_MAX_RANK];
  if (!mote_broadcast_shape(ra - 2, a->dims, rb - 2, b->dims, &brank, dims))
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "batch dims of %s and %s do not broadcast",
                           mote_shape_str(sa, ra, a->dims), mote_shape_str(sb, rb, b->dims));
  dims[brank] = m;
  dims[brank + 1] = n;
  MOTE_TRY(mote_op_check_shape(node, y, brank + 2, dims, "output"));

  mote_batch_matmul_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->m = (size_t)m;
  p->k = (size_t)k;
  p->n = (size_t)n;
  p->adj_a = adj_a;
  p->adj_b = adj_b;
  // batch strides count whole matrices
  for (int32_t d = 0; d < brank; d++) p->batch_dims[d] = (size_t)dims[d];
  mote_broadcast_strides(ra - 2, a->dims, brank, p->a_batch_strides);
  mote_broadcast_strides(rb - 2, b->dims, brank, p->b_batch_strides);
  p->batch_rank = mote_coalesce2(brank, p->batch_dims, p->a_batch_strides, p->b_batch_strides);
  // the GEMM microkernels need A rows in memory order (no adj_a) and something to multiply
  if (!adj_a && m > 0 && n > 0 && k > 0 && y->num_elements > 0)
    node->scratch_size = mote_gemm_bmm_scratch(&mote_kernels_get()->f32_gemm, p, ctx->num_threads);
  return MOTE_OK;
}

typedef struct {
  const mote_kernel_config* k;
  const mote_batch_matmul_params* p;
  const float *a, *b;
  float* y;
} bmm_job;

static void bmm_rows(void* arg, size_t begin, size_t end) {
  const bmm_job* j = arg;
  j->k->batch_matmul_f32(j->p, j->a, j->b, j->y, begin, end);
}

mote_status mote_op_batch_matmul_eval(mote_context* ctx, mote_node* node) {
  const mote_batch_matmul_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  if (node->scratch_size && ctx->scratch) {
    mote_gemm_bmm_run(ctx, &mote_kernels_get()->f32_gemm, p, mote_node_input(ctx, node, 0)->data,
                      mote_node_input(ctx, node, 1)->data, mote_node_output(ctx, node, 0)->data);
    return MOTE_OK;
  }
  bmm_job job = {mote_kernels_get(), p, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                 mote_node_output(ctx, node, 0)->data};
  size_t batch = 1;
  for (int32_t d = 0; d < p->batch_rank; d++) batch *= p->batch_dims[d];
  mote_op_parallel(ctx, bmm_rows, &job, batch * p->m, p->n * p->k);
  return MOTE_OK;
}

// the node state is the params (see mote_op_batch_matmul_prepare)
const mote_batch_matmul_params* mote_op_batch_matmul_params(const mote_node* node) { return node->user_data; }
