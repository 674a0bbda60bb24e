// TRANSPOSE_CONV_2D: float32 NHWC, weights [O, KH, KW, C / groups], explicit pads
// (the converter resolves auto_pad and output_shape); split over output rows.
#include "core/ops.h"
#include "ops/op_common.h"
#include "ref/ref_nn.h"

static const mote_op_options k_defaults = {
    .type = MOTE_OPTIONS_TRANSPOSE_CONV2D,
    .u.transpose_conv2d = {.stride_h = 1, .stride_w = 1, .dilation_h = 1, .dilation_w = 1}};

// out = (in - 1) * stride - pads + dilation * (k - 1) + output_padding + 1
static mote_status output_size(const mote_node* node, const char* axis, int32_t in, int32_t k, int32_t stride,
                               int32_t dilation, int32_t pad_before, int32_t pad_after, int32_t output_padding,
                               int32_t* out) {
  if (stride < 1 || dilation < 1)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s stride %d, dilation %d (must be >= 1)", axis, stride,
                           dilation);
  if (pad_before < 0 || pad_after < 0 || output_padding < 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s pads %d, %d and output padding %d (must be >= 0)",
                           axis, pad_before, pad_after, output_padding);
  if (in < 1 || k < 1)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s input %d, kernel %d (must be >= 1)", axis, in, k);
  const int64_t o = ((int64_t)in - 1) * stride - pad_before - pad_after + (int64_t)dilation * (k - 1) +
                    output_padding + 1;
  if (o < 1 || o > INT32_MAX)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "%s output size %lld is out of range", axis,
                           (long long)o);
  *out = (int32_t)o;
  return MOTE_OK;
}

mote_status mote_op_transpose_conv2d_prepare(mote_context* ctx, mote_node* node) {
  const mote_op_options* opts;
  mote_tensor *x, *w, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 3, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_TRANSPOSE_CONV2D, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &w));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  mote_tensor* bias = mote_node_input(ctx, node, 2);
  const mote_transpose_conv2d_options* o = &opts->u.transpose_conv2d;
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  MOTE_TRY(mote_op_check_dtype(node, w, MOTE_FLOAT32, "weights"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_rank(node, x, 4, "input"));
  MOTE_TRY(mote_op_check_rank(node, w, 4, "weights"));
  MOTE_TRY(mote_op_check_activation(node, o->activation, y->dtype));
  const int32_t in_c = x->dims[3], out_c = w->dims[0], wc = w->dims[3];
  if (in_c < 1 || out_c < 1 || wc < 1 || in_c % wc != 0 || out_c % (in_c / wc) != 0)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                           "weights [%d,_,_,%d] do not fit %d input channels (groups = in_c / w.dim3 must divide "
                           "both channel counts)",
                           out_c, wc, in_c);
  if (bias) {
    MOTE_TRY(mote_op_check_dtype(node, bias, MOTE_FLOAT32, "bias"));
    MOTE_TRY(mote_op_check_shape(node, bias, 1, &out_c, "bias"));
  }
  int32_t out_h, out_w;
  MOTE_TRY(output_size(node, "height", x->dims[1], w->dims[1], o->stride_h, o->dilation_h, o->pad_top,
                       o->pad_bottom, o->output_padding_h, &out_h));
  MOTE_TRY(output_size(node, "width", x->dims[2], w->dims[2], o->stride_w, o->dilation_w, o->pad_left,
                       o->pad_right, o->output_padding_w, &out_w));
  const int32_t want[4] = {x->dims[0], out_h, out_w, out_c};
  MOTE_TRY(mote_op_check_shape(node, y, 4, want, "output"));

  mote_transpose_conv2d_params* p;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *p, (void**)&p));
  *p = (mote_transpose_conv2d_params){
      .n = x->dims[0], .in_h = x->dims[1], .in_w = x->dims[2], .in_c = in_c,
      .out_h = out_h, .out_w = out_w, .out_c = out_c, .kernel_h = w->dims[1], .kernel_w = w->dims[2],
      .stride_h = o->stride_h, .stride_w = o->stride_w, .dilation_h = o->dilation_h, .dilation_w = o->dilation_w,
      .pad_top = o->pad_top, .pad_left = o->pad_left, .groups = in_c / wc};
  mote_op_activation_range(o->activation, &p->act_min, &p->act_max);
  return MOTE_OK;
}

typedef struct {
  const mote_transpose_conv2d_params* p;
  const float *x, *w, *bias;
  float* y;
} tconv_job;

static void tconv_rows(void* arg, size_t begin, size_t end) {
  const tconv_job* j = arg;
  mote_ref_transpose_conv2d_f32(j->p, j->x, j->w, j->bias, j->y, begin, end);
}

mote_status mote_op_transpose_conv2d_eval(mote_context* ctx, mote_node* node) {
  const mote_transpose_conv2d_params* p = node->user_data;
  if (!p) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  tconv_job job = {p, mote_node_input(ctx, node, 0)->data, mote_node_input(ctx, node, 1)->data,
                   bias ? bias->data : NULL, mote_node_output(ctx, node, 0)->data};
  // each output pixel takes about kernel / stride taps of in_c / groups channels
  const size_t taps = (size_t)p->kernel_h * p->kernel_w / ((size_t)p->stride_h * p->stride_w) + 1;
  mote_op_parallel(ctx, tconv_rows, &job, (size_t)p->n * (size_t)p->out_h,
                   (size_t)p->out_w * p->out_c * taps * (size_t)(p->in_c / p->groups));
  return MOTE_OK;
}
