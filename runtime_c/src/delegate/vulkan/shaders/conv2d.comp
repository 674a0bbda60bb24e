// CONV_2D, NHWC, weights OHWI [out_c, k_h, k_w, in_c / groups], optional bias, fused clamp.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 1) readonly buffer W { T w[]; };
layout(std430, binding = 2) readonly buffer B { T bias[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
  int stride_h, stride_w, dil_h, dil_w, pad_t, pad_l, groups, has_bias;
  float act_min, act_max;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int oc = int(i % uint(p.out_c));
  uint r = i / uint(p.out_c);
  int ox = int(r % uint(p.out_w));
  r /= uint(p.out_w);
  int oy = int(r % uint(p.out_h));
  int n = int(r / uint(p.out_h));
  int wc = p.in_c / p.groups;
  int g = oc / (p.out_c / p.groups);
  float acc = p.has_bias != 0 ? float(bias[oc]) : 0.0;
  for (int ky = 0; ky < p.k_h; ky++) {
    int iy = oy * p.stride_h - p.pad_t + ky * p.dil_h;
    if (iy < 0 || iy >= p.in_h) continue;
    for (int kx = 0; kx < p.k_w; kx++) {
      int ix = ox * p.stride_w - p.pad_l + kx * p.dil_w;
      if (ix < 0 || ix >= p.in_w) continue;
      int xb = ((n * p.in_h + iy) * p.in_w + ix) * p.in_c + g * wc;
      int wb = ((oc * p.k_h + ky) * p.k_w + kx) * wc;
      for (int c = 0; c < wc; c++) acc += float(x[xb + c]) * float(w[wb + c]);
    }
  }
  y[i] = T(mote_act(acc, p.act_min, p.act_max));
}
