// Operator options: schema tables -> mote_op_options (field ids follow schema/mote.fbs).
#include "core/options_reader.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  fb_reader* r;
  const fb_table* t;
  char* msg;
  size_t msg_size;
} rd;

static bool bad(rd* c, const char* what, long long v) {
  snprintf(c->msg, c->msg_size, "%s %lld out of range", what, v);
  return false;
}

static bool reader_failed(rd* c) {
  snprintf(c->msg, c->msg_size, "%s (at byte %zu)", c->r->error ? c->r->error : "malformed table",
           c->r->error_pos);
  return false;
}

static bool i32(rd* c, int field, int32_t def, int32_t* out) {
  return fb_i32(c->r, c->t, field, def, out) || reader_failed(c);
}
static bool f32(rd* c, int field, float def, float* out) {
  return fb_f32(c->r, c->t, field, def, out) || reader_failed(c);
}
static bool boolean(rd* c, int field, bool* out) {
  return fb_bool(c->r, c->t, field, false, out) || reader_failed(c);
}
static bool boolean_true(rd* c, int field, bool* out) {  // a bool whose schema default is true
  return fb_bool(c->r, c->t, field, true, out) || reader_failed(c);
}

// byte enum in [0, count)
static bool enum8(rd* c, int field, const char* what, int count, int* out) {
  int8_t v;
  if (!fb_i8(c->r, c->t, field, 0, &v)) return reader_failed(c);
  if (v < 0 || v >= count) return bad(c, what, v);
  *out = v;
  return true;
}

static bool activation(rd* c, int field, mote_activation* out) {
  int v;
  if (!enum8(c, field, "activation", 3, &v)) return false;
  *out = (mote_activation)v;
  return true;
}

static bool padding(rd* c, int field, mote_padding* out) {
  int v;
  if (!enum8(c, field, "padding", 4, &v)) return false;
  *out = (mote_padding)v;
  return true;
}

// int vector of at most `cap` elements into out[]
static bool ints(rd* c, int field, const char* what, int32_t cap, int32_t* out, int32_t* count) {
  fb_vector v;
  if (!fb_vector_field(c->r, c->t, field, 4, 4, &v)) return reader_failed(c);
  if (v.len > (uint32_t)cap) {
    snprintf(c->msg, c->msg_size, "%s has %u entries, at most %d allowed", what, v.len, cap);
    return false;
  }
  for (uint32_t i = 0; i < v.len; i++) out[i] = fb_vec_i32(c->r, &v, i);
  *count = (int32_t)v.len;
  return true;
}

static bool conv2d(rd* c, mote_conv2d_options* o) {
  return i32(c, 0, 1, &o->stride_h) && i32(c, 1, 1, &o->stride_w) && i32(c, 2, 1, &o->dilation_h) &&
         i32(c, 3, 1, &o->dilation_w) && padding(c, 4, &o->padding) && i32(c, 5, 0, &o->pad_top) &&
         i32(c, 6, 0, &o->pad_left) && i32(c, 7, 0, &o->pad_bottom) && i32(c, 8, 0, &o->pad_right) &&
         i32(c, 9, 1, &o->depth_multiplier) && activation(c, 10, &o->activation);
}

static bool pool2d(rd* c, mote_pool2d_options* o) {
  return i32(c, 0, 0, &o->filter_h) && i32(c, 1, 0, &o->filter_w) && i32(c, 2, 1, &o->stride_h) &&
         i32(c, 3, 1, &o->stride_w) && i32(c, 4, 1, &o->dilation_h) && i32(c, 5, 1, &o->dilation_w) &&
         padding(c, 6, &o->padding) && i32(c, 7, 0, &o->pad_top) && i32(c, 8, 0, &o->pad_left) &&
         i32(c, 9, 0, &o->pad_bottom) && i32(c, 10, 0, &o->pad_right) && boolean(c, 11, &o->ceil_mode) &&
         boolean(c, 12, &o->count_include_pad) && activation(c, 13, &o->activation);
}

static bool transpose_conv2d(rd* c, mote_transpose_conv2d_options* o) {
  return i32(c, 0, 1, &o->stride_h) && i32(c, 1, 1, &o->stride_w) && i32(c, 2, 1, &o->dilation_h) &&
         i32(c, 3, 1, &o->dilation_w) && i32(c, 4, 0, &o->pad_top) && i32(c, 5, 0, &o->pad_left) &&
         i32(c, 6, 0, &o->pad_bottom) && i32(c, 7, 0, &o->pad_right) && i32(c, 8, 0, &o->output_padding_h) &&
         i32(c, 9, 0, &o->output_padding_w) && activation(c, 10, &o->activation);
}

static bool resize(rd* c, mote_resize_options* o) {
  int mode, coord, nearest;
  if (!enum8(c, 0, "resize mode", 3, &mode) || !enum8(c, 1, "coordinate transform", 6, &coord) ||
      !enum8(c, 2, "nearest mode", 4, &nearest))
    return false;
  o->mode = (mote_resize_mode)mode;
  o->coordinate_transform = (mote_coordinate_transform)coord;
  o->nearest_mode = (mote_nearest_mode)nearest;
  return f32(c, 3, -0.75f, &o->cubic_coeff_a) && boolean(c, 4, &o->exclude_outside) &&
         f32(c, 5, 0.0f, &o->extrapolation_value) && f32(c, 6, 0.0f, &o->scale_h) &&
         f32(c, 7, 0.0f, &o->scale_w);
}

static bool rnn(rd* c, mote_rnn_options* o) {
  int dir;
  if (!i32(c, 0, 0, &o->hidden_size) || !enum8(c, 1, "rnn direction", 3, &dir)) return false;
  o->direction = (mote_rnn_direction)dir;
  return f32(c, 2, 0.0f, &o->clip) && boolean(c, 3, &o->linear_before_reset) && boolean(c, 4, &o->input_forget);
}

// three int vectors of equal length (SLICE)
static bool slice(rd* c, mote_slice_options* o) {
  int32_t n_starts, n_ends, n_steps;
  if (!ints(c, 0, "starts", MOTE_MAX_RANK, o->starts, &n_starts) ||
      !ints(c, 1, "ends", MOTE_MAX_RANK, o->ends, &n_ends) || !ints(c, 2, "steps", MOTE_MAX_RANK, o->steps, &n_steps))
    return false;
  if (n_starts != n_ends || n_starts != n_steps) {
    snprintf(c->msg, c->msg_size, "slice starts/ends/steps have %d/%d/%d entries", n_starts, n_ends, n_steps);
    return false;
  }
  o->rank = n_starts;
  return true;
}

bool mote_read_options(fb_reader* r, mote_options_type type, const fb_table* t, mote_op_options* out,
                       char* msg, size_t msg_size) {
  rd c = {r, t, msg, msg_size};
  memset(out, 0, sizeof *out);
  out->type = type;
  int v;
  switch (type) {
    case MOTE_OPTIONS_NONE:
      return true;
    case MOTE_OPTIONS_BINARY:
      return activation(&c, 0, &out->u.binary.activation);
    case MOTE_OPTIONS_FULLY_CONNECTED:
      return activation(&c, 0, &out->u.fully_connected.activation);
    case MOTE_OPTIONS_BATCH_MATMUL:
      return boolean(&c, 0, &out->u.batch_matmul.adj_a) && boolean(&c, 1, &out->u.batch_matmul.adj_b);
    case MOTE_OPTIONS_CONV2D:
      return conv2d(&c, &out->u.conv2d);
    case MOTE_OPTIONS_POOL2D:
      return pool2d(&c, &out->u.pool2d);
    case MOTE_OPTIONS_REDUCE:
      return ints(&c, 0, "axes", MOTE_MAX_RANK, out->u.reduce.axes, &out->u.reduce.num_axes) &&
             boolean(&c, 1, &out->u.reduce.keep_dims);
    case MOTE_OPTIONS_SOFTMAX:
      return i32(&c, 0, -1, &out->u.softmax.axis) && f32(&c, 1, 1.0f, &out->u.softmax.beta);
    case MOTE_OPTIONS_RESHAPE:
      return ints(&c, 0, "new_shape", MOTE_MAX_RANK, out->u.reshape.new_shape, &out->u.reshape.rank);
    case MOTE_OPTIONS_CONCATENATION:
      return i32(&c, 0, 0, &out->u.concatenation.axis) && activation(&c, 1, &out->u.concatenation.activation);
    case MOTE_OPTIONS_PAD:
      if (!ints(&c, 0, "pads", 2 * MOTE_MAX_RANK, out->u.pad.pads, &out->u.pad.num_pads)) return false;
      if (!enum8(&c, 1, "pad mode", 3, &v)) return false;
      out->u.pad.mode = (mote_pad_mode)v;
      return f32(&c, 2, 0.0f, &out->u.pad.value);
    case MOTE_OPTIONS_TRANSPOSE:
      return ints(&c, 0, "perm", MOTE_MAX_RANK, out->u.transpose.perm, &out->u.transpose.rank);
    case MOTE_OPTIONS_CLIP:
      return f32(&c, 0, -INFINITY, &out->u.clip.min) && f32(&c, 1, INFINITY, &out->u.clip.max);
    case MOTE_OPTIONS_LEAKY_RELU:
      return f32(&c, 0, 0.01f, &out->u.leaky_relu.alpha);
    case MOTE_OPTIONS_GELU:
      return boolean(&c, 0, &out->u.gelu.approximate);
    case MOTE_OPTIONS_HARD_SIGMOID:
      return f32(&c, 0, 0.2f, &out->u.hard_sigmoid.alpha) && f32(&c, 1, 0.5f, &out->u.hard_sigmoid.beta);
    case MOTE_OPTIONS_ARG:
      return i32(&c, 0, 0, &out->u.arg.axis) && boolean_true(&c, 1, &out->u.arg.keep_dims) &&
             boolean(&c, 2, &out->u.arg.select_last_index);
    case MOTE_OPTIONS_SPLIT:
      return i32(&c, 0, 0, &out->u.split.axis) &&
             ints(&c, 1, "split sizes", MOTE_MAX_SPLITS, out->u.split.sizes, &out->u.split.num_sizes);
    case MOTE_OPTIONS_SLICE:
      return slice(&c, &out->u.slice);
    case MOTE_OPTIONS_GATHER:
      return i32(&c, 0, 0, &out->u.gather.axis);
    case MOTE_OPTIONS_TILE:
      return ints(&c, 0, "multiples", MOTE_MAX_RANK, out->u.tile.multiples, &out->u.tile.rank);
    case MOTE_OPTIONS_DEPTH_SPACE:
      if (!i32(&c, 0, 0, &out->u.depth_space.block_size) || !enum8(&c, 1, "depth/space mode", 2, &v)) return false;
      out->u.depth_space.mode = (mote_depth_space_mode)v;
      return true;
    case MOTE_OPTIONS_TOPK:
      return i32(&c, 0, 0, &out->u.topk.k) && i32(&c, 1, -1, &out->u.topk.axis) &&
             boolean_true(&c, 2, &out->u.topk.largest);
    case MOTE_OPTIONS_RESIZE:
      return resize(&c, &out->u.resize);
    case MOTE_OPTIONS_TRANSPOSE_CONV2D:
      return transpose_conv2d(&c, &out->u.transpose_conv2d);
    case MOTE_OPTIONS_NORM:
      return i32(&c, 0, -1, &out->u.norm.axis) && f32(&c, 1, 1e-5f, &out->u.norm.epsilon);
    case MOTE_OPTIONS_RNN:
      return rnn(&c, &out->u.rnn);
    case MOTE_OPTIONS_COUNT:
      break;
  }
  return bad(&c, "options type", (long long)type);
}
