// LSTM: ONNX semantics (gates i, o, f, c; peepholes; input_forget; clip). The
// time loop is rnn_common.c's; each step splits the hidden units over threads.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/rnn_common.h"

static void lstm_units(void* arg, size_t j0, size_t j1) {
  const mote_rnn_step* s = arg;
  mote_ref_lstm_step_f32(s->p, s->x_t, s->w, s->r, s->b, s->peep, s->h_prev, s->h_next, s->c, s->y_t, s->lens,
                         s->t, j0, j1);
}

static void lstm_step(const mote_rnn_step* s) {
  const size_t unit_cost = (size_t)s->p->batch * 4 * ((size_t)s->p->input + (size_t)s->p->hidden);
  mote_op_parallel(s->ctx, lstm_units, (void*)s, (size_t)s->p->hidden, unit_cost);
}

mote_status mote_op_lstm_prepare(mote_context* ctx, mote_node* node) { return mote_rnn_prepare(ctx, node, true); }

mote_status mote_op_lstm_eval(mote_context* ctx, mote_node* node) { return mote_rnn_eval(ctx, node, lstm_step); }
