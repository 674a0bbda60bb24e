// SOFTMAX along one axis: x viewed as [outer, axis, inner]; one invocation per (outer, inner).
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int axis, inner;
  float beta;
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int o = int(i / uint(p.inner)), in_i = int(i % uint(p.inner));
  int base = o * p.axis * p.inner + in_i;
  // max of beta * x (not of x) keeps the exponents <= 0 for any sign of beta, as the reference
  float m = -1.0 / 0.0;
  for (int k = 0; k < p.axis; k++) m = max(m, p.beta * float(x[base + k * p.inner]));
  float sum = 0.0;
  for (int k = 0; k < p.axis; k++) sum += exp(p.beta * float(x[base + k * p.inner]) - m);
  float inv = 1.0 / sum;
  for (int k = 0; k < p.axis; k++) y[base + k * p.inner] = T(exp(p.beta * float(x[base + k * p.inner]) - m) * inv);
}
