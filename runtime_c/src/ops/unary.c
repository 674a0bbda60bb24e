// Unary math: EXP, LOG, SQRT, RSQRT, ABS, NEG, RECIPROCAL, FLOOR, CEIL, ROUND
// (half to even), ERF, SOFTPLUS, SWISH, MISH, HARD_SIGMOID (alpha, beta), SIN,
// COS on float32; ABS and NEG also on int32 / int64. Output: the input's dtype
// and shape (may run in place).
#include "configs/kernels.h"
#include "core/ops.h"
#include "ops/elementwise_common.h"
#include "ops/op_common.h"
#include "ref/ref_elementwise2.h"

static const mote_op_options k_hard_sigmoid = {.type = MOTE_OPTIONS_HARD_SIGMOID, .u.hard_sigmoid = {0.2f, 0.5f}};

typedef struct {
  mote_unary2_params p;
  mote_dtype dtype;
} unary_state;

static mote_status params_of(const mote_node* node, mote_unary2_params* p) {
  static const mote_unary2_kind kinds[] = {
      [MOTE_OP_EXP - MOTE_OP_EXP] = MOTE_UNARY2_EXP,
      [MOTE_OP_LOG - MOTE_OP_EXP] = MOTE_UNARY2_LOG,
      [MOTE_OP_SQRT - MOTE_OP_EXP] = MOTE_UNARY2_SQRT,
      [MOTE_OP_RSQRT - MOTE_OP_EXP] = MOTE_UNARY2_RSQRT,
      [MOTE_OP_ABS - MOTE_OP_EXP] = MOTE_UNARY2_ABS,
      [MOTE_OP_NEG - MOTE_OP_EXP] = MOTE_UNARY2_NEG,
      [MOTE_OP_RECIPROCAL - MOTE_OP_EXP] = MOTE_UNARY2_RECIPROCAL,
      [MOTE_OP_FLOOR - MOTE_OP_EXP] = MOTE_UNARY2_FLOOR,
      [MOTE_OP_CEIL - MOTE_OP_EXP] = MOTE_UNARY2_CEIL,
      [MOTE_OP_ROUND - MOTE_OP_EXP] = MOTE_UNARY2_ROUND,
      [MOTE_OP_ERF - MOTE_OP_EXP] = MOTE_UNARY2_ERF,
      [MOTE_OP_SOFTPLUS - MOTE_OP_EXP] = MOTE_UNARY2_SOFTPLUS,
      [MOTE_OP_SWISH - MOTE_OP_EXP] = MOTE_UNARY2_SWISH,
      [MOTE_OP_MISH - MOTE_OP_EXP] = MOTE_UNARY2_MISH,
      [MOTE_OP_HARD_SIGMOID - MOTE_OP_EXP] = MOTE_UNARY2_HARD_SIGMOID,
      [MOTE_OP_SIN - MOTE_OP_EXP] = MOTE_UNARY2_SIN,
      [MOTE_OP_COS - MOTE_OP_EXP] = MOTE_UNARY2_COS,
  };
  if (node->opcode < MOTE_OP_EXP || node->opcode > MOTE_OP_COS)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "not a unary math opcode");
  *p = (mote_unary2_params){.kind = kinds[node->opcode - MOTE_OP_EXP]};
  if (p->kind == MOTE_UNARY2_HARD_SIGMOID) {
    const mote_op_options* o;
    MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_HARD_SIGMOID, &k_hard_sigmoid, &o));
    p->alpha = o->u.hard_sigmoid.alpha;
    p->beta = o->u.hard_sigmoid.beta;
  }
  return MOTE_OK;
}

mote_status mote_op_unary_prepare(mote_context* ctx, mote_node* node) {
  mote_tensor *x, *y;
  mote_unary2_params p;
  MOTE_TRY(params_of(node, &p));
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  const bool int_ok = p.kind == MOTE_UNARY2_ABS || p.kind == MOTE_UNARY2_NEG;
  if (x->dtype != MOTE_FLOAT32 && !(int_ok && (x->dtype == MOTE_INT32 || x->dtype == MOTE_INT64)))
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input ('%s') is %s; this op takes %s", x->name,
                           mote_ew_dtype_name(x->dtype), int_ok ? "float32, int32 or int64" : "float32");
  MOTE_TRY(mote_op_check_dtype(node, y, x->dtype, "output"));
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, x->dims, "output"));
  unary_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  s->p = p;
  s->dtype = x->dtype;
  return MOTE_OK;
}

typedef struct {
  const unary_state* s;
  const void* x;
  void* y;
} unary_job;

static void unary_range(void* arg, size_t begin, size_t end) {
  const unary_job* j = arg;
  const size_t n = end - begin;
  switch (j->s->dtype) {
    case MOTE_FLOAT32: {
      const mote_f32_vunary_ukernel_fn swish = mote_kernels_get()->f32_vswish;
      if (j->s->p.kind == MOTE_UNARY2_SWISH && swish) swish(n, (const float*)j->x + begin, (float*)j->y + begin);
      else mote_ref_unary2_f32(&j->s->p, (const float*)j->x + begin, (float*)j->y + begin, n);
      break;
    }
    case MOTE_INT32:
      mote_ref_unary2_i32(j->s->p.kind, (const int32_t*)j->x + begin, (int32_t*)j->y + begin, n);
      break;
    case MOTE_INT64:
      mote_ref_unary2_i64(j->s->p.kind, (const int64_t*)j->x + begin, (int64_t*)j->y + begin, n);
      break;
    default: break;  // prepare refused it
  }
}

// about the cost of one element next to an add: libm calls cost tens
static size_t item_cost(mote_unary2_kind k) {
  switch (k) {
    case MOTE_UNARY2_ABS:
    case MOTE_UNARY2_NEG:
    case MOTE_UNARY2_FLOOR:
    case MOTE_UNARY2_CEIL:
    case MOTE_UNARY2_ROUND:
    case MOTE_UNARY2_HARD_SIGMOID: return 1;
    case MOTE_UNARY2_SQRT:
    case MOTE_UNARY2_RSQRT:
    case MOTE_UNARY2_RECIPROCAL: return 4;
    default: return 16;
  }
}

mote_status mote_op_unary_eval(mote_context* ctx, mote_node* node) {
  const unary_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* x = mote_node_input(ctx, node, 0);
  unary_job j = {s, x->data, mote_node_output(ctx, node, 0)->data};
  mote_op_parallel(ctx, unary_range, &j, x->num_elements, item_cost(s->p.kind));
  return MOTE_OK;
}
