// Lifetime-aware best-fit arena planning (the algorithm of converter/planner.py).
#include "core/planner.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

typedef struct {
  int32_t tensor;
  int32_t first, last;  // live over ops [first, last]; -1: from before the first op
  size_t bytes;         // the tensor's bytes (the sort key)
  size_t size;          // bytes rounded up to MOTE_ALIGN (at least MOTE_ALIGN)
  size_t offset;
} block;

// largest first, then earliest, then by tensor index: the converter's order
static int by_size(const void* a, const void* b) {
  const block *x = a, *y = b;
  if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  return (x->tensor > y->tensor) - (x->tensor < y->tensor);
}

// the smallest gap of at least b->size between placed blocks (sorted by offset)
// that live while b does; else the end of the last of them
static mote_status place(block* b, block* const* placed, size_t nplaced) {
  size_t end = 0, best = 0, best_gap = 0;
  int found = 0;
  for (size_t k = 0; k < nplaced; k++) {
    const block* p = placed[k];
    if (p->first > b->last || b->first > p->last) continue;  // never live together
    if (p->offset >= end) {
      size_t gap = p->offset - end;
      if (gap >= b->size && (!found || gap < best_gap)) {
        best = end;
        best_gap = gap;
        found = 1;
      }
    }
    if (p->offset + p->size > end) end = p->offset + p->size;  // no overflow: checked when p was placed
  }
  b->offset = found ? best : end;
  if (b->size > SIZE_MAX / 2 - b->offset)
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "memory plan: the arena would exceed the address space");
  return MOTE_OK;
}

// insert b keeping placed sorted by (offset, size)
static void insert(block* b, block** placed, size_t nplaced) {
  size_t lo = 0, hi = nplaced;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const block* m = placed[mid];
    if (m->offset < b->offset || (m->offset == b->offset && m->size <= b->size)) lo = mid + 1;
    else hi = mid;
  }
  memmove(&placed[lo + 1], &placed[lo], (nplaced - lo) * sizeof *placed);
  placed[lo] = b;
}

// first[t] / last[t] as the converter computes them
static void lifetimes(const mote_plan_graph* g, int32_t* first, int32_t* last) {
  const int32_t unset = INT32_MIN;
  for (int32_t t = 0; t < g->num_tensors; t++) first[t] = last[t] = unset;
  for (int32_t i = 0; i < g->num_inputs; i++) first[g->inputs[i]] = -1;
  for (int32_t k = 0; k < g->num_nodes; k++) {
    const mote_node* n = &g->nodes[k];
    for (int32_t j = 0; j < n->num_inputs; j++)
      if (n->inputs[j] >= 0) last[n->inputs[j]] = k;
    for (int32_t j = 0; j < n->num_outputs; j++)
      if (n->outputs[j] >= 0 && first[n->outputs[j]] == unset) first[n->outputs[j]] = k;
  }
  for (int32_t i = 0; i < g->num_outputs; i++) last[g->outputs[i]] = g->num_nodes;
  for (int32_t i = 0; i < g->num_inputs; i++) last[g->inputs[i]] = g->num_nodes;
  for (int32_t t = 0; t < g->num_tensors; t++) {
    if (first[t] == unset) first[t] = -1;  // neither input nor produced: still gets a slot
    if (last[t] < first[t]) last[t] = first[t];
  }
}

mote_status mote_plan_arena(const mote_plan_graph* g, size_t* offsets, size_t* arena_size) {
  size_t nt = (size_t)g->num_tensors + 1;
  int32_t* first = malloc(nt * sizeof *first);
  int32_t* last = malloc(nt * sizeof *last);
  block* blocks = malloc(nt * sizeof *blocks);
  block** placed = malloc(nt * sizeof *placed);
  mote_status s = MOTE_OK;
  if (!first || !last || !blocks || !placed) {
    s = mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory planning the arena");
    goto done;
  }
  lifetimes(g, first, last);
  size_t n = 0;
  for (int32_t t = 0; t < g->num_tensors; t++) {
    offsets[t] = 0;
    const mote_tensor* x = &g->tensors[t];
    if (x->is_constant) continue;
    if (x->bytes > SIZE_MAX / 2) {
      s = mote_error(MOTE_ERROR_OUT_OF_MEMORY, "memory plan: tensor %d ('%s') is too large (%zu bytes)", t, x->name,
                     x->bytes);
      goto done;
    }
    block* b = &blocks[n++];
    b->tensor = t;
    b->first = first[t];
    b->last = last[t];
    b->bytes = x->bytes;
    b->size = (x->bytes ? (x->bytes + MOTE_ALIGN - 1) / MOTE_ALIGN : 1) * MOTE_ALIGN;
  }
  qsort(blocks, n, sizeof *blocks, by_size);
  size_t arena = 0;
  for (size_t i = 0; i < n; i++) {
    s = place(&blocks[i], placed, i);
    if (s != MOTE_OK) goto done;
    insert(&blocks[i], placed, i);
    offsets[blocks[i].tensor] = blocks[i].offset;
    if (blocks[i].offset + blocks[i].size > arena) arena = blocks[i].offset + blocks[i].size;
  }
  *arena_size = arena;
done:
  free(first);
  free(last);
  free(blocks);
  free(placed);
  return s;
}
