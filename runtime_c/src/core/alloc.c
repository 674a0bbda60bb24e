// Aligned allocation for arenas, scratch and model copies.
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE  // MAP_ANONYMOUS
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/internal.h"

// above this, zeroed pages come from mmap: committed lazily, never touched here,
// so a model that declares a huge arena costs address space, not memory, until used
#define MMAP_THRESHOLD ((size_t)1 << 20)

// a header in front of each block says how to free it
typedef struct {
  size_t mapped_size;  // 0: from posix_memalign
  unsigned char pad[MOTE_ALIGN - sizeof(size_t)];
} header;
_Static_assert(sizeof(header) == MOTE_ALIGN, "the header keeps blocks 64-byte aligned");

void* mote_aligned_calloc(size_t size) {
  if (size > SIZE_MAX / 2) return NULL;
  size_t total = (size + sizeof(header) + MOTE_ALIGN - 1) / MOTE_ALIGN * MOTE_ALIGN;
  header* h;
  if (total >= MMAP_THRESHOLD) {
    void* p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    h = p;
    h->mapped_size = total;
  } else {
    void* p = NULL;
    // posix_memalign rather than aligned_alloc: older libcs reject sizes that are not multiples
    if (posix_memalign(&p, MOTE_ALIGN, total) != 0) return NULL;
    memset(p, 0, total);
    h = p;
  }
  return h + 1;
}

void mote_aligned_free(void* p) {
  if (!p) return;
  header* h = (header*)p - 1;
  if (h->mapped_size) munmap(h, h->mapped_size);
  else free(h);
}
