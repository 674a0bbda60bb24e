// Delegate interface (DESIGN.md §6). A delegate claims ops; the interpreter
// partitions the graph into maximal runs of claimed ops (in execution order),
// hands each run to `prepare`, and at invoke runs the partitions on the
// delegate and everything else on the CPU. Inputs of a partition are in the
// arena when `invoke` is called; its outputs must be in the arena when it returns.
// mote.h exposes a delegate as an opaque handle (created by e.g.
// mote_vulkan_delegate_create); this vtable stays internal so that the node and
// tensor structs are not part of the ABI. The C tests drive it with a test delegate.
#ifndef MOTE_CORE_DELEGATE_H
#define MOTE_CORE_DELEGATE_H

#include "core/types.h"

typedef struct mote_delegate mote_delegate;

typedef struct mote_partition {
  int32_t first_node;           // index into the interpreter's nodes
  int32_t num_nodes;            // consecutive nodes [first_node, first_node + num_nodes)
  void* state;                  // set by the delegate's prepare
  // boundary tensors (set by the partitioner before prepare): non-constant tensors the
  // partition reads but does not produce (in the arena before invoke), and tensors it
  // produces that nodes outside it or the model's outputs read (to the arena by invoke)
  int32_t num_inputs, num_outputs;
  int32_t* inputs;
  int32_t* outputs;
} mote_partition;

struct mote_delegate {
  const char* name;
  const char* device;           // what it runs on, for reports ("" if nothing to say)
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
