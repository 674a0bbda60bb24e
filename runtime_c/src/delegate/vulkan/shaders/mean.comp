// MEAN over one contiguous block of axes: x viewed as [outer, red, inner], y [outer, inner].
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int red, inner;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int o = int(i / uint(p.inner)), in_i = int(i % uint(p.inner));
  int base = o * p.red * p.inner + in_i;
  float acc = 0.0;
  for (int k = 0; k < p.red; k++) acc += float(x[base + k * p.inner]);
  y[i] = T(acc / float(p.red));
}
