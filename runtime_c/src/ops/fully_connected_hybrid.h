// FULLY_CONNECTED's dynamic-range path (int8 weights, float input and output).
#ifndef MOTE_OPS_FULLY_CONNECTED_HYBRID_H
#define MOTE_OPS_FULLY_CONNECTED_HYBRID_H

#include <math.h>

#include "core/types.h"
#include "ref/ref.h"

// after FULLY_CONNECTED's common checks; w is the INT8 weight tensor [n, k]
mote_status mote_fc_hybrid_prepare(mote_context* ctx, mote_node* node, const mote_tensor* w, size_t m, size_t k,
                                   size_t n, mote_activation act);
mote_status mote_fc_hybrid_eval(mote_context* ctx, mote_node* node);

#endif  // MOTE_OPS_FULLY_CONNECTED_HYBRID_H
