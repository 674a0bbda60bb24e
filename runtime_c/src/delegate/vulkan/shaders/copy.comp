// Row copy with a fused clamp: y[r * dst_row + dst_off + j] = x[r * src_row + j] (CONCATENATION
// writes each input as rows into its slot; RESHAPE is one row).
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int src_row, dst_row, dst_off;
  float act_min, act_max;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int r = int(i / uint(p.src_row)), j = int(i % uint(p.src_row));
  y[r * p.dst_row + p.dst_off + j] = T(mote_act(float(x[i]), p.act_min, p.act_max));
}
