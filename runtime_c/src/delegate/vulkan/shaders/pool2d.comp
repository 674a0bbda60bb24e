// MAX_POOL_2D / AVERAGE_POOL_2D, NHWC, as the reference kernels (src/ref/pool2d.c): a window
// wholly in the padding gives 0; average divides by the taps inside the input, or inside the
// padded input with count_include_pad.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int is_max, in_h, in_w, c, out_h, out_w, f_h, f_w;
  int stride_h, stride_w, dil_h, dil_w, pad_t, pad_l, pad_b, pad_r, count_include_pad;
  float act_min, act_max;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int ch = int(i % uint(p.c));
  uint r = i / uint(p.c);
  int ox = int(r % uint(p.out_w));
  r /= uint(p.out_w);
  int oy = int(r % uint(p.out_h));
  int n = int(r / uint(p.out_h));
  int iy0 = oy * p.stride_h - p.pad_t, ix0 = ox * p.stride_w - p.pad_l;
  float acc = p.is_max != 0 ? -1.0 / 0.0 : 0.0;
  int taps = 0, count = 0;
  for (int ky = 0; ky < p.f_h; ky++) {
    int iy = iy0 + ky * p.dil_h;
    bool h_in = iy >= 0 && iy < p.in_h;
    bool h_pad = iy >= -p.pad_t && iy < p.in_h + p.pad_b;
    for (int kx = 0; kx < p.f_w; kx++) {
      int ix = ix0 + kx * p.dil_w;
      bool w_in = ix >= 0 && ix < p.in_w;
      bool w_pad = ix >= -p.pad_l && ix < p.in_w + p.pad_r;
      if (p.count_include_pad != 0 ? (h_pad && w_pad) : (h_in && w_in)) count++;
      if (!h_in || !w_in) continue;
      float v = float(x[((n * p.in_h + iy) * p.in_w + ix) * p.c + ch]);
      if (p.is_max != 0) acc = (v > acc || isnan(v)) ? v : acc;
      else acc += v;
      taps++;
    }
  }
  float res;
  if (p.is_max != 0) res = taps > 0 ? mote_act(acc, p.act_min, p.act_max) : 0.0;
  else res = mote_act(acc / (count > 0 ? float(count) : 1.0), p.act_min, p.act_max);
  y[i] = T(res);
}
