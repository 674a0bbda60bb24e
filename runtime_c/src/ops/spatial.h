// Output size and padding of one spatial dim for CONV_2D, DEPTHWISE_CONV_2D
// and the pools (docs/ops.md "Spatial output size"): the one place that math lives.
#ifndef MOTE_OPS_SPATIAL_H
#define MOTE_OPS_SPATIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/options.h"
#include "core/types.h"

typedef struct mote_spatial_dim {
  int32_t out;
  int32_t pad_before, pad_after;  // the pads the kernel uses (SAME: computed)
} mote_spatial_dim;

// Checks kernel >= 1, stride >= 1, dilation >= 1, explicit pads >= 0, a known
// padding mode and an output of at least 1; errors name `axis` ("height").
// ceil_mode (pools) applies to EXPLICIT and VALID.
mote_status mote_spatial_compute(const mote_node* node, const char* axis, int32_t in, int32_t kernel,
                                 int32_t stride, int32_t dilation, mote_padding padding, int32_t pad_before,
                                 int32_t pad_after, bool ceil_mode, mote_spatial_dim* out);

#endif  // MOTE_OPS_SPATIAL_H
