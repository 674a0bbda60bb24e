// The arena planner the runtime runs when an input is resized: the same
// lifetime-aware best fit as the converter's (converter/planner.py), so a plan
// made here for the file's shapes equals the plan in the file.
#ifndef MOTE_CORE_PLANNER_H
#define MOTE_CORE_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

// The graph the planner reads (tensors by index; nodes in execution order).
typedef struct mote_plan_graph {
  const mote_tensor* tensors;
  int32_t num_tensors;
  const mote_node* nodes;
  int32_t num_nodes;
  const int32_t* inputs;
  int32_t num_inputs;
  const int32_t* outputs;
  int32_t num_outputs;
} mote_plan_graph;

// Offsets (64-byte aligned) for every non-constant tensor, into offsets[t]
// (constants get 0), and the arena size. Tensors are placed largest first, each
// into the smallest gap between the placed tensors whose lifetimes overlap its
// own, else after them. Inputs live from before the first op to the end,
// outputs to the end. Fails (with a message) on overflow or out of memory.
mote_status mote_plan_arena(const mote_plan_graph* g, size_t* offsets, size_t* arena_size);

#endif  // MOTE_CORE_PLANNER_H
