// The interpreter's layout, shared by interpreter.c and partition.c (and the C tests).
#ifndef MOTE_CORE_INTERPRETER_INTERNAL_H
#define MOTE_CORE_INTERPRETER_INTERNAL_H

#include <stdatomic.h>

#include "core/delegate.h"
#include "core/model.h"
#include "core/threadpool.h"
#include "core/types.h"

struct mote_interpreter {
  const mote_model* model;
  mote_context ctx;       // ctx.tensors: this interpreter's copy of the tensors
  mote_node* nodes;       // copy of the model's nodes (user_data, scratch_size are ours)
  int32_t num_nodes;
  int32_t num_prepared;   // nodes whose prepare ran: free_data is called for these
  void* arena;
  atomic_bool busy;
  // execution plan: steps[i] >= 0 runs that node on the CPU; -1 - k runs partition k
  int32_t* steps;
  int32_t num_steps;
  mote_delegate* delegate;  // not owned: its creator destroys it after the interpreter
  mote_partition* partitions;
  int32_t num_partitions;
};

// Offer the graph to `delegate`: maximal runs of consecutive supported nodes
// become partitions, each handed to delegate->prepare; invoke then runs them on
// the delegate. If the delegate declines (fewer than min_ops claimed, or more
// than max_partitions runs) the interpreter stays on the CPU and this returns
// MOTE_OK. If a partition's prepare fails, the status is returned and the
// interpreter stays on the CPU. At most one delegate per interpreter.
mote_status mote_interpreter_apply_delegate(mote_interpreter* interp, mote_delegate* delegate);

// Free the partitions (called by mote_interpreter_free).
void mote_interpreter_release_delegate(mote_interpreter* interp);

#endif  // MOTE_CORE_INTERPRETER_INTERNAL_H
