// Reference data-movement kernels of the breadth ops, any dtype by element size.
// SPLIT, SLICE, TILE, BROADCAST_TO and DEPTH_TO_SPACE / SPACE_TO_DEPTH are all
// one strided copy: the output walked in order, each output dim moving the input
// by a fixed (possibly negative or zero) number of elements. GATHER reads rows
// picked by an index tensor. Kernels trust their parameters (prepare proved
// every read in bounds) and compute a range of output rows for threading.
#ifndef MOTE_REF_REF_DATA2_H
#define MOTE_REF_REF_DATA2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

// TILE views each output dim as [multiple, dim]: twice the rank
#define MOTE_STRIDED_MAX_RANK (2 * MOTE_MAX_RANK)

typedef struct mote_strided_copy_params {
  int32_t rank;                             // >= 1 after simplify
  size_t elem_size;                         // bytes per element, >= 1
  size_t dims[MOTE_STRIDED_MAX_RANK];       // output dims, last fastest
  int64_t strides[MOTE_STRIDED_MAX_RANK];   // input elements per step along each output dim
  int64_t offset;                           // input element of output element 0
} mote_strided_copy_params;

// drop unit dims and merge dims that walk the input as one; leaves rank >= 1
void mote_strided_copy_simplify(mote_strided_copy_params* p);
// output rows: the product of all dims but the last
size_t mote_strided_copy_rows(const mote_strided_copy_params* p);
// rows [row_begin, row_end) of the output, each of dims[rank-1] elements
void mote_ref_strided_copy(const mote_strided_copy_params* p, const void* x, void* y, size_t row_begin,
                           size_t row_end);

// data viewed as [outer, axis_len, inner]; output [outer, count, inner]
typedef struct mote_gather_params {
  size_t outer, axis_len, count;
  size_t inner_bytes;  // bytes of one [inner] row
  bool index64;        // indices are int64 (else int32)
} mote_gather_params;

// position of the first index outside [-axis_len, axis_len), or count if none
size_t mote_ref_gather_find_bad(const mote_gather_params* p, const void* indices);
// index i of the index tensor as int64
int64_t mote_ref_gather_index(const mote_gather_params* p, const void* indices, size_t i);
// output rows [row_begin, row_end) of outer * count; every index is in range (checked above)
void mote_ref_gather(const mote_gather_params* p, const void* x, const void* indices, void* y, size_t row_begin,
                     size_t row_end);

#endif  // MOTE_REF_REF_DATA2_H
