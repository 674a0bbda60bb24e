// Small helpers shared by the core's files (not part of any contract).
#ifndef MOTE_CORE_INTERNAL_H
#define MOTE_CORE_INTERNAL_H

#include <stddef.h>

#define MOTE_ALIGN 64

// forget this thread's last message (lets a caller notice a callee that failed silently)
void mote_clear_error(void);

// 64-byte aligned, zeroed allocation of at least `size` bytes (size 0 gives a valid
// block); NULL on failure or overflow. Free with mote_aligned_free.
void* mote_aligned_calloc(size_t size);
void mote_aligned_free(void* p);

#endif  // MOTE_CORE_INTERNAL_H
