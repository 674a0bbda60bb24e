// Delegate partitioning: maximal runs of consecutive claimed nodes go to the delegate.
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/interpreter_internal.h"

static void free_partitions(mote_delegate* d, mote_partition* parts, int32_t n) {
  for (int32_t k = 0; k < n; k++)
    if (d->free_partition) d->free_partition(d, &parts[k]);
}

void mote_interpreter_release_delegate(mote_interpreter* it) {
  if (it->delegate) free_partitions(it->delegate, it->partitions, it->num_partitions);
  free(it->partitions);
  it->partitions = NULL;
  it->num_partitions = 0;
  it->delegate = NULL;
}

// claimed[i]: may the delegate run node i; returns the number of runs
static int32_t claim(mote_interpreter* it, mote_delegate* d, bool* claimed, int32_t* num_claimed) {
  int32_t runs = 0, total = 0;
  for (int32_t i = 0; i < it->num_nodes; i++) {
    claimed[i] = d->supports_op(d, &it->ctx, &it->nodes[i]);
    if (claimed[i]) {
      total++;
      if (i == 0 || !claimed[i - 1]) runs++;
    }
  }
  *num_claimed = total;
  return runs;
}

// partitions in execution order, and the step list that interleaves them with CPU nodes
static int32_t plan(const mote_interpreter* it, const bool* claimed, mote_partition* parts, int32_t* steps) {
  int32_t np = 0, ns = 0;
  for (int32_t i = 0; i < it->num_nodes; i++) {
    if (!claimed[i]) {
      steps[ns++] = i;
      continue;
    }
    if (i == 0 || !claimed[i - 1]) {
      parts[np].first_node = i;
      parts[np].num_nodes = 0;
      parts[np].state = NULL;
      steps[ns++] = -1 - np;
      np++;
    }
    parts[np - 1].num_nodes++;
  }
  return ns;
}

mote_status mote_interpreter_apply_delegate(mote_interpreter* it, mote_delegate* d) {
  if (!it || !d || !d->supports_op || !d->prepare || !d->invoke)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "apply_delegate: NULL interpreter, delegate or callback");
  if (it->delegate) return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "a delegate is already applied");
  bool* claimed = calloc((size_t)it->num_nodes + 1, sizeof *claimed);
  if (!claimed) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory partitioning");
  int32_t total, runs = claim(it, d, claimed, &total);
  // declining is not an error: the model simply runs on the CPU
  if (total == 0 || total < d->min_ops || (d->max_partitions > 0 && runs > d->max_partitions)) {
    free(claimed);
    return MOTE_OK;
  }
  mote_partition* parts = calloc((size_t)runs, sizeof *parts);
  int32_t* steps = malloc(((size_t)it->num_nodes + 1) * sizeof *steps);
  if (!parts || !steps) {
    free(claimed);
    free(parts);
    free(steps);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory partitioning");
  }
  int32_t num_steps = plan(it, claimed, parts, steps);
  free(claimed);
  for (int32_t k = 0; k < runs; k++) {
    mote_clear_error();
    mote_status s = d->prepare(d, &it->ctx, it->nodes, &parts[k]);
    if (s != MOTE_OK) {
      if (mote_last_error()[0] == '\0')
        mote_error(s, "delegate %s could not prepare nodes %d..%d", d->name ? d->name : "?", parts[k].first_node,
                   parts[k].first_node + parts[k].num_nodes - 1);
      free_partitions(d, parts, parts[k].state ? k + 1 : k);
      free(parts);
      free(steps);
      return s;
    }
  }
  free(it->steps);
  it->steps = steps;
  it->num_steps = num_steps;
  it->partitions = parts;
  it->num_partitions = runs;
  it->delegate = d;
  return MOTE_OK;
}
