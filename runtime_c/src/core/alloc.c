// Aligned allocation for arenas, scratch and model copies.
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

void* mote_aligned_calloc(size_t size) {
  if (size > SIZE_MAX - MOTE_ALIGN) return NULL;
  size_t rounded = (size + MOTE_ALIGN - 1) / MOTE_ALIGN * MOTE_ALIGN;
  if (rounded == 0) rounded = MOTE_ALIGN;
  void* p = NULL;
  // posix_memalign rather than aligned_alloc: older libcs reject sizes that are not multiples
  if (posix_memalign(&p, MOTE_ALIGN, rounded) != 0) return NULL;
  memset(p, 0, rounded);
  return p;
}

void mote_aligned_free(void* p) { free(p); }
