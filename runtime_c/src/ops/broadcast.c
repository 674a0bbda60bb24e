// numpy broadcasting helpers.
#include "ops/broadcast.h"

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

int32_t mote_coalesce2(int32_t rank, size_t* dims, size_t* sa, size_t* sb) {
  int32_t r = 0;
  for (int32_t i = 0; i < rank; i++) {
    if (dims[i] == 1) continue;
    // outer dim r-1 and this one form one dim if the outer stride steps over this one whole
    if (r > 0 && sa[r - 1] == sa[i] * dims[i] && sb[r - 1] == sb[i] * dims[i]) {
      dims[r - 1] *= dims[i];
      sa[r - 1] = sa[i];
      sb[r - 1] = sb[i];
    } else {
      dims[r] = dims[i];
      sa[r] = sa[i];
      sb[r] = sb[i];
      r++;
    }
  }
  if (r == 0) {
    dims[0] = 1;
    sa[0] = sb[0] = 0;
    r = 1;
  }
  return r;
}
