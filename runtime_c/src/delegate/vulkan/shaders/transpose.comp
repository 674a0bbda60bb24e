// TRANSPOSE (rank <= 6): y in order, x read through permuted element strides.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int rank;
  int out_dims[6];
  int in_strides[6];
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  uint r = i;
  int src = 0;
  for (int d = p.rank - 1; d >= 0; d--) {
    src += int(r % uint(p.out_dims[d])) * p.in_strides[d];
    r /= uint(p.out_dims[d]);
  }
  y[i] = x[src];
}
