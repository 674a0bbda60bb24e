// MAX_POOL_2D, AVERAGE_POOL_2D: float32 NHWC windows over H and W.
#include "configs/kernels.h"
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"
#include "ops/op_params.h"
#include "ops/spatial.h"

mote_status mote_op_pool2d_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_pool2d_q8_prepare(ctx, node);
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_POOL2D, NULL, &opts));  // filter size has no default
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_rank(node, x, 4, "input"));
  const mote_pool2d_options* o = &opts->u.pool2d;
  MOTE_TRY(mote_op_check_activation(node, o->activation, y->dtype));
  mote_spatial_dim sh, sw;
  MOTE_TRY(mote_spatial_compute(node, "height", x->dims[1], o->filter_h, o->stride_h, o->dilation_h, o->padding,
                                o->pad_top, o->pad_bottom, o->ceil_mode, &sh));
  MOTE_TRY(mote_spatial_compute(node, "width", x->dims[2], o->filter_w, o->stride_w, o->dilation_w, o->padding,
                                o->pad_left, o->pad_right, o->ceil_mode, &sw));
  const int32_t want[4] = {x->dims[0], sh.out, sw.out, x->dims[3]};
  MOTE_TRY(mote_op_check_shape(node, y, 4, want, "output"));

  mote_pool2d_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  *p = (mote_pool2d_params){
      .n = x->dims[0], .in_h = x->dims[1], .in_w = x->dims[2], .c = x->dims[3],
      .out_h = sh.out, .out_w = sw.out,
      .filter_h = o->filter_h, .filter_w = o->filter_w,
      .stride_h = o->stride_h, .stride_w = o->stride_w, .dilation_h = o->dilation_h, .dilation_w = o->dilation_w,
      .pad_top = sh.pad_before, .pad_left = sw.pad_before, .pad_bottom = sh.pad_after, .pad_right = sw.pad_after,
      .count_include_pad = o->count_include_pad};
  mote_op_activation_range(o->activation, &p->act_min, &p->act_max);
  return MOTE_OK;
}

typedef struct {
  void (*kernel)(const mote_pool2d_params*, const float*, float*, size_t, size_t);
  const mote_pool2d_params* p;
  const float* x;
  float* y;
} pool_job;

static void pool_rows(void* arg, size_t begin, size_t end) {
  const pool_job* j = arg;
  j->kernel(j->p, j->x, j->y, begin, end);
}

mote_status mote_op_pool2d_eval(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_pool2d_q8_eval(ctx, node);
  const mote_pool2d_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_kernel_config* k = mote_kernels_get();
  pool_job job = {node->opcode == MOTE_OP_MAX_POOL_2D ? k->max_pool2d_f32 : k->avg_pool2d_f32, p,
                  mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data};
  const size_t row_cost = (size_t)p->out_w * (size_t)p->c * (size_t)p->filter_h * (size_t)p->filter_w;
  mote_op_parallel(ctx, pool_rows, &job, (size_t)p->n * (size_t)p->out_h, row_cost);
  return MOTE_OK;
}

// the node state is the params (see mote_op_pool2d_prepare)
const mote_pool2d_params* mote_op_pool2d_params(const mote_node* node) { return node->user_data; }
