// Binary ops with broadcasting (rank <= 6): per-operand element strides (0 on broadcast dims).
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer A { T a[]; };
layout(std430, binding = 1) readonly buffer B { T b[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int op, rank;
  int dims[6];
  int a_strides[6];
  int b_strides[6];
  float act_min, act_max;
} p;

const int ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MINIMUM = 5, MAXIMUM = 6, PRELU = 7;

// powf: a negative base with an integral exponent keeps its sign; otherwise NaN as in C
float c_pow(float x, float e) {
  if (e == 0.0) return 1.0;
  if (x == 0.0) return e > 0.0 ? 0.0 : 1.0 / 0.0;
  if (x > 0.0) return pow(x, e);
  if (floor(e) != e) return 0.0 / 0.0;
  float r = pow(-x, e);
  return mod(e, 2.0) == 0.0 ? r : -r;
}

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  uint r = i;
  int ai = 0, bi = 0;
  for (int d = p.rank - 1; d >= 0; d--) {
    int idx = int(r % uint(p.dims[d]));
    r /= uint(p.dims[d]);
    ai += idx * p.a_strides[d];
    bi += idx * p.b_strides[d];
  }
  float va = float(a[ai]), vb = float(b[bi]), v;
  if (p.op == ADD) v = va + vb;
  else if (p.op == SUB) v = va - vb;
  else if (p.op == MUL) v = va * vb;
  else if (p.op == DIV) v = va / vb;
  else if (p.op == POW) v = c_pow(va, vb);
  else if (p.op == MINIMUM) v = (isnan(va) || isnan(vb)) ? va + vb : min(va, vb);
  else if (p.op == MAXIMUM) v = (isnan(va) || isnan(vb)) ? va + vb : max(va, vb);
  else v = va < 0.0 ? vb * va : va;
  y[i] = T(mote_act(v, p.act_min, p.act_max));
}
