// Reference LSTM and GRU time steps (ONNX equations, default activations),
// float32. A step computes whole hidden units, so units split over threads:
// unit j reads all of h_prev but writes only its own column of the state.
#include <math.h>

#include "ref/ref_nn.h"

static float sigmoidf(float v) { return 1.0f / (1.0f + expf(-v)); }

// ONNX clip bounds the input of every activation
static float clipf(float v, float c) { return c > 0.0f ? (v < -c ? -c : (v > c ? c : v)) : v; }

// four partial sums: one chain would be bound by the add latency
static float dot(const float* a, const float* b, size_t n) {
  float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t k = 0; k < 4; k++) acc[k] += a[i + k] * b[i + k];
  for (; i < n; i++) acc[0] += a[i] * b[i];
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

static bool active(const int32_t* lens, size_t b, int32_t t) { return !lens || t < lens[b]; }

// x_t·w[row] + h·r[row] + both biases of row
static float gate(const mote_rnn_params* p, const float* xr, const float* hr, const float* w, const float* r,
                  const float* b, size_t rows, size_t row) {
  const size_t in = (size_t)p->input, hid = (size_t)p->hidden;
  float v = dot(xr, w + row * in, in) + dot(hr, r + row * hid, hid);
  return b ? v + (b[row] + b[rows + row]) : v;
}

void mote_ref_lstm_step_f32(const mote_rnn_params* p, const float* x_t, const float* w, const float* r,
                            const float* b, const float* peep, const float* h_prev, float* h_next, float* c,
                            float* y_t, const int32_t* lens, int32_t t, size_t j0, size_t j1) {
  const size_t hid = (size_t)p->hidden, rows = 4 * hid;
  for (size_t bb = 0; bb < (size_t)p->batch; bb++) {
    const float* xr = x_t + bb * (size_t)p->input;
    const float* hr = h_prev + bb * hid;
    for (size_t j = j0; j < j1; j++) {
      const size_t k = bb * hid + j;
      if (!active(lens, bb, t)) {
        h_next[k] = h_prev[k];
        if (y_t) y_t[k] = 0.0f;
        continue;
      }
      const float c_prev = c[k];
      // gate rows: i, o, f, c; peepholes: i, o, f
      const float gi = gate(p, xr, hr, w, r, b, rows, j) + (peep ? peep[j] * c_prev : 0.0f);
      const float gf = gate(p, xr, hr, w, r, b, rows, 2 * hid + j) + (peep ? peep[2 * hid + j] * c_prev : 0.0f);
      const float gc = gate(p, xr, hr, w, r, b, rows, 3 * hid + j);
      const float i = sigmoidf(clipf(gi, p->clip));
      const float f = p->input_forget ? 1.0f - i : sigmoidf(clipf(gf, p->clip));
      const float c_new = f * c_prev + i * tanhf(clipf(gc, p->clip));
      const float go = gate(p, xr, hr, w, r, b, rows, hid + j) + (peep ? peep[hid + j] * c_new : 0.0f);
      const float h = sigmoidf(clipf(go, p->clip)) * tanhf(c_new);
      c[k] = c_new;
      h_next[k] = h;
      if (y_t) y_t[k] = h;
    }
  }
}

void mote_ref_gru_gates_f32(const mote_rnn_params* p, const float* x_t, const float* w, const float* r,
                            const float* b, const float* h_prev, float* z, float* rh, const int32_t* lens,
                            int32_t t, size_t j0, size_t j1) {
  const size_t hid = (size_t)p->hidden, rows = 3 * hid;
  for (size_t bb = 0; bb < (size_t)p->batch; bb++) {
    if (!active(lens, bb, t)) continue;
    const float* xr = x_t + bb * (size_t)p->input;
    const float* hr = h_prev + bb * hid;
    for (size_t j = j0; j < j1; j++) {
      const size_t k = bb * hid + j;
      z[k] = sigmoidf(clipf(gate(p, xr, hr, w, r, b, rows, j), p->clip));
      const float rg = sigmoidf(clipf(gate(p, xr, hr, w, r, b, rows, hid + j), p->clip));
      rh[k] = p->linear_before_reset ? rg : rg * hr[j];
    }
  }
}

void mote_ref_gru_update_f32(const mote_rnn_params* p, const float* x_t, const float* w, const float* r,
                             const float* b, const float* h_prev, const float* z, const float* rh, float* h_next,
                             float* y_t, const int32_t* lens, int32_t t, size_t j0, size_t j1) {
  const size_t in = (size_t)p->input, hid = (size_t)p->hidden, row = 2 * hid;  // candidate rows
  for (size_t bb = 0; bb < (size_t)p->batch; bb++) {
    const float* xr = x_t + bb * in;
    const float* hr = h_prev + bb * hid;
    for (size_t j = j0; j < j1; j++) {
      const size_t k = bb * hid + j;
      if (!active(lens, bb, t)) {
        h_next[k] = h_prev[k];
        if (y_t) y_t[k] = 0.0f;
        continue;
      }
      const float wb = b ? b[row + j] : 0.0f, rb = b ? b[3 * hid + row + j] : 0.0f;
      const float* rrow = r + (row + j) * hid;
      float pre;
      if (p->linear_before_reset)
        pre = dot(xr, w + (row + j) * in, in) + rh[k] * (dot(hr, rrow, hid) + rb) + wb;
      else
        pre = dot(xr, w + (row + j) * in, in) + dot(rh + bb * hid, rrow, hid) + rb + wb;
      const float cand = tanhf(clipf(pre, p->clip));
      const float h = (1.0f - z[k]) * cand + z[k] * hr[j];
      h_next[k] = h;
      if (y_t) y_t[k] = h;
    }
  }
}
