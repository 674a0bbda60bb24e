// LSTM / GRU shared parts: shape checks against ONNX's layouts, and the time
// loop over directions and steps. State (h twice, for the step that reads the
// previous h while writing the next; c or GRU's gate buffers) lives in scratch.
#include "ops/rnn_common.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ops/op_common.h"

enum { IN_X, IN_W, IN_R, IN_B, IN_LENS, IN_H0, IN_C0, IN_P };

static mote_status optional_f32(mote_context* ctx, const mote_node* node, int32_t i, int32_t rank,
                                const int32_t* dims, const char* what) {
  const mote_tensor* t = mote_node_input(ctx, node, i);
  if (!t) return MOTE_OK;
  MOTE_TRY(mote_op_check_dtype(node, t, MOTE_FLOAT32, what));
  return mote_op_check_shape(node, t, rank, dims, what);
}

mote_status mote_rnn_prepare(mote_context* ctx, mote_node* node, bool lstm) {
  const mote_op_options* opts;
  mote_tensor *x, *w, *r;
  MOTE_TRY(mote_op_check_counts(node, 3, lstm ? 8 : 6, lstm ? 3 : 2));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_RNN, NULL, &opts));  // hidden_size has no default
  const mote_rnn_options* o = &opts->u.rnn;
  if (o->hidden_size < 1 || o->hidden_size > INT32_MAX / 8)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "hidden_size %d (must be >= 1)", o->hidden_size);
  if ((unsigned)o->direction > MOTE_RNN_BIDIRECTIONAL)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown direction %d", (int)o->direction);
  if (!(isfinite(o->clip) && o->clip >= 0.0f))
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "clip %g (must be >= 0; 0: none)", (double)o->clip);
  if (lstm ? o->linear_before_reset : o->input_forget)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s is not an option of this op",
                           lstm ? "linear_before_reset" : "input_forget");
  MOTE_TRY(mote_op_input(ctx, node, IN_X, &x));
  MOTE_TRY(mote_op_input(ctx, node, IN_W, &w));
  MOTE_TRY(mote_op_input(ctx, node, IN_R, &r));
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "X"));
  MOTE_TRY(mote_op_check_dtype(node, w, MOTE_FLOAT32, "W"));
  MOTE_TRY(mote_op_check_dtype(node, r, MOTE_FLOAT32, "R"));
  MOTE_TRY(mote_op_check_rank(node, x, 3, "X"));
  const int32_t seq = x->dims[0], batch = x->dims[1], in = x->dims[2], hid = o->hidden_size;
  const int32_t dirs = o->direction == MOTE_RNN_BIDIRECTIONAL ? 2 : 1, gates = lstm ? 4 : 3;
  MOTE_TRY(mote_op_check_shape(node, w, 3, (int32_t[]){dirs, gates * hid, in}, "W"));
  MOTE_TRY(mote_op_check_shape(node, r, 3, (int32_t[]){dirs, gates * hid, hid}, "R"));
  MOTE_TRY(optional_f32(ctx, node, IN_B, 2, (int32_t[]){dirs, 2 * gates * hid}, "B"));
  const mote_tensor* lens = mote_node_input(ctx, node, IN_LENS);
  if (lens) {
    if (lens->dtype != MOTE_INT32 && lens->dtype != MOTE_INT64)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "sequence_lens must be int32 or int64");
    MOTE_TRY(mote_op_check_shape(node, lens, 1, &batch, "sequence_lens"));
  }
  const int32_t state_dims[3] = {dirs, batch, hid};
  MOTE_TRY(optional_f32(ctx, node, IN_H0, 3, state_dims, "initial_h"));
  if (lstm) {
    MOTE_TRY(optional_f32(ctx, node, IN_C0, 3, state_dims, "initial_c"));
    MOTE_TRY(optional_f32(ctx, node, IN_P, 2, (int32_t[]){dirs, 3 * hid}, "P"));
  }
  for (int32_t i = 0; i < node->num_outputs; i++) {
    mote_tensor* y;
    MOTE_TRY(mote_op_output(ctx, node, i, &y));
    MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, i == 0 ? "Y" : (i == 1 ? "Y_h" : "Y_c")));
    if (i == 0)
      MOTE_TRY(mote_op_check_shape(node, y, 4, (int32_t[]){seq, dirs, batch, hid}, "Y"));
    else
      MOTE_TRY(mote_op_check_shape(node, y, 3, state_dims, i == 1 ? "Y_h" : "Y_c"));
  }

  // scratch: h twice, then c (LSTM) or z and r·h (GRU), then the lengths
  const size_t bh = (size_t)batch * (size_t)hid, planes = lstm ? 3 : 4;
  if (bh > (SIZE_MAX / sizeof(float) - (size_t)batch) / planes)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "state of %d x %d is too large", batch, hid);
  node->scratch_size = planes * bh * sizeof(float) + (size_t)batch * sizeof(int32_t);
  mote_rnn_state* s;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *s, (void**)&s));
  *s = (mote_rnn_state){
      .p = {.batch = batch, .input = in, .hidden = hid, .clip = o->clip, .input_forget = o->input_forget,
            .linear_before_reset = o->linear_before_reset},
      .seq = seq, .dirs = dirs, .lstm = lstm, .reverse_only = o->direction == MOTE_RNN_REVERSE};
  return MOTE_OK;
}

// sequence_lens into lens_buf; NULL when every row runs the whole sequence
static mote_status read_lengths(const mote_node* node, const mote_tensor* t, int32_t batch, int32_t seq,
                                int32_t* lens_buf, const int32_t** out) {
  *out = NULL;
  if (!t) return MOTE_OK;
  bool full = true;
  for (int32_t b = 0; b < batch; b++) {
    const int64_t v = t->dtype == MOTE_INT32 ? ((const int32_t*)t->data)[b] : ((const int64_t*)t->data)[b];
    if (v < 0 || v > seq)
      return mote_node_error(node, MOTE_ERROR_RUNTIME, "sequence_lens[%d] = %lld is outside [0, %d]", (int)b,
                             (long long)v, (int)seq);
    lens_buf[b] = (int32_t)v;
    full = full && v == seq;
  }
  if (!full) *out = lens_buf;
  return MOTE_OK;
}

static void load_state(float* dst, const mote_tensor* init, size_t offset, size_t n) {
  if (init)
    memcpy(dst, (const float*)init->data + offset, n * sizeof *dst);
  else
    memset(dst, 0, n * sizeof *dst);
}

mote_status mote_rnn_eval(mote_context* ctx, mote_node* node, mote_rnn_step_fn step_fn) {
  const mote_rnn_state* s = node->user_data;
  if (!s) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  if (node->scratch_size && (node->scratch_size > ctx->scratch_size || !ctx->scratch))
    return mote_node_error(node, MOTE_ERROR_RUNTIME, "needs %zu bytes of scratch, has %zu", node->scratch_size,
                           ctx->scratch_size);
  const mote_rnn_params* p = &s->p;
  const size_t batch = (size_t)p->batch, in = (size_t)p->input, hid = (size_t)p->hidden, bh = batch * hid;
  const size_t gates = s->lstm ? 4 : 3;
  float* h_a = ctx->scratch;
  float* h_b = h_a + bh;
  float* st = h_b + bh;  // LSTM: c; GRU: z, then r·h
  int32_t* lens_buf = (int32_t*)(st + (s->lstm ? 1 : 2) * bh);
  const mote_tensor* x = mote_node_input(ctx, node, IN_X);
  const mote_tensor* bias = mote_node_input(ctx, node, IN_B);
  const mote_tensor* h0 = mote_node_input(ctx, node, IN_H0);
  const mote_tensor* c0 = s->lstm ? mote_node_input(ctx, node, IN_C0) : NULL;
  const mote_tensor* peep = s->lstm ? mote_node_input(ctx, node, IN_P) : NULL;
  float* y = mote_node_output(ctx, node, 0)->data;
  float* y_h = mote_node_output(ctx, node, 1)->data;
  float* y_c = s->lstm ? mote_node_output(ctx, node, 2)->data : NULL;
  const int32_t* lens;
  MOTE_TRY(read_lengths(node, mote_node_input(ctx, node, IN_LENS), p->batch, s->seq, lens_buf, &lens));
  if (bh == 0) return MOTE_OK;  // an empty batch: no state (and no scratch) at all

  for (int32_t d = 0; d < s->dirs; d++) {
    const bool reverse = s->reverse_only || d == 1;
    const size_t rows = gates * hid;
    mote_rnn_step step = {
        .ctx = ctx, .p = p,
        .w = (const float*)mote_node_input(ctx, node, IN_W)->data + (size_t)d * rows * in,
        .r = (const float*)mote_node_input(ctx, node, IN_R)->data + (size_t)d * rows * hid,
        .b = bias ? (const float*)bias->data + (size_t)d * 2 * rows : NULL,
        .peep = peep ? (const float*)peep->data + (size_t)d * 3 * hid : NULL,
        .c = s->lstm ? st : NULL, .z = s->lstm ? NULL : st, .rh = s->lstm ? NULL : st + bh, .lens = lens};
    float *cur = h_a, *next = h_b;
    load_state(cur, h0, (size_t)d * bh, bh);
    if (s->lstm) load_state(st, c0, (size_t)d * bh, bh);
    for (int32_t i = 0; i < s->seq; i++) {
      const int32_t t = reverse ? s->seq - 1 - i : i;
      step.t = t;
      step.x_t = (const float*)x->data + (size_t)t * batch * in;
      step.y_t = y + ((size_t)t * (size_t)s->dirs + (size_t)d) * bh;
      step.h_prev = cur;
      step.h_next = next;
      step_fn(&step);
      float* tmp = cur;
      cur = next, next = tmp;
    }
    memcpy(y_h + (size_t)d * bh, cur, bh * sizeof *cur);
    if (y_c) memcpy(y_c + (size_t)d * bh, st, bh * sizeof *st);
    // a row of length 0 ends with zero state, not its initial one (as ONNX Runtime)
    for (size_t b = 0; lens && b < batch; b++) {
      if (lens[b] != 0) continue;
      memset(y_h + (size_t)d * bh + b * hid, 0, hid * sizeof *y_h);
      if (y_c) memset(y_c + (size_t)d * bh + b * hid, 0, hid * sizeof *y_c);
    }
  }
  return MOTE_OK;
}
