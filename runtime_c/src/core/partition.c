// Delegate partitioning: maximal runs of consecutive claimed nodes go to the delegate.
// Also the public delegate calls that do not depend on a backend (free, name, report).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/interpreter_internal.h"
#include "core/ops.h"

static void free_partitions(mote_delegate* d, mote_partition* parts, int32_t n, int32_t prepared) {
  for (int32_t k = 0; k < n; k++) {
    if (d->free_partition && k < prepared) d->free_partition(d, &parts[k]);
    free(parts[k].inputs);
    free(parts[k].outputs);
  }
}

void mote_interpreter_release_delegate(mote_interpreter* it) {
  if (it->delegate) free_partitions(it->delegate, it->partitions, it->num_partitions, it->num_partitions);
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
      parts[np] = (mote_partition){.first_node = i};
      steps[ns++] = -1 - np;
      np++;
    }
    parts[np - 1].num_nodes++;
  }
  return ns;
}

static bool contains(const int32_t* list, int32_t n, int32_t v) {
  for (int32_t i = 0; i < n; i++)
    if (list[i] == v) return true;
  return false;
}

// the partition's boundary tensors (see mote_partition); producer[t]: node writing t, or -1
static mote_status boundaries(const mote_interpreter* it, const int32_t* producer, mote_partition* p) {
  const int32_t first = p->first_node, end = p->first_node + p->num_nodes;
  size_t cap = 0;
  for (int32_t i = first; i < end; i++) cap += (size_t)it->nodes[i].num_inputs + (size_t)it->nodes[i].num_outputs;
  p->inputs = malloc((cap + 1) * sizeof *p->inputs);
  p->outputs = malloc((cap + 1) * sizeof *p->outputs);
  if (!p->inputs || !p->outputs) return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory partitioning");
  const mote_model* m = it->model;
  for (int32_t i = first; i < end; i++) {
    const mote_node* n = &it->nodes[i];
    for (int32_t k = 0; k < n->num_inputs; k++) {
      const int32_t t = n->inputs[k];
      if (t < 0 || it->ctx.tensors[t].is_constant) continue;
      const bool inside = producer[t] >= first && producer[t] < end;
      if (!inside && !contains(p->inputs, p->num_inputs, t)) p->inputs[p->num_inputs++] = t;
    }
    for (int32_t k = 0; k < n->num_outputs; k++) {
      const int32_t t = n->outputs[k];
      bool needed = contains(m->outputs, m->num_outputs, t);
      for (int32_t j = 0; j < it->num_nodes && !needed; j++) {
        if (j >= first && j < end) continue;
        needed = contains(it->nodes[j].inputs, it->nodes[j].num_inputs, t);
      }
      if (needed && !contains(p->outputs, p->num_outputs, t)) p->outputs[p->num_outputs++] = t;
    }
  }
  return MOTE_OK;
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
  int32_t* producer = malloc(((size_t)it->ctx.num_tensors + 1) * sizeof *producer);
  if (!parts || !steps || !producer) {
    free(claimed);
    free(parts);
    free(steps);
    free(producer);
    return mote_error(MOTE_ERROR_OUT_OF_MEMORY, "out of memory partitioning");
  }
  int32_t num_steps = plan(it, claimed, parts, steps);
  free(claimed);
  for (int32_t t = 0; t < it->ctx.num_tensors; t++) producer[t] = -1;
  for (int32_t i = 0; i < it->num_nodes; i++)
    for (int32_t k = 0; k < it->nodes[i].num_outputs; k++) producer[it->nodes[i].outputs[k]] = i;
  mote_status s = MOTE_OK;
  int32_t prepared = 0;
  for (int32_t k = 0; k < runs && s == MOTE_OK; k++) s = boundaries(it, producer, &parts[k]);
  free(producer);
  for (int32_t k = 0; k < runs && s == MOTE_OK; k++) {
    mote_clear_error();
    s = d->prepare(d, &it->ctx, it->nodes, &parts[k]);
    prepared = k + (s == MOTE_OK || parts[k].state ? 1 : 0);
    if (s != MOTE_OK && mote_last_error()[0] == '\0')
      mote_error(s, "delegate %s could not prepare nodes %d..%d", d->name ? d->name : "?", parts[k].first_node,
                 parts[k].first_node + parts[k].num_nodes - 1);
  }
  if (s != MOTE_OK) {
    free_partitions(d, parts, runs, prepared);
    free(parts);
    free(steps);
    return s;
  }
  free(it->steps);
  it->steps = steps;
  it->num_steps = num_steps;
  it->partitions = parts;
  it->num_partitions = runs;
  it->delegate = d;
  return MOTE_OK;
}

// ---- public calls -----------------------------------------------------------

void mote_delegate_free(mote_delegate* d) {
  if (d && d->destroy) d->destroy(d);
}

const char* mote_delegate_name(const mote_delegate* d) { return d && d->name ? d->name : ""; }
const char* mote_delegate_device(const mote_delegate* d) { return d && d->device ? d->device : ""; }

static bool on_delegate(const mote_interpreter* it, int32_t node) {
  for (int32_t k = 0; k < it->num_partitions; k++)
    if (node >= it->partitions[k].first_node && node < it->partitions[k].first_node + it->partitions[k].num_nodes)
      return true;
  return false;
}

mote_status mote_interpreter_node_placement(const mote_interpreter* it, int32_t* out, int32_t count) {
  if (!it || !out || count != it->num_nodes)
    return mote_error(MOTE_ERROR_INVALID_ARGUMENT, "node_placement: NULL argument or count %d != %d nodes", count,
                      it ? it->num_nodes : 0);
  for (int32_t i = 0; i < count; i++) out[i] = on_delegate(it, i) ? 1 : 0;
  return MOTE_OK;
}

const char* mote_interpreter_delegate_report(mote_interpreter* it) {
  if (!it) return "";
  char* r = it->report;
  const size_t cap = sizeof it->report;
  if (!it->delegate) {
    snprintf(r, cap, "cpu: all %d ops", it->num_nodes);
    return r;
  }
  int32_t on = 0;
  for (int32_t k = 0; k < it->num_partitions; k++) on += it->partitions[k].num_nodes;
  int len = snprintf(r, cap, "%s%s%s%s: %d of %d ops in %d partition%s; cpu: %d ops", it->delegate->name,
                     it->delegate->device && it->delegate->device[0] ? " (" : "",
                     it->delegate->device ? it->delegate->device : "",
                     it->delegate->device && it->delegate->device[0] ? ")" : "", on, it->num_nodes,
                     it->num_partitions, it->num_partitions == 1 ? "" : "s", it->num_nodes - on);
  // name the first CPU ops: they are what a user changes to keep everything on the GPU
  int listed = 0;
  for (int32_t i = 0; i < it->num_nodes && len > 0 && (size_t)len < cap - 64; i++) {
    if (on_delegate(it, i)) continue;
    if (listed == 6) {
      len += snprintf(r + len, cap - (size_t)len, ", ...");
      break;
    }
    const mote_op_registration* reg = mote_op_lookup(it->nodes[i].opcode);
    len += snprintf(r + len, cap - (size_t)len, "%s%s '%.40s'", listed ? ", " : " (", reg ? reg->name : "?",
                    it->nodes[i].name ? it->nodes[i].name : "");
    listed++;
  }
  if (listed && len > 0 && (size_t)len < cap - 2) snprintf(r + len, cap - (size_t)len, ")");
  return r;
}
