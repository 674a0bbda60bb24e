// PAD (rank <= 6): constant, reflect or edge, as src/ref/data.c.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int rank, mode;
  float value;
  int out_dims[6];
  int in_dims[6];
  int before[6];
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  uint r = i;
  int src = 0, stride = 1;
  bool inside = true;
  for (int d = p.rank - 1; d >= 0; d--) {
    int o = int(r % uint(p.out_dims[d]));
    r /= uint(p.out_dims[d]);
    int s = o - p.before[d], n = p.in_dims[d];
    if (s < 0 || s >= n) {
      if (p.mode == 0) inside = false;
      else if (p.mode == 1) {  // reflect: pads < n
        s = s < 0 ? -s : 2 * (n - 1) - s;
      } else {  // edge
        s = s < 0 ? 0 : n - 1;
      }
    }
    src += s * stride;
    stride *= n;
  }
  y[i] = inside ? x[src] : T(p.value);
}
