// RESIZE, NHWC: a weighted gather through per-axis sampling tables computed on the CPU by the
// reference (mote_ref_resize_axis), so every coordinate mode matches it. idx and wt hold the
// height table (out_h * taps entries) then the width table; taps 1 nearest, 2 linear, 4 cubic;
// the sums run in the reference's order.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 1) readonly buffer I { int idx[]; };
layout(std430, binding = 2) readonly buffer W { float wt[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int in_h, in_w, c, out_h, out_w, taps, same;
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
  int xn = n * p.in_h * p.in_w * p.c + ch;
  if (p.same != 0) {
    y[i] = x[xn + (oy * p.in_w + ox) * p.c];
    return;
  }
  int hy = oy * p.taps, wx = p.out_h * p.taps + ox * p.taps;
  float acc = 0.0;
  if (p.taps == 1) {
    acc = float(x[xn + (idx[hy] * p.in_w + idx[wx]) * p.c]);
  } else if (p.taps == 2) {
    for (int a = 0; a < 2; a++)
      for (int b = 0; b < 2; b++) acc += wt[wx + b] * wt[hy + a] * float(x[xn + (idx[hy + a] * p.in_w + idx[wx + b]) * p.c]);
  } else {
    for (int a = 0; a < 4; a++) {
      float row = 0.0;
      for (int b = 0; b < 4; b++) row += wt[wx + b] * float(x[xn + (idx[hy + a] * p.in_w + idx[wx + b]) * p.c]);
      acc += row * wt[hy + a];
    }
  }
  y[i] = T(acc);
}
