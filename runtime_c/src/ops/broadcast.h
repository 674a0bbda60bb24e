// numpy broadcasting of two shapes (binary ops, batch matmul's batch dims) and
// of up to three operands onto an output (the breadth elementwise ops).
#ifndef MOTE_OPS_BROADCAST_H
#define MOTE_OPS_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"
#include "ref/ref_elementwise2.h"

// dims of the broadcast of a and b (rank max(ra, rb)); false if incompatible
bool mote_broadcast_shape(int32_t ra, const int32_t* da, int32_t rb, const int32_t* db, int32_t* rank,
                          int32_t* dims);

// element strides of a tensor (rank r, dims d, contiguous) aligned to the
// right of an `out_rank` shape: 0 on broadcast (size 1) and missing dims
void mote_broadcast_strides(int32_t r, const int32_t* d, int32_t out_rank, size_t* strides);

// Merge dims that both stride patterns walk as one (and drop size-1 dims)
// so kernels run long inner loops. Returns the new rank (>= 1).
int32_t mote_coalesce2(int32_t rank, size_t* dims, size_t* sa, size_t* sb);
// the same for n stride patterns (strides[k] for operand k)
int32_t mote_coalesce(int32_t rank, size_t* dims, int32_t n, size_t* const* strides);

// prepare helper: the n (1..3) inputs must broadcast together, and y's shape
// must equal the result (mote_op_check_shape: set while shapes propagate);
// fills the coalesced layout with the inputs as operands 0..n-1
mote_status mote_broadcast_prepare(const mote_node* node, int32_t n, const mote_tensor* const* ins,
                                   const mote_tensor* y, mote_bcast_layout* layout);

#endif  // MOTE_OPS_BROADCAST_H
