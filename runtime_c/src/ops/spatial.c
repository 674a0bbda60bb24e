// Spatial output size / padding (docs/ops.md); 64-bit math so that no file
// value can overflow.
#include "ops/spatial.h"

#include "ops/op_common.h"

static int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

mote_status mote_spatial_compute(const mote_node* node, const char* axis, int32_t in, int32_t kernel,
                                 int32_t stride, int32_t dilation, mote_padding padding, int32_t pad_before,
                                 int32_t pad_after, bool ceil_mode, mote_spatial_dim* out) {
  if (kernel < 1 || stride < 1 || dilation < 1)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s: kernel %d, stride %d, dilation %d (each must be >= 1)",
                           axis, kernel, stride, dilation);
  if (in < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s: input size %d", axis, in);
  const int64_t ek = (int64_t)dilation * (kernel - 1) + 1;
  int64_t before = 0, after = 0, n = 0;
  switch (padding) {
    case MOTE_PAD_EXPLICIT:
      if (pad_before < 0 || pad_after < 0)
        return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s: negative padding (%d, %d)", axis, pad_before,
                               pad_after);
      before = pad_before;
      after = pad_after;
      // fall through
    case MOTE_PAD_VALID: {
      const int64_t span = (int64_t)in + before + after - ek;
      if (span < 0) {
        n = 0;
        break;
      }
      n = (ceil_mode ? (span + stride - 1) / stride : floor_div(span, stride)) + 1;
      // onnx / pytorch: the last window must start inside the input or its leading padding
      if (ceil_mode && (n - 1) * stride >= (int64_t)in + before) n--;
      break;
    }
    case MOTE_PAD_SAME_UPPER:
    case MOTE_PAD_SAME_LOWER: {
      n = ((int64_t)in + stride - 1) / stride;
      int64_t total = (n - 1) * stride + ek - in;
      if (total < 0) total = 0;
      before = padding == MOTE_PAD_SAME_UPPER ? total / 2 : total - total / 2;
      after = total - before;
      break;
    }
    default:
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown padding mode %d", (int)padding);
  }
  if (n < 1)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                           "%s: window %lld larger than the padded input %lld", axis, (long long)ek,
                           (long long)in + before + after);
  // kernels index in int32: every tap position of every window must fit
  if ((n - 1) * stride + ek > INT32_MAX || (int64_t)in + before + after > INT32_MAX)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s: output size out of range", axis);
  out->out = (int32_t)n;
  out->pad_before = (int32_t)before;
  out->pad_after = (int32_t)after;
  return MOTE_OK;
}
