// SOFTMAX on int8: dequantize, softmax in float (max subtracted), quantize to the output's
// params (TFLite fixes them at scale 1/256, zero point -128) rounding half away from zero.
#include <math.h>

#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/q8_ops.h"
#include "ops/quant_common.h"

static const mote_op_options k_defaults = {.type = MOTE_OPTIONS_SOFTMAX, .u.softmax = {.axis = -1, .beta = 1.0f}};

typedef struct {
  size_t outer, axis, inner;
  float in_scale, out_scale, beta;
  int32_t in_zp, out_zp;
  float table[256];  // exp(beta * s_in * d) for d = q - max in [-255, 0]: index -d
} softmax_q8_state;

mote_status mote_softmax_q8_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_SOFTMAX, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_INT8, "output"));
  MOTE_TRY(mote_op_check_shape(node, y, x->rank, x->dims, "output"));
  if (x->rank < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input must have rank >= 1");
  int32_t axis = opts->u.softmax.axis;
  if (axis < -x->rank || axis >= x->rank)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "axis %d out of range for rank %d", axis, x->rank);
  if (axis < 0) axis += x->rank;
  softmax_q8_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  MOTE_TRY(mote_quant_per_tensor(node, x, "input", &s->in_scale, &s->in_zp));
  MOTE_TRY(mote_quant_per_tensor(node, y, "output", &s->out_scale, &s->out_zp));
  s->outer = s->inner = 1;
  for (int32_t d = 0; d < axis; d++) s->outer *= (size_t)x->dims[d];
  for (int32_t d = axis + 1; d < x->rank; d++) s->inner *= (size_t)x->dims[d];
  s->axis = (size_t)x->dims[axis];
  s->beta = opts->u.softmax.beta;
  for (int d = 0; d < 256; d++) s->table[d] = (float)exp(-(double)s->beta * (double)s->in_scale * d);
  return MOTE_OK;
}

mote_status mote_softmax_q8_eval(mote_context* ctx, mote_node* node) {
  const softmax_q8_state* s = node->user_data;
  const int8_t* x = mote_node_input(ctx, node, 0)->data;
  int8_t* y = mote_node_output(ctx, node, 0)->data;
  for (size_t o = 0; o < s->outer; o++)
    for (size_t i = 0; i < s->inner; i++) {
      const int8_t* xp = x + o * s->axis * s->inner + i;
      int8_t* yp = y + o * s->axis * s->inner + i;
      int32_t mx = -128;
      for (size_t k = 0; k < s->axis; k++) mx = xp[k * s->inner] > mx ? xp[k * s->inner] : mx;
      float sum = 0.0f;
      for (size_t k = 0; k < s->axis; k++) sum += s->table[mx - xp[k * s->inner]];
      const float inv = 1.0f / (sum * s->out_scale);
      for (size_t k = 0; k < s->axis; k++) {
        const int32_t q = (int32_t)roundf(s->table[mx - xp[k * s->inner]] * inv) + s->out_zp;
        yp[k * s->inner] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
      }
    }
  return MOTE_OK;
}
