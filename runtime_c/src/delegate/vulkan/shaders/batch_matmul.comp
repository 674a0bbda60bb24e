// BATCH_MATMUL: y[b, m, n] = sum_k A[b, m, k] * B[b, k, n] (adj_a / adj_b: the last two dims
// of that operand swapped), batch dims broadcast through per-operand batch strides (<= 4 dims).
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer A { T a[]; };
layout(std430, binding = 1) readonly buffer Bm { T b[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int m, k, n, adj_a, adj_b, batch_rank;
  int batch_dims[4];
  int a_strides[4];
  int b_strides[4];
} p;

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  int col = int(i % uint(p.n));
  uint r = i / uint(p.n);
  int row = int(r % uint(p.m));
  uint bi = r / uint(p.m);
  int ao = 0, bo = 0;
  for (int d = p.batch_rank - 1; d >= 0; d--) {
    int idx = int(bi % uint(p.batch_dims[d]));
    bi /= uint(p.batch_dims[d]);
    ao += idx * p.a_strides[d];
    bo += idx * p.b_strides[d];
  }
  float acc = 0.0;
  for (int t = 0; t < p.k; t++) {
    float av = float(p.adj_a != 0 ? a[ao + t * p.m + row] : a[ao + row * p.k + t]);
    float bv = float(p.adj_b != 0 ? b[bo + col * p.k + t] : b[bo + t * p.n + col]);
    acc += av * bv;
  }
  y[i] = T(acc);
}
