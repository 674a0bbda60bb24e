// Vulkan encoders for the elementwise ops: activations, unary math, and the binary ops with
// broadcasting (rank <= 6) and fused activation, all float32.
#include <math.h>

#include "core/internal.h"
#include "ops/op_common.h"
#include "core/ops.h"
#include "delegate/vulkan/vk_ops.h"

// the op codes of shaders/unary.comp
enum {
  U_RELU, U_RELU6, U_CLIP, U_LEAKY_RELU, U_LOGISTIC, U_TANH, U_HARD_SWISH, U_GELU, U_GELU_TANH, U_EXP, U_LOG,
  U_SQRT, U_RSQRT, U_ABS, U_NEG, U_RECIPROCAL, U_FLOOR, U_CEIL, U_ROUND, U_ERF, U_SOFTPLUS, U_SWISH, U_MISH,
  U_HARD_SIGMOID, U_SIN, U_COS
};

typedef struct {
  uint32_t total;
  int32_t op;
  float alpha, beta, lo, hi;
} unary_push;

// -1: not a unary op the shader has
static int32_t unary_code(const mote_node* n, unary_push* pc) {
  const mote_op_options* o = n->options;
  switch (n->opcode) {
    case MOTE_OP_RELU: return U_RELU;
    case MOTE_OP_RELU6: return U_RELU6;
    case MOTE_OP_CLIP:
      pc->lo = o && o->type == MOTE_OPTIONS_CLIP ? o->u.clip.min : -INFINITY;
      pc->hi = o && o->type == MOTE_OPTIONS_CLIP ? o->u.clip.max : INFINITY;
      return U_CLIP;
    case MOTE_OP_LEAKY_RELU:
      pc->alpha = o && o->type == MOTE_OPTIONS_LEAKY_RELU ? o->u.leaky_relu.alpha : 0.01f;
      return U_LEAKY_RELU;
    case MOTE_OP_LOGISTIC: return U_LOGISTIC;
    case MOTE_OP_TANH: return U_TANH;
    case MOTE_OP_HARD_SWISH: return U_HARD_SWISH;
    case MOTE_OP_GELU: return o && o->type == MOTE_OPTIONS_GELU && o->u.gelu.approximate ? U_GELU_TANH : U_GELU;
    case MOTE_OP_EXP: return U_EXP;
    case MOTE_OP_LOG: return U_LOG;
    case MOTE_OP_SQRT: return U_SQRT;
    case MOTE_OP_RSQRT: return U_RSQRT;
    case MOTE_OP_ABS: return U_ABS;
    case MOTE_OP_NEG: return U_NEG;
    case MOTE_OP_RECIPROCAL: return U_RECIPROCAL;
    case MOTE_OP_FLOOR: return U_FLOOR;
    case MOTE_OP_CEIL: return U_CEIL;
    case MOTE_OP_ROUND: return U_ROUND;
    case MOTE_OP_ERF: return U_ERF;
    case MOTE_OP_SOFTPLUS: return U_SOFTPLUS;
    case MOTE_OP_SWISH: return U_SWISH;
    case MOTE_OP_MISH: return U_MISH;
    case MOTE_OP_HARD_SIGMOID:
      pc->alpha = o && o->type == MOTE_OPTIONS_HARD_SIGMOID ? o->u.hard_sigmoid.alpha : 0.2f;
      pc->beta = o && o->type == MOTE_OPTIONS_HARD_SIGMOID ? o->u.hard_sigmoid.beta : 0.5f;
      return U_HARD_SIGMOID;
    case MOTE_OP_SIN: return U_SIN;
    case MOTE_OP_COS: return U_COS;
    default: return -1;
  }
}

static bool unary_supported(mote_context* ctx, const mote_node* n) {
  unary_push pc = {0};
  return unary_code(n, &pc) >= 0 && n->num_inputs == 1 && mote_vk_is_f32(mote_node_input(ctx, n, 0));
}

static mote_status unary_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  unary_push pc = {.total = (uint32_t)mote_node_output(ctx, n, 0)->num_elements};
  pc.op = unary_code(n, &pc);
  return mote_vk_emit_in_out(e, MOTE_VK_SHADER_UNARY, &pc, sizeof pc, n->inputs[0], n->outputs[0]);
}

#define BINARY_MAX_RANK 6

typedef struct {
  uint32_t total;
  int32_t op, rank;
  int32_t dims[BINARY_MAX_RANK], a_strides[BINARY_MAX_RANK], b_strides[BINARY_MAX_RANK];
  float act_min, act_max;
} binary_push;

static int32_t binary_code(int32_t opcode) {
  switch (opcode) {
    case MOTE_OP_ADD: return 0;
    case MOTE_OP_SUB: return 1;
    case MOTE_OP_MUL: return 2;
    case MOTE_OP_DIV: return 3;
    case MOTE_OP_POW: return 4;
    case MOTE_OP_MINIMUM: return 5;
    case MOTE_OP_MAXIMUM: return 6;
    case MOTE_OP_PRELU: return 7;
    default: return -1;
  }
}

// numpy broadcasting of `x` to the output shape: element strides, 0 along broadcast dims
static bool broadcast_strides(const mote_tensor* x, const mote_tensor* y, int32_t* strides) {
  if (x->rank > y->rank) return false;
  int64_t stride = 1;
  for (int32_t d = y->rank - 1; d >= 0; d--) {
    const int32_t xd = d - (y->rank - x->rank);
    const int32_t dim = xd >= 0 ? x->dims[xd] : 1;
    if (dim != 1 && dim != y->dims[d]) return false;
    strides[d] = dim == 1 ? 0 : (int32_t)stride;
    stride *= dim;
  }
  return true;
}

static bool binary_supported(mote_context* ctx, const mote_node* n) {
  const mote_tensor *a = mote_node_input(ctx, n, 0), *b = mote_node_input(ctx, n, 1), *y = mote_node_output(ctx, n, 0);
  int32_t s[MOTE_MAX_RANK];
  return binary_code(n->opcode) >= 0 && n->num_inputs == 2 && mote_vk_is_f32(a) && mote_vk_is_f32(b) &&
         y->rank <= BINARY_MAX_RANK && broadcast_strides(a, y, s) && broadcast_strides(b, y, s);
}

static mote_status binary_encode(mote_vk_encoder* e, mote_context* ctx, const mote_node* n) {
  const mote_tensor *a = mote_node_input(ctx, n, 0), *b = mote_node_input(ctx, n, 1), *y = mote_node_output(ctx, n, 0);
  binary_push pc = {.total = (uint32_t)y->num_elements, .op = binary_code(n->opcode), .rank = y->rank};
  for (int32_t d = 0; d < y->rank; d++) pc.dims[d] = y->dims[d];
  broadcast_strides(a, y, pc.a_strides);
  broadcast_strides(b, y, pc.b_strides);
  const mote_op_options* o = n->options;
  mote_vk_act_range(o && o->type == MOTE_OPTIONS_BINARY ? o->u.binary.activation : MOTE_ACT_NONE, &pc.act_min,
                    &pc.act_max);
  if (y->rank == 0) pc.rank = 0;
  mote_vk_dispatch d;
  MOTE_TRY(mote_vk_dispatch_init(&d, MOTE_VK_SHADER_BINARY, &pc, sizeof pc));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[0], &d.bind[0]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->inputs[1], &d.bind[1]));
  MOTE_TRY(mote_vk_bind_tensor(e, n->outputs[0], &d.bind[3]));
  return mote_vk_emit(e, &d);
}

static const mote_vk_op k_unary = {unary_supported, unary_encode};
static const mote_vk_op k_binary = {binary_supported, binary_encode};

const mote_vk_op* mote_vk_elementwise_op(int32_t opcode) {
  if (binary_code(opcode) >= 0) return &k_binary;
  mote_node probe = {.opcode = opcode};
  unary_push pc = {0};
  return unary_code(&probe, &pc) >= 0 ? &k_unary : NULL;
}
