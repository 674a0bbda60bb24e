// Whole-graph checks after parsing: execution order and the compiler's memory plan.
#include <stdlib.h>
#include <string.h>

#include "core/model.h"

#define NOT_PRODUCED INT32_MIN
#define SUBGRAPH_INPUT (-1)

// producer[t]: op index, SUBGRAPH_INPUT, or NOT_PRODUCED (constants and unused tensors)
static mote_status producers(const mote_model* m, int32_t* producer) {
  for (int32_t t = 0; t < m->num_tensors; t++) producer[t] = NOT_PRODUCED;
  for (int32_t i = 0; i < m->num_inputs; i++) {
    int32_t t = m->inputs[i];
    if (m->tensors[t].is_constant)
      return mote_error(MOTE_ERROR_INVALID_MODEL, "subgraph input %d is constant tensor %d ('%s')", i, t,
                        m->tensors[t].name);
    if (producer[t] != NOT_PRODUCED)
      return mote_error(MOTE_ERROR_INVALID_MODEL, "tensor %d ('%s') is listed twice as a subgraph input", t,
                        m->tensors[t].name);
    producer[t] = SUBGRAPH_INPUT;
  }
  for (int32_t i = 0; i < m->num_nodes; i++) {
    const mote_node* n = &m->nodes[i];
    for (int32_t j = 0; j < n->num_inputs; j++) {
      int32_t t = n->inputs[j];
      if (t >= 0 && !m->tensors[t].is_constant && producer[t] == NOT_PRODUCED)
        return mote_error(MOTE_ERROR_INVALID_MODEL,
                          "operator %d ('%s'): input %d (tensor %d '%s') is neither a subgraph input nor "
                          "produced by an earlier operator",
                          i, n->name, j, t, m->tensors[t].name);
    }
    for (int32_t j = 0; j < n->num_outputs; j++) {
      int32_t t = n->outputs[j];
      if (m->tensors[t].is_constant)
        return mote_error(MOTE_ERROR_INVALID_MODEL, "operator %d ('%s'): output %d is constant tensor %d ('%s')", i,
                          n->name, j, t, m->tensors[t].name);
      if (producer[t] == SUBGRAPH_INPUT)
        return mote_error(MOTE_ERROR_INVALID_MODEL, "operator %d ('%s'): output %d is subgraph input tensor %d ('%s')",
                          i, n->name, j, t, m->tensors[t].name);
      if (producer[t] != NOT_PRODUCED)
        return mote_error(MOTE_ERROR_INVALID_MODEL, "tensor %d ('%s') is produced twice (operators %d and %d)", t,
                          m->tensors[t].name, producer[t], i);
      producer[t] = i;
    }
  }
  for (int32_t i = 0; i < m->num_outputs; i++) {
    int32_t t = m->outputs[i];
    if (m->tensors[t].is_constant || producer[t] == NOT_PRODUCED)
      return mote_error(MOTE_ERROR_INVALID_MODEL, "subgraph output %d (tensor %d '%s') is never computed", i, t,
                        m->tensors[t].name);
  }
  return MOTE_OK;
}

mote_status mote_model_verify_graph(const mote_model* m) {
  int32_t* producer = malloc(((size_t)m->num_tensors + 1) * sizeof *producer);
  if (!producer) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory verifying the graph");
  mote_status s = producers(m, producer);
  free(producer);
  return s;
}

typedef struct {
  int32_t tensor;
  int32_t first, last;  // live over operators [first, last]; -1: from before the first op
  size_t begin, end;    // arena bytes [begin, end)
} span;

static int by_first(const void* a, const void* b) {
  const span *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}
static int by_last(const void* a, const void* b) {
  const span *x = *(const span* const*)a, *y = *(const span* const*)b;
  return (x->last > y->last) - (x->last < y->last);
}

// first index in live[0, n) whose begin >= key
static size_t lower_bound(span* const* live, size_t n, size_t key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (live[mid]->begin < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static mote_status conflict(const mote_model* m, const span* a, const span* b) {
  size_t lo = a->begin > b->begin ? a->begin : b->begin, hi = a->end < b->end ? a->end : b->end;
  return mote_error(MOTE_ERROR_INVALID_MODEL,
                    "memory plan: tensors %d ('%s') and %d ('%s') share arena bytes [%zu,%zu) while both live "
                    "(operators %d..%d and %d..%d)",
                    a->tensor, m->tensors[a->tensor].name, b->tensor, m->tensors[b->tensor].name, lo, hi, a->first,
                    a->last, b->first, b->last);
}

// sweep over time keeping the live spans sorted by offset: a new span only has to
// miss its two neighbours, since the live set is disjoint
static mote_status sweep(const mote_model* m, span* spans, size_t n, span** order, span** live) {
  qsort(spans, n, sizeof *spans, by_first);
  for (size_t i = 0; i < n; i++) order[i] = &spans[i];
  qsort(order, n, sizeof *order, by_last);
  size_t nlive = 0, next_in = 0, next_out = 0;
  while (next_in < n) {
    int32_t now = spans[next_in].first;
    // ended before `now`: inserted already, since first <= last
    for (; next_out < n && order[next_out]->last < now; next_out++) {
      span* s = order[next_out];
      size_t k = lower_bound(live, nlive, s->begin);
      if (k < nlive && live[k] == s) {
        memmove(&live[k], &live[k + 1], (nlive - k - 1) * sizeof *live);
        nlive--;
      }
    }
    for (; next_in < n && spans[next_in].first == now; next_in++) {
      span* s = &spans[next_in];
      size_t k = lower_bound(live, nlive, s->begin);
      if (k > 0 && live[k - 1]->end > s->begin) return conflict(m, live[k - 1], s);
      if (k < nlive && live[k]->begin < s->end) return conflict(m, live[k], s);
      memmove(&live[k + 1], &live[k], (nlive - k) * sizeof *live);
      live[k] = s;
      nlive++;
    }
  }
  return MOTE_OK;
}

mote_status mote_model_verify_plan(const mote_model* m) {
  size_t nt = (size_t)m->num_tensors + 1;
  int32_t* producer = malloc(nt * sizeof *producer);
  int32_t* last = malloc(nt * sizeof *last);
  span* spans = malloc(nt * sizeof *spans);
  span** order = malloc(nt * sizeof *order);
  span** live = malloc(nt * sizeof *live);
  mote_status s = MOTE_ERROR_OUT_OF_MEMORY;
  if (!producer || !last || !spans || !order || !live) {
    mote_error(s, "out of memory verifying the memory plan");
    goto done;
  }
  s = producers(m, producer);
  if (s != MOTE_OK) goto done;
  for (int32_t t = 0; t < m->num_tensors; t++) last[t] = producer[t];
  for (int32_t i = 0; i < m->num_nodes; i++)
    for (int32_t j = 0; j < m->nodes[i].num_inputs; j++)
      if (m->nodes[i].inputs[j] >= 0) last[m->nodes[i].inputs[j]] = i;  // ops run in order: i is the max
  for (int32_t i = 0; i < m->num_outputs; i++) last[m->outputs[i]] = m->num_nodes;  // read after invoke
  size_t n = 0;
  for (int32_t t = 0; t < m->num_tensors; t++) {
    const mote_tensor* x = &m->tensors[t];
    if (x->is_constant || x->bytes == 0 || producer[t] == NOT_PRODUCED) continue;
    spans[n].tensor = t;
    spans[n].first = producer[t];
    spans[n].last = last[t];
    spans[n].begin = m->arena_offsets[t];
    spans[n].end = m->arena_offsets[t] + x->bytes;
    n++;
  }
  s = sweep(m, spans, n, order, live);
done:
  free(producer);
  free(last);
  free(spans);
  free(order);
  free(live);
  return s;
}
