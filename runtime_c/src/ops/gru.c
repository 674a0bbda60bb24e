// GRU: ONNX semantics (gates z, r, h; linear_before_reset; clip). The time loop
// is rnn_common.c's; a step is two passes over the hidden units (the candidate
// of linear_before_reset = 0 reads r ⊙ h_prev of every unit).
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/rnn_common.h"

static void gru_gate_units(void* arg, size_t j0, size_t j1) {
  const mote_rnn_step* s = arg;
  mote_ref_gru_gates_f32(s->p, s->x_t, s->w, s->r, s->b, s->h_prev, s->z, s->rh, s->lens, s->t, j0, j1);
}

static void gru_update_units(void* arg, size_t j0, size_t j1) {
  const mote_rnn_step* s = arg;
  mote_ref_gru_update_f32(s->p, s->x_t, s->w, s->r, s->b, s->h_prev, s->z, s->rh, s->h_next, s->y_t, s->lens,
                          s->t, j0, j1);
}

static void gru_step(const mote_rnn_step* s) {
  const size_t unit_cost = (size_t)s->p->batch * ((size_t)s->p->input + (size_t)s->p->hidden);
  mote_op_parallel(s->ctx, gru_gate_units, (void*)s, (size_t)s->p->hidden, 2 * unit_cost);
  mote_op_parallel(s->ctx, gru_update_units, (void*)s, (size_t)s->p->hidden, unit_cost);
}

mote_status mote_op_gru_prepare(mote_context* ctx, mote_node* node) { return mote_rnn_prepare(ctx, node, false); }

mote_status mote_op_gru_eval(mote_context* ctx, mote_node* node) { return mote_rnn_eval(ctx, node, gru_step); }
