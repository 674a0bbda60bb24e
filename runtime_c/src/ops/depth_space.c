// DEPTH_TO_SPACE [N,H,W,C*b*b] -> [N,H*b,W*b,C] and SPACE_TO_DEPTH, its inverse,
// on NHWC, any dtype. Depth channel of (dy, dx, c): DCR (dy*b + dx)*C + c,
// CRD c*b*b + dy*b + dx (C: the channels of the spatial side). Both are a
// rank-6 strided copy of the input.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ops/strided_copy.h"

static void set_view(mote_strided_copy_params* p, const size_t* dims, const int64_t* strides) {
  p->rank = 6;
  for (int32_t d = 0; d < 6; d++) {
    p->dims[d] = dims[d];
    p->strides[d] = strides[d];
  }
}

mote_status mote_op_depth_space_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *y;
  MOTE_TRY(mote_op_check_counts(node, 1, 1, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_DEPTH_SPACE, NULL, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  MOTE_TRY(mote_op_check_same_dtype(node, x, y));
  MOTE_TRY(mote_op_check_rank(node, x, 4, "input"));
  const mote_depth_space_options* o = &opts->u.depth_space;
  const int32_t b = o->block_size;
  const bool crd = o->mode == MOTE_DEPTHSPACE_CRD;
  if (b < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "block_size %d", b);
  if (o->mode != MOTE_DEPTHSPACE_DCR && !crd)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "unknown mode %d", (int)o->mode);
  const int32_t n = x->dims[0], h = x->dims[1], w = x->dims[2], c = x->dims[3];
  const int64_t bb = (int64_t)b * b;
  int32_t dims[4];
  const bool to_space = node->opcode == MOTE_OP_DEPTH_TO_SPACE;
  if (to_space) {
    if (c % bb != 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%d channels do not divide by block_size² %lld", c,
                             (long long)bb);
    if ((int64_t)h * b > INT32_MAX || (int64_t)w * b > INT32_MAX)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output too large");
    dims[0] = n, dims[1] = h * b, dims[2] = w * b, dims[3] = (int32_t)(c / bb);
  } else {
    if (h % b != 0 || w % b != 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "height %d and width %d must divide by block_size %d",
                             h, w, b);
    if (c * bb > INT32_MAX) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "output too large");
    dims[0] = n, dims[1] = h / b, dims[2] = w / b, dims[3] = (int32_t)(c * bb);
  }
  MOTE_TRY(mote_op_check_shape(node, y, 4, dims, "output"));

  mote_strided_copy_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  p->elem_size = mote_dtype_size(x->dtype);
  const int64_t sw = c, sh = (int64_t)w * c, sn = (int64_t)h * w * c, B = b;
  if (to_space) {
    // output [N, H, dy, W, dx, C'] reads input (n, h, w, channel(dy, dx, c'))
    const int64_t co = dims[3];
    const size_t vd[6] = {(size_t)n, (size_t)h, (size_t)b, (size_t)w, (size_t)b, (size_t)co};
    const int64_t dcr[6] = {sn, sh, B * co, sw, co, 1}, crdv[6] = {sn, sh, B, sw, 1, bb};
    set_view(p, vd, crd ? crdv : dcr);
  } else {
    // output [N, H', W', depth] with depth (dy, dx, c) for DCR, (c, dy, dx) for CRD
    const size_t h2 = (size_t)dims[1], w2 = (size_t)dims[2];
    const int64_t row = B * sh, col = B * sw;  // one output pixel moves the input b rows / b columns
    if (crd) {
      const size_t vd[6] = {(size_t)n, h2, w2, (size_t)c, (size_t)b, (size_t)b};
      const int64_t vs[6] = {sn, row, col, 1, sh, sw};
      set_view(p, vd, vs);
    } else {
      const size_t vd[6] = {(size_t)n, h2, w2, (size_t)b, (size_t)b, (size_t)c};
      const int64_t vs[6] = {sn, row, col, sh, sw, 1};
      set_view(p, vd, vs);
    }
  }
  mote_strided_copy_simplify(p);
  return MOTE_OK;
}

mote_status mote_op_depth_space_eval(mote_context* ctx, mote_node* node) {
  const mote_strided_copy_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  mote_op_strided_copy(ctx, p, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
  return MOTE_OK;
}
