// Small helpers shared by the breadth elementwise ops (unary, binary, compare,
// logical, where, cast).
#ifndef MOTE_OPS_ELEMENTWISE_COMMON_H
#define MOTE_OPS_ELEMENTWISE_COMMON_H

#include "mote/mote.h"

// dtype name for messages
static inline const char* mote_ew_dtype_name(mote_dtype t) {
  static const char* const names[] = {"float32", "float16", "int8", "uint8", "int16", "int32", "int64", "bool"};
  return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

#endif  // MOTE_OPS_ELEMENTWISE_COMMON_H
