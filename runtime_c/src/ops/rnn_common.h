// Shared prepare and time loop of LSTM and GRU (ONNX layouts, layout 0: [seq, batch, ...]).
// Inputs: X [seq, batch, in], W [dirs, G*H, in], R [dirs, G*H, H], B [dirs, 2*G*H]?,
// sequence_lens [batch]? (int32/int64), initial_h [dirs, batch, H]?, and for LSTM
// initial_c [dirs, batch, H]?, P [dirs, 3H]?; G = 4 (LSTM) or 3 (GRU).
// Outputs: Y [seq, dirs, batch, H], Y_h [dirs, batch, H] (and LSTM's Y_c likewise).
#ifndef MOTE_OPS_RNN_COMMON_H
#define MOTE_OPS_RNN_COMMON_H

#include <stdbool.h>

#include "core/types.h"
#include "ref/ref_nn.h"

typedef struct mote_rnn_state {
  mote_rnn_params p;
  int32_t seq, dirs;
  bool lstm;
  bool reverse_only;  // direction REVERSE (BIDIRECTIONAL runs direction 1 in reverse)
} mote_rnn_state;

// one time step of one direction, for the op file to run over hidden units
typedef struct mote_rnn_step {
  mote_context* ctx;
  const mote_rnn_params* p;
  const float *x_t, *w, *r, *b, *peep, *h_prev;
  float *h_next, *y_t;
  float *c;          // LSTM cell state [batch, H]
  float *z, *rh;     // GRU gate buffers [batch, H]
  const int32_t* lens;  // NULL: every batch row runs the whole sequence
  int32_t t;
} mote_rnn_step;

typedef void (*mote_rnn_step_fn)(const mote_rnn_step* step);

mote_status mote_rnn_prepare(mote_context* ctx, mote_node* node, bool lstm);
mote_status mote_rnn_eval(mote_context* ctx, mote_node* node, mote_rnn_step_fn step);

#endif  // MOTE_OPS_RNN_COMMON_H
