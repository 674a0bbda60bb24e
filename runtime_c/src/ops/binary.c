// Binary ops with numpy broadcasting (rank <= 8) and fused activation (float32 only):
// ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM on float32 / int32 / int64; POW, PRELU
// ([x, slope]: x < 0 ? slope * x : x) on float32. Both inputs and the output
// share one dtype (the converter casts ONNX Pow's integer exponents).
// Integer ops wrap on overflow; integer DIV truncates toward zero and defines
// x / 0 = 0 and INT_MIN / -1 = INT_MIN (ref_elementwise2.h) so no input traps.
#include "configs/kernels.h"
#include "core/ops.h"
#include "ops/broadcast.h"
#include "ops/elementwise_common.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_BINARY};

typedef struct {
  mote_dtype dtype;
  mote_binary2_kind kind;
  bool use_table;           // float32 ADD..DIV: the kernel table's binary_f32
  mote_binary_params f32;   // its parameters
  mote_bcast_layout layout; // every other case: the ref_elementwise2 kernels
  float act_min, act_max;
} binary_state;

static mote_status kind_of(const mote_node* node, mote_binary2_kind* kind) {
  switch (node->opcode) {
    case MOTE_OP_ADD: *kind = MOTE_BINARY2_ADD; break;
    case MOTE_OP_SUB: *kind = MOTE_BINARY2_SUB; break;
    case MOTE_OP_MUL: *kind = MOTE_BINARY2_MUL; break;
    case MOTE_OP_DIV: *kind = MOTE_BINARY2_DIV; break;
    case MOTE_OP_POW: *kind = MOTE_BINARY2_POW; break;
    case MOTE_OP_MINIMUM: *kind = MOTE_BINARY2_MINIMUM; break;
    case MOTE_OP_MAXIMUM: *kind = MOTE_BINARY2_MAXIMUM; break;
    case MOTE_OP_PRELU: *kind = MOTE_BINARY2_PRELU; break;
    default: return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "not a binary opcode");
  }
  return MOTE_OK;
}

mote_status mote_op_binary_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_binary_q8_prepare(ctx, node);
  const mote_op_options* opts;
  mote_tensor *a, *b, *y;
  mote_binary2_kind kind = MOTE_BINARY2_ADD;
  MOTE_TRY(kind_of(node, &kind));
  MOTE_TRY(mote_op_check_counts(node, 2, 2, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_BINARY, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &a));
  MOTE_TRY(mote_op_input(ctx, node, 1, &b));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  const bool float_only = kind == MOTE_BINARY2_POW || kind == MOTE_BINARY2_PRELU;
  if (a->dtype != MOTE_FLOAT32 && (float_only || (a->dtype != MOTE_INT32 && a->dtype != MOTE_INT64)))
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "input a ('%s') is %s; this op takes %s", a->name,
                           mote_ew_dtype_name(a->dtype), float_only ? "float32" : "float32, int32 or int64");
  MOTE_TRY(mote_op_check_dtype(node, b, a->dtype, "input b"));
  MOTE_TRY(mote_op_check_dtype(node, y, a->dtype, "output"));
  MOTE_TRY(mote_op_check_activation(node, opts->u.binary.activation, y->dtype));

  binary_state* s;
  mote_bcast_layout layout;
  MOTE_TRY(mote_broadcast_prepare(node, 2, (const mote_tensor* const[]){a, b}, y, &layout));
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  s->dtype = a->dtype;
  s->kind = kind;
  s->layout = layout;
  mote_op_activation_range(opts->u.binary.activation, &s->act_min, &s->act_max);
  s->use_table = a->dtype == MOTE_FLOAT32 && kind <= MOTE_BINARY2_DIV;
  if (s->use_table) {
    static const mote_binary_kind table_kinds[] = {
        [MOTE_BINARY2_ADD] = MOTE_BINARY_ADD, [MOTE_BINARY2_SUB] = MOTE_BINARY_SUB,
        [MOTE_BINARY2_MUL] = MOTE_BINARY_MUL, [MOTE_BINARY2_DIV] = MOTE_BINARY_DIV};
    mote_binary_params* p = &s->f32;
    p->kind = table_kinds[kind];
    p->act_min = s->act_min;
    p->act_max = s->act_max;
    p->rank = layout.rank;
    for (int32_t d = 0; d < layout.rank; d++) {
      p->dims[d] = layout.dims[d];
      p->a_strides[d] = layout.strides[0][d];
      p->b_strides[d] = layout.strides[1][d];
    }
  }
  return MOTE_OK;
}

typedef struct {
  const binary_state* s;
  const void *a, *b;
  void* y;
  size_t inner;  // table path: output elements per index of dim 0
} binary_job;

// the kernel table's binary_f32 takes whole tensors: give each thread a slab of dim 0
static void table_range(void* arg, size_t begin, size_t end) {
  const binary_job* j = arg;
  const mote_binary_params* p = &j->s->f32;
  mote_binary_params q = *p;
  q.dims[0] = end - begin;
  mote_kernels_get()->binary_f32(&q, (const float*)j->a + begin * p->a_strides[0],
                                 (const float*)j->b + begin * p->b_strides[0], (float*)j->y + begin * j->inner);
}

static void layout_range(void* arg, size_t begin, size_t end) {
  const binary_job* j = arg;
  const binary_state* s = j->s;
  switch (s->dtype) {
    case MOTE_FLOAT32:
      mote_ref_binary2_f32(s->kind, &s->layout, j->a, j->b, j->y, s->act_min, s->act_max, begin, end);
      break;
    case MOTE_INT32: mote_ref_binary2_i32(s->kind, &s->layout, j->a, j->b, j->y, begin, end); break;
    case MOTE_INT64: mote_ref_binary2_i64(s->kind, &s->layout, j->a, j->b, j->y, begin, end); break;
    default: break;  // prepare refused it
  }
}

mote_status mote_op_binary_eval(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_binary_q8_eval(ctx, node);
  const binary_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  binary_job j = {s, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                  mote_node_output(ctx, node, 0)->data, 1};
  if (s->use_table) {
    for (int32_t d = 1; d < s->f32.rank; d++) j.inner *= s->f32.dims[d];
    mote_op_parallel(ctx, table_range, &j, s->f32.dims[0], j.inner);
  } else {
    // pow is a libm call per element; the rest a few instructions
    mote_op_parallel(ctx, layout_range, &j, s->layout.count, s->kind == MOTE_BINARY2_POW ? 16 : 1);
  }
  return MOTE_OK;
}
