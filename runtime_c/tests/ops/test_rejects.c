// prepare refuses models that eval could not run safely, with a clear message.
#include "harness.h"

static float buf[256], out[256];

#define REJECT(call, msg)                          \
  do {                                             \
    CHECK((call) == MOTE_ERROR_INVALID_MODEL);     \
    CHECK_ERROR_HAS(msg);                          \
  } while (0)

static mote_op_options conv(int32_t stride, int32_t dil) {
  return (mote_op_options){.type = MOTE_OPTIONS_CONV2D,
                           .u.conv2d = {.stride_h = stride, .stride_w = stride, .dilation_h = dil,
                                        .dilation_w = dil, .depth_multiplier = 1}};
}

static void conv_rejects(void) {
  graph g = {0};
  int32_t x = F32(&g, buf, 1, 4, 4, 2), w = F32(&g, buf, 3, 3, 3, 2), y = F32(&g, out, 1, 2, 2, 3);
  mote_op_options o = conv(1, 1);
  CHECK(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w) == MOTE_OK);
  o = conv(0, 1);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "stride 0");
  o = conv(1, 0);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "dilation 0");
  o = conv(1, 1);
  o.u.conv2d.pad_top = -1;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "negative padding");
  o = conv(1, 1);
  o.u.conv2d.padding = (mote_padding)9;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "padding mode 9");
  o = conv(1, 1);
  o.u.conv2d.activation = (mote_activation)5;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "activation 5");
  // the message shows both shapes
  o = conv(2, 1);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "[1,2,2,3] but the op computes [1,1,1,3]");
  // dilation makes the window larger than the input
  o = conv(1, 3);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "larger than the padded input");
  // weights with 3 input channels for a 2-channel input; bias of the wrong length
  o = conv(1, 1);
  int32_t w3 = F32(&g, buf, 3, 3, 3, 3), b2 = F32(&g, buf, 2);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w3), "do not fit 2 input channels");
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w, b2), "bias");
  // groups (2 / 1 = 2) must divide the 3 output channels
  int32_t w1 = F32(&g, buf, 3, 3, 3, 1);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w1), "groups");
  // rank-3 input, missing weights, a constant output, too many inputs
  int32_t x3 = F32(&g, buf, 4, 4, 2);
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x3, w), "rank 3, expected 4");
  REJECT(run_op(&g, MOTE_OP_CONV_2D, &o, IDX(x, -1), IDX(y), 1), "input 1 is required");
  g.t[y].is_constant = true;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "constant");
  g.t[y].is_constant = false;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w, b2, b2), "expects 2 to 3 inputs");
  // int8 input (the int8 path) with a float32 output; options of another op
  g.t[x].dtype = MOTE_INT8;
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &o, 1, y, x, w), "float32, expected int8");
  g.t[x].dtype = MOTE_FLOAT32;
  mote_op_options pool = {.type = MOTE_OPTIONS_POOL2D};
  REJECT(RUN(&g, MOTE_OP_CONV_2D, &pool, 1, y, x, w), "options of type");

  // depthwise: weights must be [1, kh, kw, C*m]
  o = conv(1, 1);
  o.u.conv2d.depth_multiplier = 2;
  int32_t wd = F32(&g, buf, 1, 3, 3, 4), yd = F32(&g, out, 1, 2, 2, 4);
  CHECK(RUN(&g, MOTE_OP_DEPTHWISE_CONV_2D, &o, 1, yd, x, wd) == MOTE_OK);
  o.u.conv2d.depth_multiplier = 1;
  REJECT(RUN(&g, MOTE_OP_DEPTHWISE_CONV_2D, &o, 1, yd, x, wd), "weights");
  o.u.conv2d.depth_multiplier = 0;
  REJECT(RUN(&g, MOTE_OP_DEPTHWISE_CONV_2D, &o, 1, yd, x, wd), "depth_multiplier 0");
}

static void other_rejects(void) {
  graph g = {0};
  int32_t a = F32(&g, buf, 2, 3), b = F32(&g, buf, 2), y23 = F32(&g, out, 2, 3), y32 = F32(&g, out, 3, 2);
  REJECT(RUN(&g, MOTE_OP_ADD, NULL, 1, y23, a, b), "do not broadcast");
  REJECT(RUN(&g, MOTE_OP_ADD, NULL, 1, y32, a, a), "[3,2] but the op computes [2,3]");

  // pooling: no options, filter 0 (the schema's default), stride 0, wrong output
  int32_t x = F32(&g, buf, 1, 4, 4, 1), yp = F32(&g, out, 1, 2, 2, 1);
  REJECT(RUN(&g, MOTE_OP_MAX_POOL_2D, NULL, 1, yp, x), "expects options");
  mote_op_options po = {.type = MOTE_OPTIONS_POOL2D};
  REJECT(RUN(&g, MOTE_OP_MAX_POOL_2D, &po, 1, yp, x), "kernel 0");
  po.u.pool2d = (mote_pool2d_options){.filter_h = 2, .filter_w = 2, .stride_w = 2, .dilation_h = 1, .dilation_w = 1};
  REJECT(RUN(&g, MOTE_OP_AVERAGE_POOL_2D, &po, 1, yp, x), "stride 0");
  po.u.pool2d.stride_h = 1;
  REJECT(RUN(&g, MOTE_OP_AVERAGE_POOL_2D, &po, 1, yp, x), "[1,3,2,1]");

  // transpose: not a permutation, wrong length
  mote_op_options t = {.type = MOTE_OPTIONS_TRANSPOSE, .u.transpose = {2, {0, 0}}};
  REJECT(RUN(&g, MOTE_OP_TRANSPOSE, &t, 1, y32, a), "not a permutation");
  t.u.transpose = (mote_transpose_options){2, {1, 2}};
  REJECT(RUN(&g, MOTE_OP_TRANSPOSE, &t, 1, y32, a), "not a permutation");
  t.u.transpose = (mote_transpose_options){3, {1, 0, 2}};
  REJECT(RUN(&g, MOTE_OP_TRANSPOSE, &t, 1, y32, a), "perm has 3 entries");
  t.u.transpose = (mote_transpose_options){2, {1, 0}};
  REJECT(RUN(&g, MOTE_OP_TRANSPOSE, &t, 1, y23, a), "[2,3] but the op computes [3,2]");

  // pad: pad count, negative, reflect too wide, non-zero constant on int8
  int32_t v3 = F32(&g, buf, 3), v7 = F32(&g, out, 7);
  mote_op_options p = {.type = MOTE_OPTIONS_PAD, .u.pad = {.num_pads = 1, .pads = {2}}};
  REJECT(RUN(&g, MOTE_OP_PAD, &p, 1, v7, v3), "1 pads for rank 1");
  p.u.pad = (mote_pad_options){.num_pads = 2, .pads = {-1, 5}};
  REJECT(RUN(&g, MOTE_OP_PAD, &p, 1, v7, v3), "negative pad");
  p.u.pad = (mote_pad_options){.num_pads = 2, .pads = {3, 1}, .mode = MOTE_PADMODE_REFLECT};
  REJECT(RUN(&g, MOTE_OP_PAD, &p, 1, v7, v3), "smaller than its size 3");
  int32_t i3 = add_tensor(&g, MOTE_INT8, buf, DIMS(3)), i7 = add_tensor(&g, MOTE_INT8, out, DIMS(7));
  p.u.pad = (mote_pad_options){.num_pads = 2, .pads = {2, 2}, .value = 1.0f};
  CHECK(RUN(&g, MOTE_OP_PAD, &p, 1, i7, i3) == MOTE_ERROR_UNSUPPORTED);
  REJECT(RUN(&g, MOTE_OP_PAD, &p, 1, v7, i3), "dtype");

  // mean: axis out of range, repeated; softmax axis; reshape sizes; concat shapes
  mote_op_options m = {.type = MOTE_OPTIONS_REDUCE, .u.reduce = {2, {1, -1}, false}};
  int32_t y2 = F32(&g, out, 2);
  REJECT(RUN(&g, MOTE_OP_MEAN, &m, 1, y2, a), "given twice");
  m.u.reduce = (mote_reduce_options){1, {2}, false};
  REJECT(RUN(&g, MOTE_OP_MEAN, &m, 1, y2, a), "axis 2 out of range");
  m.u.reduce = (mote_reduce_options){1, {1}, true};
  REJECT(RUN(&g, MOTE_OP_MEAN, &m, 1, y2, a), "[2] but the op computes [2,1]");
  mote_op_options s = {.type = MOTE_OPTIONS_SOFTMAX, .u.softmax = {-3, 1}};
  REJECT(RUN(&g, MOTE_OP_SOFTMAX, &s, 1, y23, a), "axis -3");
  int32_t y5 = F32(&g, out, 5);
  REJECT(RUN(&g, MOTE_OP_RESHAPE, NULL, 1, y5, a), "cannot reshape");
  mote_op_options r = {.type = MOTE_OPTIONS_RESHAPE, .u.reshape = {2, {2, 3}}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y32, a), "but the op computes [2,3]");
  // 0 copies the input's dim, one -1 takes the rest
  r.u.reshape = (mote_reshape_options){2, {0, -1}};
  CHECK(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a) == MOTE_OK);
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y32, a), "but the op computes [2,3]");
  r.u.reshape = (mote_reshape_options){2, {-1, -1}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a), "two -1");
  r.u.reshape = (mote_reshape_options){3, {0, 0, 0}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a), "copies a dim the input lacks");
  r.u.reshape = (mote_reshape_options){2, {4, -1}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a), "no size fits -1");
  r.u.reshape = (mote_reshape_options){2, {0, 5}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a), "cannot reshape");
  r.u.reshape = (mote_reshape_options){2, {0, -2}};
  REJECT(RUN(&g, MOTE_OP_RESHAPE, &r, 1, y23, a), "new_shape[1] = -2");
  mote_op_options c = {.type = MOTE_OPTIONS_CONCATENATION, .u.concatenation = {0, MOTE_ACT_NONE}};
  REJECT(RUN(&g, MOTE_OP_CONCATENATION, &c, 1, y23, a, b), "does not fit");
  c.u.concatenation.axis = 2;
  REJECT(RUN(&g, MOTE_OP_CONCATENATION, &c, 1, y23, a, a), "axis 2 out of range");

  // fully connected / batch matmul inner dims
  int32_t w = F32(&g, buf, 4, 2);
  REJECT(RUN(&g, MOTE_OP_FULLY_CONNECTED, NULL, 1, y23, a, w), "do not take 3 input features");
  REJECT(RUN(&g, MOTE_OP_BATCH_MATMUL, NULL, 1, y23, a, a), "inner dims differ");
  REJECT(RUN(&g, MOTE_OP_BATCH_MATMUL, NULL, 1, y23, b, a), "rank >= 2");

  // activations: shape and dtype
  REJECT(RUN(&g, MOTE_OP_GELU, NULL, 1, y32, a), "[3,2] but the op computes [2,3]");
  // int8 activations are tables over quantized values: unquantized int8 is refused
  CHECK(RUN(&g, MOTE_OP_RELU, NULL, 1, i3, i3) == MOTE_ERROR_UNSUPPORTED);
  CHECK(strstr(mote_last_error(), "needs one scale and zero point") != NULL);
}

void test_rejects(void) {
  conv_rejects();
  other_rejects();
}
