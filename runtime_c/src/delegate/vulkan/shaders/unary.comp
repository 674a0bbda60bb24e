// Elementwise activations and unary math on float32.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(std430, binding = 0) readonly buffer X { T x[]; };
layout(std430, binding = 3) writeonly buffer Y { T y[]; };
layout(push_constant) uniform P {
  uint total;
  int op;
  float alpha, beta, lo, hi;
} p;

// op codes, shared with vk_ops_elementwise.c
const int RELU = 0, RELU6 = 1, CLIP = 2, LEAKY_RELU = 3, LOGISTIC = 4, TANH = 5, HARD_SWISH = 6, GELU = 7,
          GELU_TANH = 8, EXP = 9, LOG = 10, SQRT = 11, RSQRT = 12, ABS = 13, NEG = 14, RECIPROCAL = 15,
          FLOOR = 16, CEIL = 17, ROUND = 18, ERF = 19, SOFTPLUS = 20, SWISH = 21, MISH = 22,
          HARD_SIGMOID = 23, SIN = 24, COS = 25;

float sigmoid(float v) { return 1.0 / (1.0 + exp(-v)); }
// tanh without the overflow of exp-based implementations for large |v|
float safe_tanh(float v) { return abs(v) > 15.0 ? sign(v) : tanh(v); }
float softplus(float v) { return v > 0.0 ? v + log(1.0 + exp(-v)) : log(1.0 + exp(v)); }

// erf (GLSL has none): the Taylor series below 0.5 (relative error < 1e-6 near 0), above it
// Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7)
float erf_approx(float v) {
  float a = abs(v);
  if (a < 0.5) {
    float t = v * v;
    return v * (1.1283791671 + t * (-0.3761263890 + t * (0.1128379167 + t * (-0.0268661706 + t * 0.0052239776))));
  }
  float t = 1.0 / (1.0 + 0.3275911 * a);
  float poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(v) * (1.0 - poly * exp(-a * a));
}

void main() {
  uint i = mote_index();
  if (i >= p.total) return;
  float v = float(x[i]), r;
  switch (p.op) {
    case RELU: r = v < 0.0 ? 0.0 : v; break;
    case RELU6: r = mote_act(v, 0.0, 6.0); break;
    case CLIP: r = mote_act(v, p.lo, p.hi); break;
    case LEAKY_RELU: r = v >= 0.0 ? v : p.alpha * v; break;
    case LOGISTIC: r = sigmoid(v); break;
    case TANH: r = safe_tanh(v); break;
    case HARD_SWISH: r = v * mote_act(v + 3.0, 0.0, 6.0) / 6.0; break;
    case GELU: r = 0.5 * v * (1.0 + erf_approx(v * 0.70710678118654752)); break;
    case GELU_TANH: r = 0.5 * v * (1.0 + safe_tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))); break;
    case EXP: r = exp(v); break;
    case LOG: r = log(v); break;
    case SQRT: r = sqrt(v); break;
    case RSQRT: r = 1.0 / sqrt(v); break;
    case ABS: r = abs(v); break;
    case NEG: r = -v; break;
    case RECIPROCAL: r = 1.0 / v; break;
    case FLOOR: r = floor(v); break;
    case CEIL: r = ceil(v); break;
    case ROUND: r = roundEven(v); break;
    case ERF: r = erf_approx(v); break;
    case SOFTPLUS: r = softplus(v); break;
    case SWISH: r = v * sigmoid(v); break;
    case MISH: r = v * safe_tanh(softplus(v)); break;
    case HARD_SIGMOID: r = mote_act(p.alpha * v + p.beta, 0.0, 1.0); break;
    case SIN: r = sin(v); break;
    default: r = cos(v); break;
  }
  y[i] = T(r);
}
