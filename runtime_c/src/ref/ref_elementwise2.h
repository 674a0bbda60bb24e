// Reference kernels of the breadth elementwise ops: unary math, the binary ops
// beyond float32 ADD..DIV (POW, MINIMUM, MAXIMUM, PRELU; int32/int64), the
// comparisons, logical ops, WHERE and CAST (float16 included). Plain C, the
// ground truth; parameters are trusted (prepare checked them), no allocation.
// Broadcasting kernels compute the output elements [begin, end) so that ops
// can split the work over threads.
#ifndef MOTE_REF_REF_ELEMENTWISE2_H
#define MOTE_REF_REF_ELEMENTWISE2_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

// ---- broadcasting layout ----------------------------------------------------

#define MOTE_BCAST_MAX_OPERANDS 3

// output dims with per-operand element strides (0 where broadcast), coalesced;
// rank >= 1, count = product of dims (elements of the output)
typedef struct mote_bcast_layout {
  int32_t rank;
  size_t count;
  size_t dims[MOTE_MAX_RANK];
  size_t strides[MOTE_BCAST_MAX_OPERANDS][MOTE_MAX_RANK];
} mote_bcast_layout;

// ---- unary math (ref_elementwise2.c) ----------------------------------------

typedef enum {
  MOTE_UNARY2_EXP,
  MOTE_UNARY2_LOG,
  MOTE_UNARY2_SQRT,
  MOTE_UNARY2_RSQRT,
  MOTE_UNARY2_ABS,  // also int32 / int64
  MOTE_UNARY2_NEG,  // also int32 / int64
  MOTE_UNARY2_RECIPROCAL,
  MOTE_UNARY2_FLOOR,
  MOTE_UNARY2_CEIL,
  MOTE_UNARY2_ROUND,  // half to even
  MOTE_UNARY2_ERF,
  MOTE_UNARY2_SOFTPLUS,
  MOTE_UNARY2_SWISH,
  MOTE_UNARY2_MISH,
  MOTE_UNARY2_HARD_SIGMOID,  // alpha, beta
  MOTE_UNARY2_SIN,
  MOTE_UNARY2_COS,
} mote_unary2_kind;

typedef struct mote_unary2_params {
  mote_unary2_kind kind;
  float alpha, beta;
} mote_unary2_params;

// y may equal x (in place)
void mote_ref_unary2_f32(const mote_unary2_params* p, const float* x, float* y, size_t n);
// ABS and NEG only; INT_MIN wraps to itself (two's complement), as ONNX Runtime
void mote_ref_unary2_i32(mote_unary2_kind kind, const int32_t* x, int32_t* y, size_t n);
void mote_ref_unary2_i64(mote_unary2_kind kind, const int64_t* x, int64_t* y, size_t n);

// ---- binary with broadcasting (ref_binary2.c) -------------------------------

typedef enum {
  MOTE_BINARY2_ADD,
  MOTE_BINARY2_SUB,
  MOTE_BINARY2_MUL,
  MOTE_BINARY2_DIV,
  MOTE_BINARY2_POW,      // float only
  MOTE_BINARY2_MINIMUM,  // nan propagates (float)
  MOTE_BINARY2_MAXIMUM,
  MOTE_BINARY2_PRELU,    // a < 0 ? b * a : a; float only
} mote_binary2_kind;

// operands a, b are layout operands 0, 1; act_min/act_max clamp the result
void mote_ref_binary2_f32(mote_binary2_kind kind, const mote_bcast_layout* l, const float* a, const float* b,
                          float* y, float act_min, float act_max, size_t begin, size_t end);
// Integer arithmetic wraps (two's complement) instead of overflowing; DIV
// truncates toward zero, x / 0 gives 0 and INT_MIN / -1 gives INT_MIN.
// ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM.
void mote_ref_binary2_i32(mote_binary2_kind kind, const mote_bcast_layout* l, const int32_t* a, const int32_t* b,
                          int32_t* y, size_t begin, size_t end);
void mote_ref_binary2_i64(mote_binary2_kind kind, const mote_bcast_layout* l, const int64_t* a, const int64_t* b,
                          int64_t* y, size_t begin, size_t end);

// ---- comparisons and logic: output bool bytes 0 / 1 (ref_binary2.c) --------

typedef enum {
  MOTE_COMPARE_EQUAL,
  MOTE_COMPARE_NOT_EQUAL,
  MOTE_COMPARE_LESS,
  MOTE_COMPARE_LESS_EQUAL,
  MOTE_COMPARE_GREATER,
  MOTE_COMPARE_GREATER_EQUAL,
} mote_compare_kind;

// dtype: FLOAT32, INT32, INT64 or BOOL (any non-zero byte is true, true > false)
void mote_ref_compare(mote_compare_kind kind, mote_dtype dtype, const mote_bcast_layout* l, const void* a,
                      const void* b, uint8_t* y, size_t begin, size_t end);

typedef enum { MOTE_LOGICAL_AND, MOTE_LOGICAL_OR } mote_logical_kind;

void mote_ref_logical(mote_logical_kind kind, const mote_bcast_layout* l, const uint8_t* a, const uint8_t* b,
                      uint8_t* y, size_t begin, size_t end);
void mote_ref_logical_not(const uint8_t* x, uint8_t* y, size_t n);

// y = cond ? a : b; operands 0, 1, 2 of the layout; elements of elem_size bytes (1, 2, 4 or 8)
void mote_ref_where(const mote_bcast_layout* l, size_t elem_size, const uint8_t* cond, const void* a,
                    const void* b, void* y, size_t begin, size_t end);

// ---- CAST (ref_cast.c) --------------------------------------------------------

// Convert n elements (all eight dtypes). float -> integer truncates toward zero
// and saturates at the target's range; nan gives 0. integer -> narrower integer
// wraps (two's complement), as numpy and ONNX Runtime. to BOOL: x != 0 (nan is
// true). float16 rounds to nearest even, keeps subnormals, inf and nan.
// Same dtype: a copy (x may equal y); otherwise x and y must not overlap.
void mote_ref_cast(mote_dtype from, mote_dtype to, const void* x, void* y, size_t n);

// IEEE binary16 <-> binary32 (round to nearest even)
uint16_t mote_f32_to_f16(float f);
float mote_f16_to_f32(uint16_t h);

#endif  // MOTE_REF_REF_ELEMENTWISE2_H
