// numpy broadcasting helpers.
#include "ops/broadcast.h"

#include "ops/op_common.h"

bool mote_broadcast_shape(int32_t ra, const int32_t* da, int32_t rb, const int32_t* db, int32_t* rank,
                          int32_t* dims) {
  const int32_t r = ra > rb ? ra : rb;
  for (int32_t i = 0; i < r; i++) {
    // aligned from the right; a missing dim counts as 1
    const int32_t x = i < r - ra ? 1 : da[i - (r - ra)];
    const int32_t y = i < r - rb ? 1 : db[i - (r - rb)];
    if (x != y && x != 1 && y != 1) return false;
    dims[i] = x == 1 ? y : x;
  }
  *rank = r;
  return true;
}

void mote_broadcast_strides(int32_t r, const int32_t* d, int32_t out_rank, size_t* strides) {
  size_t s = 1;
  for (int32_t i = out_rank - 1; i >= 0; i--) {
    const int32_t j = i - (out_rank - r);
    if (j < 0 || d[j] == 1) {
      strides[i] = 0;
    } else {
      strides[i] = s;
      s *= (size_t)d[j];
    }
  }
}

int32_t mote_coalesce(int32_t rank, size_t* dims, int32_t n, size_t* const* strides) {
  int32_t r = 0;
  for (int32_t i = 0; i < rank; i++) {
    if (dims[i] == 1) continue;
    // outer dim r-1 and this one form one dim if every outer stride steps over this one whole
    bool merge = r > 0;
    for (int32_t k = 0; merge && k < n; k++) merge = strides[k][r - 1] == strides[k][i] * dims[i];
    if (merge) {
      dims[r - 1] *= dims[i];
      for (int32_t k = 0; k < n; k++) strides[k][r - 1] = strides[k][i];
    } else {
      dims[r] = dims[i];
      for (int32_t k = 0; k < n; k++) strides[k][r] = strides[k][i];
      r++;
    }
  }
  if (r == 0) {
    dims[0] = 1;
    for (int32_t k = 0; k < n; k++) strides[k][0] = 0;
    r = 1;
  }
  return r;
}

int32_t mote_coalesce2(int32_t rank, size_t* dims, size_t* sa, size_t* sb) {
  return mote_coalesce(rank, dims, 2, (size_t* const[]){sa, sb});
}

mote_status mote_broadcast_prepare(const mote_node* node, int32_t n, const mote_tensor* const* ins,
                                   const mote_tensor* y, mote_bcast_layout* layout) {
  if (n < 1 || n > MOTE_BCAST_MAX_OPERANDS)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d operands to broadcast", (int)n);
  int32_t rank = ins[0]->rank, dims[MOTE_MAX_RANK];
  for (int32_t d = 0; d < rank; d++) dims[d] = ins[0]->dims[d];
  for (int32_t k = 1; k < n; k++) {
    int32_t prev[MOTE_MAX_RANK];
    for (int32_t d = 0; d < rank; d++) prev[d] = dims[d];
    if (!mote_broadcast_shape(rank, prev, ins[k]->rank, ins[k]->dims, &rank, dims)) {
      char sa[MOTE_SHAPE_STR_LEN], sb[MOTE_SHAPE_STR_LEN];
      // with two inputs: "shapes <a> and <b> do not broadcast"; with three the first
      // shape is what the earlier inputs broadcast to
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "shapes %s and %s do not broadcast",
                             mote_shape_str(sa, rank, prev), mote_shape_str(sb, ins[k]->rank, ins[k]->dims));
    }
  }
  MOTE_TRY(mote_op_check_shape(node, y, rank, dims, "output"));
  layout->count = 1;
  for (int32_t d = 0; d < rank; d++) {
    layout->dims[d] = (size_t)dims[d];
    layout->count *= (size_t)dims[d];
  }
  size_t* strides[MOTE_BCAST_MAX_OPERANDS];
  for (int32_t k = 0; k < n; k++) {
    mote_broadcast_strides(ins[k]->rank, ins[k]->dims, rank, layout->strides[k]);
    strides[k] = layout->strides[k];
  }
  layout->rank = mote_coalesce(rank, layout->dims, n, strides);  // rank 0 (scalars) comes back as rank 1
  return MOTE_OK;
}
