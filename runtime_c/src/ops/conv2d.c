// CONV_2D (with groups) and DEPTHWISE_CONV_2D: float32 NHWC. CONV_2D with constant
// weights runs on the GEMM microkernels (ops/gemm_conv.h, weights packed here at
// prepare); the rest runs the kernel table's conv kernels split over output rows.
#include <stdlib.h>

#include "configs/kernels.h"
#include "core/fp16.h"
#include "core/ops.h"
#include "ops/dwconv_run.h"
#include "ops/gemm_conv.h"
#include "ops/op_common.h"
#include "ops/op_params.h"
#include "ops/q8_ops.h"
#include "ops/spatial.h"
#include "ops/winograd.h"

// node state: the params (first, so the row kernels can take it), then for GEMM the
// plan, then the packed weights
typedef struct {
  mote_conv2d_params p;
  mote_gemm_plan plan;
  mote_dwconv_plan dw;
  mote_winograd_plan wino;
  bool gemm, dwconv, winograd;
  const float* w;  // the weights as float32: the tensor's, or widened from float16 after the packed block
  bool w_widened;
} conv_state;

static const mote_op_options k_defaults = {
    .type = MOTE_OPTIONS_CONV2D,
    .u.conv2d = {.stride_h = 1, .stride_w = 1, .dilation_h = 1, .dilation_w = 1, .depth_multiplier = 1}};

// checks shared by both ops; fills everything but groups / depth_multiplier
static mote_status conv_setup(mote_context* ctx, mote_node* node, bool depthwise, mote_conv2d_params** out) {
  const mote_op_options* opts;
  mote_tensor *x, *w, *y;
  MOTE_TRY(mote_op_check_counts(node, 2, 3, 1));
  MOTE_TRY(mote_op_options_of(node, MOTE_OPTIONS_CONV2D, &k_defaults, &opts));
  MOTE_TRY(mote_op_input(ctx, node, 0, &x));
  MOTE_TRY(mote_op_input(ctx, node, 1, &w));
  MOTE_TRY(mote_op_output(ctx, node, 0, &y));
  mote_tensor* bias = mote_node_input(ctx, node, 2);
  const mote_conv2d_options* o = &opts->u.conv2d;
  MOTE_TRY(mote_op_check_dtype(node, x, MOTE_FLOAT32, "input"));
  // float16 weights (`mote convert --quantize fp16`) are constants, widened once at prepare
  const bool f16 = w->dtype == MOTE_FLOAT16;
  if (f16 && !w->is_constant)
    return mote_node_error(node, MOTE_ERROR_UNSUPPORTED, "float16 weights must be constant");
  if (!f16) MOTE_TRY(mote_op_check_dtype(node, w, MOTE_FLOAT32, "weights"));
  MOTE_TRY(mote_op_check_dtype(node, y, MOTE_FLOAT32, "output"));
  MOTE_TRY(mote_op_check_rank(node, x, 4, "input"));
  MOTE_TRY(mote_op_check_rank(node, w, 4, "weights"));
  MOTE_TRY(mote_op_check_activation(node, o->activation, y->dtype));
  const int32_t in_c = x->dims[3];
  if (in_c < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "input has %d channels", in_c);

  int32_t out_c, groups = 1, m = 1;
  if (depthwise) {
    m = o->depth_multiplier;
    if (m < 1) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "depth_multiplier %d (must be >= 1)", m);
    if ((int64_t)in_c * m > INT32_MAX) return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "too many channels");
    out_c = in_c * m;
    const int32_t want[4] = {1, w->dims[1], w->dims[2], out_c};
    MOTE_TRY(mote_op_check_shape(node, w, 4, want, "weights"));
  } else {
    out_c = w->dims[0];
    const int32_t wc = w->dims[3];
    if (out_c < 1 || wc < 1 || in_c % wc != 0 || out_c % (in_c / wc) != 0)
      return mote_node_error(node, MOTE_ERROR_INVALID_MODEL,
                             "weights [%d,_,_,%d] do not fit %d input channels (groups = in_c / w.dim3 must "
                             "divide both channel counts)",
                             out_c, wc, in_c);
    groups = in_c / wc;
  }
  if (bias) {
    MOTE_TRY(mote_op_check_dtype(node, bias, MOTE_FLOAT32, "bias"));
    MOTE_TRY(mote_op_check_shape(node, bias, 1, &out_c, "bias"));
  }
  mote_spatial_dim sh, sw;
  MOTE_TRY(mote_spatial_compute(node, "height", x->dims[1], w->dims[1], o->stride_h, o->dilation_h, o->padding,
                                o->pad_top, o->pad_bottom, false, &sh));
  MOTE_TRY(mote_spatial_compute(node, "width", x->dims[2], w->dims[2], o->stride_w, o->dilation_w, o->padding,
                                o->pad_left, o->pad_right, false, &sw));
  const int32_t want_y[4] = {x->dims[0], sh.out, sw.out, out_c};
  MOTE_TRY(mote_op_check_shape(node, y, 4, want_y, "output"));

  // GEMM path: constant weights (packed below, once per prepare)
  const bool gemm = !depthwise && w->is_constant && (!bias || bias->is_constant) && w->num_elements > 0;
  const mote_f32_gemm_config* gc = &mote_kernels_get()->f32_gemm;
  const size_t k = (size_t)w->dims[1] * (size_t)w->dims[2] * (size_t)w->dims[3];
  // depthwise microkernels: multiplier 1, constant weights, kernels up to MOTE_DWCONV_MAX_TAPS taps
  const bool dwconv = depthwise && m == 1 && w->is_constant && (!bias || bias->is_constant) &&
                      (size_t)w->dims[1] * (size_t)w->dims[2] <= MOTE_DWCONV_MAX_TAPS && w->num_elements > 0;
  const mote_f32_dwconv_config* dc = &mote_kernels_get()->f32_dwconv;
  const mote_conv2d_params shape = {.in_c = in_c, .out_c = out_c, .kernel_h = w->dims[1], .kernel_w = w->dims[2]};
  // 3x3 stride 1: Winograd F(2x2, 3x3) on the same GEMM microkernels, when configs turn it on
  const mote_conv2d_params wshape = {.in_c = in_c, .out_c = out_c, .kernel_h = w->dims[1], .kernel_w = w->dims[2],
                                     .stride_h = o->stride_h, .stride_w = o->stride_w, .dilation_h = o->dilation_h,
                                     .dilation_w = o->dilation_w, .groups = groups};
  const bool winograd = gemm && mote_kernels_get()->winograd_3x3 && mote_winograd_applies(&wshape);
  const size_t packed = winograd ? mote_winograd_packed_floats(gc, &wshape)
                        : gemm   ? mote_gemm_packed_floats(gc, (size_t)groups, (size_t)(out_c / groups), k)
                        : dwconv ? mote_dwconv_plan_floats(dc, &shape)
                                 : 0;
  const size_t widened = f16 ? w->num_elements : 0;
  if (packed > (SIZE_MAX - sizeof(conv_state)) / sizeof(float) - widened)
    return mote_node_error(node, MOTE_ERROR_INVALID_MODEL, "weights too large");
  conv_state* st;
  MOTE_TRY(mote_op_alloc_user_data(node, sizeof *st + (packed + widened) * sizeof(float), (void**)&st));
  if (f16) {
    float* wf = (float*)(st + 1) + packed;
    mote_f16_to_f32_array(w->data, wf, widened);
    st->w = wf;
    st->w_widened = true;
  } else {
    st->w = w->data;
  }
  mote_conv2d_params* p = &st->p;
  *p = (mote_conv2d_params){
      .n = x->dims[0], .in_h = x->dims[1], .in_w = x->dims[2], .in_c = in_c,
      .out_h = sh.out, .out_w = sw.out, .out_c = out_c,
      .kernel_h = w->dims[1], .kernel_w = w->dims[2],
      .stride_h = o->stride_h, .stride_w = o->stride_w, .dilation_h = o->dilation_h, .dilation_w = o->dilation_w,
      .pad_top = sh.pad_before, .pad_left = sw.pad_before,
      .groups = groups, .depth_multiplier = m};
  mote_op_activation_range(o->activation, &p->act_min, &p->act_max);
  st->gemm = gemm && !winograd;
  st->winograd = winograd;
  st->dwconv = dwconv;
  if (dwconv) {
    st->dw.dw = *dc;
    st->dw.packed = (float*)(st + 1);
    mote_dwconv_plan_init(p, st->w, bias ? bias->data : NULL, &st->dw);
  }
  if (winograd) {
    float* tmp = malloc((size_t)out_c * (size_t)in_c * sizeof(float));
    if (!tmp) return mote_node_error(node, MOTE_ERROR_OUT_OF_MEMORY, "no memory to transform the weights");
    st->wino.gemm = *gc;
    st->wino.packed = (float*)(st + 1);
    node->scratch_size = mote_winograd_prepare(p, st->w, bias ? bias->data : NULL, ctx->num_threads, tmp, &st->wino);
    free(tmp);
  } else if (gemm) {
    st->plan.gemm = *gc;
    st->plan.packed = (float*)(st + 1);
    node->scratch_size = mote_gemm_conv_plan(p, st->w, bias ? bias->data : NULL, ctx->num_threads, &st->plan);
  }
  *out = p;
  return MOTE_OK;
}

mote_status mote_op_conv2d_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_conv2d_q8_prepare(ctx, node, false);
  mote_conv2d_params* p;
  return conv_setup(ctx, node, false, &p);
}

mote_status mote_op_depthwise_conv2d_prepare(mote_context* ctx, mote_node* node) {
  if (mote_is_q8_input(ctx, node)) return mote_conv2d_q8_prepare(ctx, node, true);
  mote_conv2d_params* p;
  return conv_setup(ctx, node, true, &p);
}

typedef struct {
  void (*kernel)(const mote_conv2d_params*, const float*, const float*, const float*, float*, size_t, size_t);
  const mote_conv2d_params* p;
  const float *x, *w, *bias;
  float* y;
} conv_job;

static void conv_rows(void* arg, size_t begin, size_t end) {
  const conv_job* j = arg;
  j->kernel(j->p, j->x, j->w, j->bias, j->y, begin, end);
}

static mote_status conv_eval(mote_context* ctx, mote_node* node, bool depthwise) {
  const conv_state* st = node->user_data;
  if (!st) return mote_node_error(node, MOTE_ERROR_RUNTIME, "not prepared");
  if (mote_is_q8_input(ctx, node)) return mote_conv2d_q8_eval(ctx, node, depthwise);
  const mote_conv2d_params* p = &st->p;
  if (st->gemm) {
    mote_gemm_conv_run(ctx, p, &st->plan, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
    return MOTE_OK;
  }
  if (st->winograd) {
    mote_winograd_run(ctx, p, &st->wino, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
    return MOTE_OK;
  }
  if (st->dwconv) {
    mote_dwconv_run(ctx, p, &st->dw, mote_node_input(ctx, node, 0)->data, mote_node_output(ctx, node, 0)->data);
    return MOTE_OK;
  }
  const mote_kernel_config* k = mote_kernels_get();
  const mote_tensor* bias = mote_node_input(ctx, node, 2);
  conv_job job = {
      .kernel = depthwise ? k->depthwise_conv2d_f32 : k->conv2d_f32,
      .p = p,
      .x = mote_node_input(ctx, node, 0)->data,
      .w = st->w_widened ? st->w : mote_node_input(ctx, node, 1)->data,  // (an arena tensor may move)
      .bias = bias ? bias->data : NULL,
      .y = mote_node_output(ctx, node, 0)->data,
  };
  const size_t taps = (size_t)p->kernel_h * (size_t)p->kernel_w * (depthwise ? 1 : (size_t)(p->in_c / p->groups));
  mote_op_parallel(ctx, conv_rows, &job, (size_t)p->n * (size_t)p->out_h, (size_t)p->out_w * p->out_c * taps);
  return MOTE_OK;
}

mote_status mote_op_conv2d_eval(mote_context* ctx, mote_node* node) { return conv_eval(ctx, node, false); }

mote_status mote_op_depthwise_conv2d_eval(mote_context* ctx, mote_node* node) {
  return conv_eval(ctx, node, true);
}

const mote_conv2d_params* mote_op_conv2d_params(const mote_node* node) {
  const conv_state* st = node->user_data;  // (the delegate checks for float32 before asking)
  return st ? &st->p : NULL;
}
