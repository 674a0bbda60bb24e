// The in-memory model: the verified contents of a .mote file. Immutable after
// load; interpreters copy the tensors and nodes they need to change.
#ifndef MOTE_CORE_MODEL_H
#define MOTE_CORE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

struct mote_model {
  // the file's bytes (64-byte aligned): mapped or owned
  const uint8_t* bytes;
  size_t size;
  bool mapped;

  // main subgraph (0). Tensor templates: constants point into `bytes`,
  // non-constant ones have data == NULL and an arena offset.
  int32_t num_tensors;
  mote_tensor* tensors;
  size_t* arena_offsets;  // per tensor; meaningful for non-constant tensors
  int32_t num_nodes;
  mote_node* nodes;  // user_data NULL, scratch_size 0; arrays owned below
  mote_op_options* node_options;
  int32_t num_inputs;
  int32_t* inputs;
  int32_t num_outputs;
  int32_t* outputs;
  size_t arena_size;

  int32_t num_metadata;
  const char** metadata_keys;  // strings point into `bytes`
  const char** metadata_values;
};

// Parse and verify `m->bytes[0, m->size)` into `m` (whose other fields are zero).
// On failure returns the status with the message set; mote_model_release frees
// whatever was filled in.
mote_status mote_model_parse(mote_model* m);

// Verify the graph (topological order, single producers, I/O) and the memory
// plan (overlapping arena ranges have disjoint lifetimes). Called by parse.
mote_status mote_model_verify_graph(const mote_model* m);
mote_status mote_model_verify_plan(const mote_model* m);

// Free everything parse allocated (not the bytes).
void mote_model_release(mote_model* m);

#endif  // MOTE_CORE_MODEL_H
