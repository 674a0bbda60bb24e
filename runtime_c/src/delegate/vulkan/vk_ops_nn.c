// Vulkan encoders for the compute-heavy ops: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
// BATCH_MATMUL, the 2-D pools, MEAN and SOFTMAX. Parameters come from the CPU op's prepare
// (ops/op_params.h), so both sides agree on shapes and padding.
#include <string.h>

#include "core/internal.h"
#include "ops/op_common.h"
#include "core/ops.h"
#include "delegate/vulkan/vk_ops.h"
#include "ops/op_params.h"

typedef struct {
  uint32_t total;
  int32_t in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
  int32_t stride_h, stride_w, dil_h, dil_w, pad_t, pad_l, groups_or_mult, has_bias;
  float act_min, act_max;
} conv_push;

static bool conv_supported(mote_context* ctx, const mote_node* n) {
  const mote_tensor* bias = mote_node_input(ctx, n, 2);
  return mote_op_conv2d_params(n) && mote_vk_is_f32(mote_node_input(ctx, n, 0)) &&
         mote_vk_is_f32_weights(mote_node_input(ctx, n, 1)) && (!bias || mote_vk_is_f32(bias));
}

static mote_status conv_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_conv2d_params* p = mote_op_conv2d_params(n);
  const bool dw = n->opcode == MOTE_OP_DEPTHWISE_CONV_2D;
  mote_vk_dispatch d;
  const conv_push pc = {
      .total = (uint32_t)((size_t)p->n * p->out_h * p->out_w * p->out_c),
      .in_h = p->in_h, .in_w = p->in_w, .in_c = p->in_c, .out_h = p->out_h, .out_w = p->out_w, .out_c = p->out_c,
      .k_h = p->kernel_h, .k_w = p->kernel_w, .stride_h = p->stride_h, .stride_w = p->stride_w,
      .dil_h = p->dilation_h, .dil_w = p->dilation_w, .pad_t = p->pad_top, .pad_l = p->pad_left,
      .groups_or_mult = dw ? p->depth_multiplier : p->groups, .has_bias = mote_node_input(ctx, n, 2) != NULL,
      .act_min = p->act_min, .act_max = p->act_max};
  MOTE_TRY(mote_vk_dispatch_init(&d, dw ? MOTE_VK_SHADER_DWCONV2D : MOTE_VK_SHADER_CONV2D, &pc, sizeof pc));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[0], &d.bind[0]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[1], &d.bind[1]));
  if (pc.has_bias) MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[2], &d.bind[2]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->outputs[0], &d.bind[3]));
  return mote_vk_emit(e, &d);
}

typedef struct {
  uint32_t total;
  int32_t in_f, out_f, has_bias;
  float act_min, act_max;
} fc_push;

static bool fc_supported(mote_context* ctx, const mote_node* n) {
  const mote_tensor *x = mote_node_input(ctx, n, 0), *w = mote_node_input(ctx, n, 1), *bias = mote_node_input(ctx, n, 2);
  return n->options && mote_vk_is_f32(x) && mote_vk_is_f32_weights(w) && w->rank == 2 && x->rank >= 1 &&
         x->dims[x->rank - 1] == w->dims[1] && (!bias || mote_vk_is_f32(bias)) && n->user_data;
}

static mote_status fc_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_tensor* w = mote_node_input(ctx, n, 1);
  const mote_tensor* y = mote_node_output(ctx, n, 0);
  fc_push pc = {.total = (uint32_t)y->num_elements, .in_f = w->dims[1], .out_f = w->dims[0],
                .has_bias = mote_node_input(ctx, n, 2) != NULL};
  mote_vk_act_range(n->options->u.fully_connected.activation, &pc.act_min, &pc.act_max);
  mote_vk_dispatch d;
  MOTE_TRY(mote_vk_dispatch_init(&d, MOTE_VK_SHADER_FULLY_CONNECTED, &pc, sizeof pc));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[0], &d.bind[0]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[1], &d.bind[1]));
  if (pc.has_bias) MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[2], &d.bind[2]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->outputs[0], &d.bind[3]));
  return mote_vk_emit(e, &d);
}

typedef struct {
  uint32_t total;
  int32_t m, k, n, adj_a, adj_b, batch_rank;
  int32_t batch_dims[4], a_strides[4], b_strides[4];
} bmm_push;

static bool bmm_supported(mote_context* ctx, const mote_node* n) {
  const mote_batch_matmul_params* p = mote_op_batch_matmul_params(n);
  if (!p || p->batch_rank > 4 || !mote_vk_is_f32(mote_node_input(ctx, n, 0)) || !mote_vk_is_f32(mote_node_input(ctx, n, 1)))
    return false;
  // the CPU's batch strides count whole matrices; the shader's count elements
  for (int32_t d = 0; d < p->batch_rank; d++)
    if (p->a_batch_strides[d] * p->m * p->k > INT32_MAX || p->b_batch_strides[d] * p->k * p->n > INT32_MAX)
      return false;
  return p->m <= INT32_MAX && p->k <= INT32_MAX && p->n <= INT32_MAX;
}

static mote_status bmm_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_batch_matmul_params* p = mote_op_batch_matmul_params(n);
  bmm_push pc = {.total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements, .m = (int32_t)p->m,
                 .k = (int32_t)p->k, .n = (int32_t)p->n, .adj_a = p->adj_a, .adj_b = p->adj_b,
                 .batch_rank = p->batch_rank};
  for (int32_t d = 0; d < p->batch_rank; d++) {
    pc.batch_dims[d] = (int32_t)p->batch_dims[d];
    pc.a_strides[d] = (int32_t)(p->a_batch_strides[d] * p->m * p->k);
    pc.b_strides[d] = (int32_t)(p->b_batch_strides[d] * p->k * p->n);
  }
  mote_vk_dispatch d;
  MOTE_TRY(mote_vk_dispatch_init(&d, MOTE_VK_SHADER_BATCH_MATMUL, &pc, sizeof pc));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[0], &d.bind[0]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[1], &d.bind[1]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->outputs[0], &d.bind[3]));
  return mote_vk_emit(e, &d);
}

typedef struct {
  uint32_t total;
  int32_t is_max, in_h, in_w, c, out_h, out_w, f_h, f_w;
  int32_t stride_h, stride_w, dil_h, dil_w, pad_t, pad_l, pad_b, pad_r, count_include_pad;
  float act_min, act_max;
} pool_push;

static bool pool_supported(mote_context* ctx, const mote_node* n) {
  return mote_op_pool2d_params(n) && mote_vk_is_f32(mote_node_input(ctx, n, 0));
}

static mote_status pool_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_pool2d_params* p = mote_op_pool2d_params(n);
  const pool_push pc = {
      .total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements, .is_max = n->opcode == MOTE_OP_MAX_POOL_2D,
      .in_h = p->in_h, .in_w = p->in_w, .c = p->c, .out_h = p->out_h, .out_w = p->out_w, .f_h = p->filter_h,
      .f_w = p->filter_w, .stride_h = p->stride_h, .stride_w = p->stride_w, .dil_h = p->dilation_h,
      .dil_w = p->dilation_w, .pad_t = p->pad_top, .pad_l = p->pad_left, .pad_b = p->pad_bottom,
      .pad_r = p->pad_right, .count_include_pad = p->count_include_pad, .act_min = p->act_min,
      .act_max = p->act_max};
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_POOL2D, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

typedef struct {
  uint32_t total;
  int32_t red, inner;
} mean_push;

// the reduced axes must form one block (size-1 axes may sit between them): [outer, red, inner]
static bool mean_shape(const mote_mean_params* p, size_t* outer, size_t* red, size_t* inner) {
  return mote_reduce_block(p->rank, p->dims, p->reduce, outer, red, inner) && *red <= INT32_MAX &&
         *inner <= INT32_MAX;
}

static bool mean_supported(mote_context* ctx, const mote_node* n) {
  const mote_mean_params* p = mote_op_mean_params(n);
  size_t o, r, i;
  return p && mote_vk_is_f32(mote_node_input(ctx, n, 0)) && mean_shape(p, &o, &r, &i);
}

static mote_status mean_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  size_t outer, red, inner;
  mean_shape(mote_op_mean_params(n), &outer, &red, &inner);
  const mean_push pc = {.total = (uint32_t)(outer * inner), .red = (int32_t)red, .inner = (int32_t)inner};
  (void)ctx;
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_MEAN, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

typedef struct {
  uint32_t total;
  int32_t axis, inner;
  float beta;
} softmax_push;

static bool softmax_supported(mote_context* ctx, const mote_node* n) {
  const mote_softmax_params* p = mote_op_softmax_params(n);
  return p && mote_vk_is_f32(mote_node_input(ctx, n, 0)) && p->axis <= INT32_MAX && p->inner <= INT32_MAX;
}

static mote_status softmax_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_softmax_params* p = mote_op_softmax_params(n);
  const softmax_push pc = {.total = (uint32_t)(p->outer * p->inner), .axis = (int32_t)p->axis,
                           .inner = (int32_t)p->inner, .beta = p->beta};
  (void)ctx;
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_SOFTMAX, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

static const mote_vk_op k_conv = {conv_supported, conv_encode};
static const mote_vk_op k_fc = {fc_supported, fc_encode};
static const mote_vk_op k_bmm = {bmm_supported, bmm_encode};
static const mote_vk_op k_pool = {pool_supported, pool_encode};
static const mote_vk_op k_mean = {mean_supported, mean_encode};
static const mote_vk_op k_softmax = {softmax_supported, softmax_encode};

const mote_vk_op* mote_vk_nn_op(int32_t opcode) {
  switch (opcode) {
    case MOTE_OP_CONV_2D:
    case MOTE_OP_DEPTHWISE_CONV_2D: return &k_conv;
    case MOTE_OP_FULLY_CONNECTED: return &k_fc;
    case MOTE_OP_BATCH_MATMUL: return &k_bmm;
    case MOTE_OP_MAX_POOL_2D:
    case MOTE_OP_AVERAGE_POOL_2D: return &k_pool;
    case MOTE_OP_MEAN: return &k_mean;
    case MOTE_OP_SOFTMAX: return &k_softmax;
    default: return NULL;
  }
}
