// FULLY_CONNECTED: y[r, o] = sum_k x[r, k] * w[o, k] + bias[o], fused clamp.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 1) readonly buffer W { T w[]; };
layout(std430, binding = 2) readonly buffer B { T bias[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int in_f, out_f, has_bias;
  float act_min, act_max;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int o = int(i % uint(p.out_f));
  int r = int(i / uint(p.out_f));
  float acc = p.has_bias != 0 ? float(bias[o]) : 0.0;
  int xb = r * p.in_f, wb = o * p.in_f;
  for (int k = 0; k < p.in_f; k++) acc += float(x[xb + k]) * float(w[wb + k]);
  y[i] = T(mote_act(acc, p.act_min, p.act_max));
}
