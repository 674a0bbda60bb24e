// Delegate interface (DESIGN.md §6). A delegate claims ops; the interpreter
// partitions the graph into maximal runs of claimed ops (in execution order),
// hands each run to `prepare`, and at invoke runs the partitions on the
// delegate and everything else on the CPU. Inputs of a partition are in the
// arena when `invoke` is called; its outputs must be in the arena when it returns.
// The public registration call (mote.h) comes with the Vulkan delegate (issue 7);
// the C tests drive this interface with a test delegate.
#ifndef MOTE_CORE_DELEGATE_H
#define MOTE_CORE_DELEGATE_H

#include "core/types.h"

typedef struct mote_delegate mote_delegate;

typedef struct mote_partition {
  int32_t first_node;           // index into the interpreter's nodes
  int32_t num_nodes;            // consecutive nodes [first_node, first_node + num_nodes)
  void* state;                  // set by the delegate's prepare
} mote_partition;

struct mote_delegate {
  const char* name;
  void* impl;
  // may this delegate run `node` (shapes and dtypes are final)?
  bool (*supports_op)(mote_delegate* d, mote_context* ctx, const mote_node* node);
  mote_status (*prepare)(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part);
  mote_status (*invoke)(mote_delegate* d, mote_context* ctx, mote_node* nodes, mote_partition* part);
  void (*free_partition)(mote_delegate* d, mote_partition* part);
  void (*destroy)(mote_delegate* d);
  // fewer ops than this in total on the delegate: it declines the model (copies would dominate)
  int32_t min_ops;
  // more partitions than this: the delegate declines the model
  int32_t max_partitions;
};

#endif  // MOTE_CORE_DELEGATE_H
