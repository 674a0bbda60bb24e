// Reference reductions of the breadth ops: REDUCE_SUM/MAX/MIN/PROD/L2,
// ARG_MAX/ARG_MIN and TOPK. Plain C, the ground truth; kernels trust their
// parameters (prepare checked them), never allocate, and compute a range of
// their outputs so that ops can split the work over threads.
//
// NaN (float32): REDUCE_MAX / REDUCE_MIN propagate it (numpy max/min);
// ARG_MAX and ARG_MIN both pick the first NaN, the last with
// select_last_index (numpy argmax/argmin, torch); TOPK ranks NaN above
// +inf, so `largest` returns NaNs first and smallest returns them last
// (torch.topk, numpy's sort order). ONNX leaves nan open and ONNX Runtime's
// answers depend on where the nan sits (ReduceMax of [nan, 1] is nan, of
// [1, nan] is 1), so these rules follow numpy and torch instead.
#ifndef MOTE_REF_REF_REDUCE2_H
#define MOTE_REF_REF_REDUCE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

typedef enum {
  MOTE_REDUCE_SUM,
  MOTE_REDUCE_MAX,
  MOTE_REDUCE_MIN,
  MOTE_REDUCE_PROD,
  MOTE_REDUCE_L2,  // sqrt(sum x²), float32 only
} mote_reduce_kind;

// input viewed as `rank` dims (adjacent dims with the same flag may be merged);
// the output holds the kept dims in order. An empty reduction gives the
// identity: 0 (SUM, L2), 1 (PROD), -inf / INT_MIN / false (MAX), +inf / INT_MAX / true (MIN),
// as ONNX. Float sums, products and squares accumulate in double; integer ones
// wrap modulo 2^bits, as numpy and ONNX Runtime.
typedef struct mote_reduce_params {
  mote_reduce_kind kind;
  int32_t rank;  // >= 1
  size_t dims[MOTE_MAX_RANK];
  bool reduce[MOTE_MAX_RANK];
} mote_reduce_params;

// output elements [o_begin, o_end)
void mote_ref_reduce_f32(const mote_reduce_params* p, const float* x, float* y, size_t o_begin, size_t o_end);
void mote_ref_reduce_i32(const mote_reduce_params* p, const int32_t* x, int32_t* y, size_t o_begin,
                         size_t o_end);
void mote_ref_reduce_i64(const mote_reduce_params* p, const int64_t* x, int64_t* y, size_t o_begin,
                         size_t o_end);
// MAX (any) and MIN (all) of bool; outputs 0 or 1
void mote_ref_reduce_bool(const mote_reduce_params* p, const uint8_t* x, uint8_t* y, size_t o_begin,
                          size_t o_end);

// x viewed as [outer, axis, inner] (axis >= 1); y [outer, inner] of int32 or int64
typedef struct mote_arg_params {
  size_t outer, axis, inner;
  bool is_max, select_last, index64;
  mote_dtype dtype;  // of x: float32, int32 or int64
} mote_arg_params;

// output elements [o_begin, o_end) of outer * inner
void mote_ref_arg_minmax(const mote_arg_params* p, const void* x, void* y, size_t o_begin, size_t o_end);

// x viewed as [outer, axis, inner]; values and indices [outer, k, inner]
typedef struct mote_topk_params {
  size_t outer, axis, inner, k;
  bool largest, index64;
  mote_dtype dtype;  // of x and values: float32, int32 or int64
} mote_topk_params;

// rows [r_begin, r_end) of outer * inner; `heap` holds k int32 (scratch)
void mote_ref_topk(const mote_topk_params* p, const void* x, void* values, void* indices, int32_t* heap,
                   size_t r_begin, size_t r_end);

#endif  // MOTE_REF_REF_REDUCE2_H
