// Vulkan encoders for data movement: CONCATENATION (with fused activation), RESHAPE, PAD,
// TRANSPOSE (rank <= 6) and RESIZE (sampling tables from the CPU op's prepare), float32.
#include <math.h>
#include <string.h>

#include "core/internal.h"
#include "ops/op_common.h"
#include "core/ops.h"
#include "delegate/vulkan/vk_ops.h"
#include "ops/op_params.h"
#include "ref/ref_nn.h"

#define DATA_MAX_RANK 6

typedef struct {
  uint32_t total;
  int32_t src_row, dst_row, dst_off;
  float act_min, act_max;
} copy_push;

static mote_status emit_copy(mote_vk_encoder* e, int32_t src, int32_t dst, size_t rows, size_t src_row,
                             size_t dst_row, size_t dst_off, int32_t activation) {
  copy_push pc = {.total = (uint32_t)(rows * src_row), .src_row = (int32_t)src_row, .dst_row = (int32_t)dst_row,
                  .dst_off = (int32_t)dst_off};
  mote_vk_act_range(activation, &pc.act_min, &pc.act_max);
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_COPY, &pc, sizeof pc, src, dst);
}

static bool concat_supported(mote_context* ctx, const mote_node* n) {
  if (!n->options || n->options->type != MOTE_OPTIONS_CONCATENATION) return false;
  for (int32_t i = 0; i < n->num_inputs; i++)
    if (!mote_vk_is_f32(mote_node_input(ctx, n, i))) return false;
  return true;
}

static mote_status concat_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_tensor* y = mote_node_output(ctx, n, 0);
  const mote_concatenation_options* o = &n->options->u.concatenation;
  const int32_t axis = o->axis < 0 ? o->axis + y->rank : o->axis;
  size_t outer = 1, inner = 1;
  for (int32_t d = 0; d < axis; d++) outer *= (size_t)y->dims[d];
  for (int32_t d = axis + 1; d < y->rank; d++) inner *= (size_t)y->dims[d];
  const size_t dst_row = (size_t)y->dims[axis] * inner;
  size_t off = 0;
  for (int32_t i = 0; i < n->num_inputs; i++) {
    const size_t row = (size_t)mote_node_input(ctx, n, i)->dims[axis] * inner;
    // an input with nothing along the axis contributes nothing (and has no storage to bind)
    if (row) MOTE_TRY(emit_copy(e, n->inputs[i], n->outputs[0], outer, row, dst_row, off, o->activation));
    off += row;
  }
  return MOTE_OK;
}

static bool reshape_supported(mote_context* ctx, const mote_node* n) {
  const mote_tensor* shape = mote_node_input(ctx, n, 1);
  return mote_vk_is_f32(mote_node_input(ctx, n, 0)) && (!shape || shape->is_constant);
}

static mote_status reshape_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const size_t count = mote_node_output(ctx, n, 0)->num_elements;
  return emit_copy(e, n->inputs[0], n->outputs[0], 1, count, count, 0, MOTE_ACT_NONE);
}

typedef struct {
  uint32_t total;
  int32_t rank, mode;
  float value;
  int32_t out_dims[DATA_MAX_RANK], in_dims[DATA_MAX_RANK], before[DATA_MAX_RANK];
} pad_push;

static bool pad_supported(mote_context* ctx, const mote_node* n) {
  const mote_pad_params* p = mote_op_pad_params(n);
  for (int32_t i = 1; i < n->num_inputs; i++) {
    const mote_tensor* t = mote_node_input(ctx, n, i);
    if (t && !t->is_constant) return false;  // pads / value given at run time
  }
  return p && p->rank <= DATA_MAX_RANK && p->elem_size == 4 && mote_vk_is_f32(mote_node_input(ctx, n, 0));
}

static mote_status pad_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_pad_params* p = mote_op_pad_params(n);
  pad_push pc = {.total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements, .rank = p->rank, .mode = p->mode};
  memcpy(&pc.value, p->value, sizeof pc.value);
  for (int32_t d = 0; d < p->rank; d++) {
    pc.out_dims[d] = (int32_t)p->out_dims[d];
    pc.in_dims[d] = (int32_t)p->in_dims[d];
    pc.before[d] = (int32_t)p->before[d];
  }
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_PAD, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

typedef struct {
  uint32_t total;
  int32_t rank;
  int32_t out_dims[DATA_MAX_RANK], in_strides[DATA_MAX_RANK];
} transpose_push;

static bool transpose_supported(mote_context* ctx, const mote_node* n) {
  const mote_transpose_params* p = mote_op_transpose_params(n);
  return p && p->rank <= DATA_MAX_RANK && p->elem_size == 4 && mote_vk_is_f32(mote_node_input(ctx, n, 0));
}

static mote_status transpose_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_transpose_params* p = mote_op_transpose_params(n);
  transpose_push pc = {.total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements, .rank = p->rank};
  for (int32_t d = 0; d < p->rank; d++) {
    pc.out_dims[d] = (int32_t)p->out_dims[d];
    pc.in_strides[d] = (int32_t)p->in_strides[d];
  }
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_TRANSPOSE, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

typedef struct {
  uint32_t total;
  int32_t in_h, in_w, c, out_h, out_w, taps, same;
} resize_push;

static bool resize_supported(mote_context* ctx, const mote_node* n) {
  const int32_t* idx;
  const float* wt;
  return mote_op_resize_tables(n, &idx, &wt) && mote_vk_is_f32(mote_node_input(ctx, n, 0));
}

static mote_status resize_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const int32_t* idx;
  const float* wt;
  const mote_resize_params* p = mote_op_resize_tables(n, &idx, &wt);
  const int32_t taps = mote_ref_resize_taps(p->mode);
  const size_t entries = ((size_t)p->out_h + (size_t)p->out_w) * (size_t)taps;
  const resize_push pc = {.total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements, .in_h = p->in_h,
                          .in_w = p->in_w, .c = p->c, .out_h = p->out_h, .out_w = p->out_w, .taps = taps,
                          .same = p->in_h == p->out_h && p->in_w == p->out_w};
  mote_vk_dispatch d;
  MOTE_TRY(mote_vk_dispatch_init(&d, MOTE_VK_SHADER_RESIZE, &pc, sizeof pc));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[0], &d.bind[0]));
  MOTE_TRY(mote_vk_bind_data(e, idx, entries * sizeof *idx, &d.bind[1]));
  MOTE_TRY(mote_vk_bind_data(e, wt, entries * sizeof *wt, &d.bind[2]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->outputs[0], &d.bind[3]));
  (void)ctx;
  return mote_vk_emit(e, &d);
}

static const mote_vk_op k_concat = {concat_supported, concat_encode};
static const mote_vk_op k_reshape = {reshape_supported, reshape_encode};
static const mote_vk_op k_pad = {pad_supported, pad_encode};
static const mote_vk_op k_transpose = {transpose_supported, transpose_encode};
static const mote_vk_op k_resize = {resize_supported, resize_encode};

const mote_vk_op* mote_vk_data_op(int32_t opcode) {
  switch (opcode) {
    case MOTE_OP_CONCATENATION: return &k_concat;
    case MOTE_OP_RESHAPE: return &k_reshape;
    case MOTE_OP_PAD: return &k_pad;
    case MOTE_OP_TRANSPOSE: return &k_transpose;
    case MOTE_OP_RESIZE: return &k_resize;
    default: return NULL;
  }
}
