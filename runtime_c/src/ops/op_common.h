// Helpers shared by the op files: checks for prepare (each reports a clear
// error through mote_node_error) and the thread split for eval.
#ifndef MOTE_OPS_OP_COMMON_H
#define MOTE_OPS_OP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/options.h"
#include "core/types.h"

// return the status of `expr` when it fails
#define MOTE_TRY(expr)                 \
  do {                                 \
    const mote_status try_st_ = (expr); \
    if (try_st_ != MOTE_OK) return try_st_; \
  } while (0)

// The node's options of `type`. A node without options gets `defaults`
// (NULL: the op needs them and it is an error).
mote_status mote_op_options_of(const mote_node* node, mote_options_type type, const mote_op_options* defaults,
                               const mote_op_options** out);

// inputs in [min_inputs, max_inputs], exactly num_outputs outputs
mote_status mote_op_check_counts(const mote_node* node, int32_t min_inputs, int32_t max_inputs,
                                 int32_t num_outputs);

// Required input i (absent: error); optional inputs use mote_node_input.
mote_status mote_op_input(mote_context* ctx, const mote_node* node, int32_t i, mote_tensor** out);
// Output i, which must not be a constant (its data may be read-only memory).
mote_status mote_op_output(mote_context* ctx, const mote_node* node, int32_t i, mote_tensor** out);

mote_status mote_op_check_dtype(const mote_node* node, const mote_tensor* t, mote_dtype dtype, const char* what);
mote_status mote_op_check_rank(const mote_node* node, const mote_tensor* t, int32_t rank, const char* what);
// t's dims must equal `dims` (the shape the op computes); the message shows both.
// While shapes propagate (below) and t is an output of `node`, t takes `dims` instead.
mote_status mote_op_check_shape(const mote_node* node, const mote_tensor* t, int32_t rank, const int32_t* dims,
                                const char* what);

// Shape propagation for mote_interpreter_resize_input: from a call with the
// interpreter's tensor array until a call with NULL, on this thread,
// mote_op_check_shape sets an output tensor of the node being prepared to the
// shape the op computes (dims, num_elements, bytes; refusing overflow) instead
// of comparing. Inputs, constants and ops that compare dims themselves still
// compare: such an op makes the resize fail, never run on stale shapes.
void mote_op_propagate_shapes(mote_tensor* tensors);
// fused activation in range; anything but NONE needs float32
mote_status mote_op_check_activation(const mote_node* node, mote_activation act, mote_dtype dtype);
void mote_op_activation_range(mote_activation act, float* lo, float* hi);

// "[1,2,3]" into buf (at least MOTE_SHAPE_STR_LEN bytes)
#define MOTE_SHAPE_STR_LEN 128
const char* mote_shape_str(char* buf, int32_t rank, const int32_t* dims);

// Run fn over [0, n) split into up to ctx->num_threads contiguous ranges.
// item_cost (about the multiply-adds per item) keeps small jobs on one
// thread, where waking the pool would cost more than it saves.
typedef void (*mote_range_fn)(void* arg, size_t begin, size_t end);
void mote_op_parallel(mote_context* ctx, mote_range_fn fn, void* arg, size_t n, size_t item_cost);
// the least work per task (a few microseconds of scalar code); tests set 1 to split even tiny jobs
extern size_t mote_op_min_task_cost;

// prepare helper: zeroed per-node state of `size` bytes in node->user_data
// (kept if prepare runs again), freed by mote_op_free_user_data.
mote_status mote_op_alloc_user_data(mote_node* node, size_t size, void** out);
void mote_op_free_user_data(mote_context* ctx, mote_node* node);

// Reductions (MEAN, REDUCE_*): resolve `o->axes` against x (negative from the end,
// unique; none means every axis), set reduce[d] for each reduced dim, and check y's
// dims (reduced dims dropped, or kept as 1 with keep_dims).
// A reduction over flagged axes viewed as [outer, red, inner]: false unless the reduced axes
// (ignoring size-1 ones) form one contiguous block. dims as sizes, `rank` entries.
bool mote_reduce_block(int32_t rank, const size_t* dims, const bool* reduce, size_t* outer, size_t* red,
                       size_t* inner);

mote_status mote_op_reduce_axes(const mote_node* node, const mote_tensor* x, const mote_tensor* y,
                                const mote_reduce_options* o, bool reduce[MOTE_MAX_RANK]);

#endif  // MOTE_OPS_OP_COMMON_H
