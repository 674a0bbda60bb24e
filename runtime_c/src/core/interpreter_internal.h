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
  size_t arena_size;      // the model's plan, or the last resize's
  size_t max_arena_bytes; // mote_options cap (0: none), also enforced on resize
  atomic_bool busy;       // set while invoke or resize runs
  bool broken;            // a failed resize could not restore the previous state
  // execution plan: steps[i] >= 0 runs that node on the CPU; -1 - k runs partition k
  int32_t* steps;
  int32_t num_steps;
  mote_delegate* delegate;  // not owned: its creator destroys it after the interpreter
  mote_partition* partitions;
  int32_t num_partitions;
  char report[512];         // mote_interpreter_delegate_report's text
};

// Run every node's prepare in order (node->scratch_size reset first); *scratch:
// the largest scratch a node asked for. Failures name the op and node.
mote_status mote_interpreter_prepare_nodes(mote_interpreter* interp, size_t* scratch);

// free_data for every prepared node (user_data NULL after), so prepare can run afresh
void mote_interpreter_free_node_data(mote_interpreter* interp);

// make sure the thread's message names node `n` (prefixing it if the op did not)
mote_status mote_node_failed(const mote_node* n, mote_status s, const char* phase);

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
