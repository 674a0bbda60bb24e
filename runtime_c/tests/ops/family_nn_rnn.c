// Neural-network ops of the breadth work, part 2: LSTM and GRU. Hand goldens
// (zero weights: every gate is sigmoid(0) = 0.5), an independent oracle that runs
// the ONNX equations over the whole sequence in double, and prepare's refusals.
#include <stdlib.h>

#include "harness.h"
#include "ops/op_common.h"

// this family's ops, named directly: the registry must hold these very functions
typedef mote_status (*op_fn)(mote_context*, mote_node*);
mote_status mote_op_lstm_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_gru_prepare(mote_context* ctx, mote_node* node);
static op_fn volatile g_link[] = {mote_op_lstm_prepare, mote_op_gru_prepare};

static mote_threadpool* g_pool3;

// run_op with scratch: prepare, then scratch of the size it asked for, then eval (as the interpreter)
static mote_status run_rnn(graph* g, int32_t opcode, const mote_op_options* opts, const int32_t* ins, int32_t n_in,
                           const int32_t* outs, int32_t n_out, int threads) {
  const mote_op_registration* reg = mote_op_lookup(opcode);
  if (!reg) return MOTE_ERROR_UNSUPPORTED;
  mote_node node = {.opcode = opcode, .name = "test", .num_inputs = n_in, .inputs = ins, .num_outputs = n_out,
                    .outputs = outs, .options = opts};
  mote_context ctx = {.tensors = g->t, .num_tensors = g->n, .pool = g_pool3, .num_threads = threads};
  mote_status st = reg->prepare(&ctx, &node);
  if (st == MOTE_OK) {
    ctx.scratch = node.scratch_size ? malloc(node.scratch_size) : NULL;
    ctx.scratch_size = node.scratch_size;
    st = reg->eval(&ctx, &node);
    free(ctx.scratch);
  }
  if (reg->free_data) reg->free_data(&ctx, &node);
  return st;
}

static mote_op_options rnn_opts(int32_t hidden, mote_rnn_direction dir, float clip, bool lbr, bool input_forget) {
  return (mote_op_options){.type = MOTE_OPTIONS_RNN, .u.rnn = {hidden, dir, clip, lbr, input_forget}};
}

static void hand_cases(void) {
  // hidden 1, input 1, zero weights: i = o = f = 0.5, candidate tanh(0) = 0, so c halves each step
  float x[2] = {3, -4}, w[4] = {0}, r[4] = {0}, h0 = 0, c0 = 1, y[2], yh, yc;
  graph g = {0};
  const int32_t xi = F32(&g, x, 2, 1, 1), wi = F32(&g, w, 1, 4, 1), ri = F32(&g, r, 1, 4, 1);
  const int32_t hi = F32(&g, &h0, 1, 1, 1), ci = F32(&g, &c0, 1, 1, 1);
  const int32_t outs[3] = {F32(&g, y, 2, 1, 1, 1), F32(&g, &yh, 1, 1, 1), F32(&g, &yc, 1, 1, 1)};
  const int32_t ins[7] = {xi, wi, ri, -1, -1, hi, ci};
  mote_op_options o = rnn_opts(1, MOTE_RNN_FORWARD, 0, false, false);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 7, outs, 3, 1) == MOTE_OK);
  const float want_y[2] = {0.5f * tanhf(0.5f), 0.5f * tanhf(0.25f)};
  CHECK_CLOSE(y, want_y, 2, 1e-6f);
  CHECK(fabsf(yh - want_y[1]) < 1e-6f && fabsf(yc - 0.25f) < 1e-6f);
  // input_forget: f = 1 - i = 0.5 as well here; clip 0.1 leaves zero pre-activations alone
  o = rnn_opts(1, MOTE_RNN_REVERSE, 0.1f, false, true);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 7, outs, 3, 1) == MOTE_OK);
  const float want_rev[2] = {0.5f * tanhf(0.25f), 0.5f * tanhf(0.5f)};  // step 1 runs first
  CHECK_CLOSE(y, want_rev, 2, 1e-6f);

  // GRU, zero weights: z = r = 0.5, candidate tanh(0) = 0, so h halves each step
  float wg[3] = {0}, rg[3] = {0}, h1 = 1, yg[2], yhg;
  g = (graph){0};
  const int32_t gins[6] = {F32(&g, x, 2, 1, 1), F32(&g, wg, 1, 3, 1), F32(&g, rg, 1, 3, 1), -1, -1,
                           F32(&g, &h1, 1, 1, 1)};
  const int32_t gouts[2] = {F32(&g, yg, 2, 1, 1, 1), F32(&g, &yhg, 1, 1, 1)};
  for (int lbr = 0; lbr < 2; lbr++) {
    o = rnn_opts(1, MOTE_RNN_FORWARD, 0, lbr, false);
    CHECK(run_rnn(&g, MOTE_OP_GRU, &o, gins, 6, gouts, 2, 1) == MOTE_OK);
    CHECK(fabsf(yg[0] - 0.5f) < 1e-6f && fabsf(yg[1] - 0.25f) < 1e-6f && fabsf(yhg - 0.25f) < 1e-6f);
  }
}

typedef struct {
  bool lstm;
  int seq, batch, in, hid;
  mote_rnn_direction dir;
  float clip;
  bool flag;  // LSTM input_forget, GRU linear_before_reset
  bool bias, init, peep;
  const int32_t* lens;
} rnn_case;

static double sig(double v) { return 1 / (1 + exp(-v)); }
static double clipd(double v, double c) { return c > 0 ? fmin(fmax(v, -c), c) : v; }

// ONNX equations over the whole sequence, one direction at a time, in double
static void oracle(const rnn_case* k, const float* x, const float* w, const float* r, const float* b,
                   const float* h0, const float* c0, const float* p, float* y, float* yh, float* yc) {
  const int H = k->hid, I = k->in, B = k->batch, G = k->lstm ? 4 : 3, dirs = k->dir == MOTE_RNN_BIDIRECTIONAL ? 2 : 1;
  double *h = calloc((size_t)B * H, sizeof *h), *c = calloc((size_t)B * H, sizeof *c);
  double *gx = malloc((size_t)G * H * sizeof *gx), *gh = malloc((size_t)G * H * sizeof *gh);
  for (int d = 0; d < dirs; d++) {
    const float *wd = w + (size_t)d * G * H * I, *rd = r + (size_t)d * G * H * H;
    const float *bd = b ? b + (size_t)d * 2 * G * H : NULL, *pd = p ? p + (size_t)d * 3 * H : NULL;
    const int rev = k->dir == MOTE_RNN_REVERSE || d == 1;
    for (int bb = 0; bb < B; bb++) {
      const int len = k->lens ? k->lens[bb] : k->seq;
      for (int j = 0; j < H; j++) {
        h[bb * H + j] = h0 ? h0[(d * B + bb) * H + j] : 0;
        c[bb * H + j] = c0 ? c0[(d * B + bb) * H + j] : 0;
      }
      for (int t = 0; t < k->seq; t++)
        for (int j = 0; j < H; j++) y[((t * dirs + d) * B + bb) * H + j] = 0;
      for (int s = 0; s < len; s++) {
        const int t = rev ? len - 1 - s : s;
        const float* xt = x + ((size_t)t * B + bb) * I;
        for (int q = 0; q < G * H; q++) {
          gx[q] = bd ? bd[q] : 0, gh[q] = bd ? bd[G * H + q] : 0;
          for (int i = 0; i < I; i++) gx[q] += (double)xt[i] * wd[q * I + i];
          if (k->lstm || q < 2 * H || k->flag)  // GRU (lbr = 0) multiplies r into h before Rh
            for (int i = 0; i < H; i++) gh[q] += h[bb * H + i] * rd[q * H + i];
        }
        double hn[64];
        for (int j = 0; j < H; j++) {
          if (k->lstm) {
            const double cp = c[bb * H + j];
            const double gi = sig(clipd(gx[j] + gh[j] + (pd ? pd[j] * cp : 0), k->clip));
            const double gf = k->flag ? 1 - gi : sig(clipd(gx[2 * H + j] + gh[2 * H + j] + (pd ? pd[2 * H + j] * cp : 0), k->clip));
            const double cn = gf * cp + gi * tanh(clipd(gx[3 * H + j] + gh[3 * H + j], k->clip));
            const double go = sig(clipd(gx[H + j] + gh[H + j] + (pd ? pd[H + j] * cn : 0), k->clip));
            c[bb * H + j] = cn;
            hn[j] = go * tanh(cn);
          } else {
            const double z = sig(clipd(gx[j] + gh[j], k->clip)), rr = sig(clipd(gx[H + j] + gh[H + j], k->clip));
            double cand;
            if (k->flag) {
              cand = gx[2 * H + j] + rr * gh[2 * H + j];
            } else {
              cand = gx[2 * H + j] + (bd ? bd[G * H + 2 * H + j] : 0);
              for (int i = 0; i < H; i++) {
                const double ri = sig(clipd(gx[H + i] + gh[H + i], k->clip));
                cand += ri * h[bb * H + i] * rd[(2 * H + j) * H + i];
              }
            }
            hn[j] = (1 - z) * tanh(clipd(cand, k->clip)) + z * h[bb * H + j];
          }
        }
        for (int j = 0; j < H; j++) h[bb * H + j] = hn[j], y[((t * dirs + d) * B + bb) * H + j] = (float)hn[j];
      }
      for (int j = 0; j < H; j++) {
        yh[(d * B + bb) * H + j] = len ? (float)h[bb * H + j] : 0;
        if (yc) yc[(d * B + bb) * H + j] = len ? (float)c[bb * H + j] : 0;
      }
    }
  }
  free(h), free(c), free(gx), free(gh);
}

static float* rnd(size_t n, unsigned seed, float scale) {
  float* v = malloc(n * sizeof *v);
  fill_random(v, n, seed);
  for (size_t i = 0; i < n; i++) v[i] *= scale;
  return v;
}

static void random_case(const rnn_case* k, int threads) {
  const int H = k->hid, I = k->in, B = k->batch, T = k->seq, G = k->lstm ? 4 : 3;
  const int dirs = k->dir == MOTE_RNN_BIDIRECTIONAL ? 2 : 1;
  const size_t nst = (size_t)dirs * B * H, ny = (size_t)T * nst;
  float *x = rnd((size_t)T * B * I, 41, 2), *w = rnd((size_t)dirs * G * H * I, 42, 0.8f),
        *r = rnd((size_t)dirs * G * H * H, 43, 0.8f), *b = rnd((size_t)dirs * 2 * G * H, 44, 1),
        *h0 = rnd(nst, 45, 1), *c0 = rnd(nst, 46, 1), *p = rnd((size_t)dirs * 3 * H, 47, 1);
  float *y = malloc(ny * 4), *yh = malloc(nst * 4), *yc = malloc(nst * 4);
  float *wy = malloc(ny * 4), *wyh = malloc(nst * 4), *wyc = malloc(nst * 4);
  graph g = {0};
  int32_t ins[8] = {F32(&g, x, T, B, I), F32(&g, w, dirs, G * H, I), F32(&g, r, dirs, G * H, H), -1, -1, -1, -1, -1};
  if (k->bias) ins[3] = F32(&g, b, dirs, 2 * G * H);
  if (k->lens) ins[4] = add_tensor(&g, MOTE_INT32, (void*)k->lens, DIMS(B));
  if (k->init) ins[5] = F32(&g, h0, dirs, B, H), ins[6] = F32(&g, c0, dirs, B, H);
  if (k->peep) ins[7] = F32(&g, p, dirs, 3 * H);
  const int32_t outs[3] = {F32(&g, y, T, dirs, B, H), F32(&g, yh, dirs, B, H), F32(&g, yc, dirs, B, H)};
  mote_op_options o = rnn_opts(H, k->dir, k->clip, !k->lstm && k->flag, k->lstm && k->flag);
  CHECK(run_rnn(&g, k->lstm ? MOTE_OP_LSTM : MOTE_OP_GRU, &o, ins, k->lstm ? 8 : 6, outs, k->lstm ? 3 : 2,
                threads) == MOTE_OK);
  oracle(k, x, w, r, k->bias ? b : NULL, k->init ? h0 : NULL, k->init ? c0 : NULL, k->peep ? p : NULL, wy, wyh,
         k->lstm ? wyc : NULL);
  CHECK_CLOSE(y, wy, ny, 2e-5f);
  CHECK_CLOSE(yh, wyh, nst, 2e-5f);
  if (k->lstm) CHECK_CLOSE(yc, wyc, nst, 2e-5f);
  free(x), free(w), free(r), free(b), free(h0), free(c0), free(p), free(y), free(yh), free(yc), free(wy), free(wyh),
      free(wyc);
}

static void sweep(void) {
  static const int32_t lens[3] = {5, 2, 0};
  int count = 0;
  for (int lstm = 0; lstm < 2; lstm++)
    for (int dir = 0; dir < 3; dir++)
      for (int v = 0; v < 4; v++) {
        // v: 0 bare; 1 bias + initial state (+ peepholes); 2 + clip and the flag; 3 + per-row lengths
        rnn_case k = {.lstm = lstm, .seq = 5, .batch = 3, .in = 4, .hid = v == 1 ? 17 : 6, .dir = dir,
                      .clip = v >= 2 ? 0.7f : 0, .flag = v >= 2, .bias = v >= 1, .init = v >= 1,
                      .peep = lstm && v >= 1, .lens = v == 3 ? lens : NULL};
        random_case(&k, 1 + 2 * (count++ % 2));
      }
  // one row, one step, one unit
  rnn_case tiny = {.lstm = true, .seq = 1, .batch = 1, .in = 1, .hid = 1, .dir = MOTE_RNN_BIDIRECTIONAL, .bias = true};
  random_case(&tiny, 3);
  tiny.lstm = false;
  random_case(&tiny, 1);
}

static void rejects(void) {
  float x[24] = {0}, w[4 * 4 * 3 * 2] = {0}, r[4 * 4 * 4 * 2] = {0}, b[64] = {0}, y[64], yh[16], yc[16];
  float lens_f[2] = {1, 1};
  int32_t lens_bad[2] = {1, 4};
  graph g = {0};
  // LSTM: seq 3, batch 2, input 3, hidden 4
  const int32_t xi = F32(&g, x, 3, 2, 3), wi = F32(&g, w, 1, 16, 3), ri = F32(&g, r, 1, 16, 4),
                bi = F32(&g, b, 1, 32);
  const int32_t yi = F32(&g, y, 3, 1, 2, 4), yhi = F32(&g, yh, 1, 2, 4), yci = F32(&g, yc, 1, 2, 4);
  int32_t ins[8] = {xi, wi, ri, bi, -1, -1, -1, -1}, outs[3] = {yi, yhi, yci};
  mote_op_options o = rnn_opts(4, MOTE_RNN_FORWARD, 0, false, false);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_OK);
  mote_op_options bad = rnn_opts(0, MOTE_RNN_FORWARD, 0, false, false);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("hidden_size");
  bad = rnn_opts(5, MOTE_RNN_FORWARD, 0, false, false);  // W says 4
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("W");
  bad = rnn_opts(4, MOTE_RNN_BIDIRECTIONAL, 0, false, false);  // weights have one direction
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  bad = rnn_opts(4, 3, 0, false, false);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  bad = rnn_opts(4, MOTE_RNN_FORWARD, -1, false, false);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  bad = rnn_opts(4, MOTE_RNN_FORWARD, 0, true, false);  // a GRU option
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &bad, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, NULL, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);  // no options
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 2, 1) == MOTE_ERROR_INVALID_MODEL);  // Y_c missing
  int32_t t = ins[2];
  ins[2] = F32(&g, r, 1, 16, 3);  // R must be [dirs, 4H, H]
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("R");
  ins[2] = t, t = ins[3];
  ins[3] = F32(&g, b, 1, 16);  // B is [dirs, 8H]
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("B");
  ins[3] = t;
  ins[7] = F32(&g, b, 1, 16);  // P is [dirs, 3H]
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  ins[7] = -1;
  ins[5] = F32(&g, b, 1, 3, 4);  // initial_h [dirs, batch, H]
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("initial_h");
  ins[5] = -1;
  ins[4] = F32(&g, lens_f, 2);  // sequence_lens must be integers
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  ins[4] = add_tensor(&g, MOTE_INT32, lens_bad, DIMS(2));  // 4 > seq 3: found at run time
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, outs, 3, 1) == MOTE_ERROR_RUNTIME);
  CHECK_ERROR_HAS("sequence_lens");
  ins[4] = -1;
  int32_t bad_outs[3] = {F32(&g, y, 3, 2, 1, 4), yhi, yci};  // Y is [seq, dirs, batch, H]
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, bad_outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("Y");
  bad_outs[0] = yi, bad_outs[2] = F32(&g, yc, 2, 4);
  CHECK(run_rnn(&g, MOTE_OP_LSTM, &o, ins, 8, bad_outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);
  // GRU (a fresh graph: harness graphs hold 16 tensors): W of 4H rows is an LSTM's; input_forget is not a GRU option
  g = (graph){0};
  const int32_t gx = F32(&g, x, 3, 2, 3), gw = F32(&g, w, 1, 12, 3), gr = F32(&g, r, 1, 12, 4);
  const int32_t lw = F32(&g, w, 1, 16, 3), gb = F32(&g, b, 1, 32);
  outs[0] = F32(&g, y, 3, 1, 2, 4), outs[1] = F32(&g, yh, 1, 2, 4), outs[2] = F32(&g, yc, 1, 2, 4);
  int32_t gins[6] = {gx, gw, gr, -1, -1, -1};
  CHECK(run_rnn(&g, MOTE_OP_GRU, &o, gins, 6, outs, 2, 1) == MOTE_OK);
  gins[1] = lw;
  CHECK(run_rnn(&g, MOTE_OP_GRU, &o, gins, 6, outs, 2, 1) == MOTE_ERROR_INVALID_MODEL);
  gins[1] = gw;
  bad = rnn_opts(4, MOTE_RNN_FORWARD, 0, false, true);
  CHECK(run_rnn(&g, MOTE_OP_GRU, &bad, gins, 6, outs, 2, 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_rnn(&g, MOTE_OP_GRU, &o, gins, 6, outs, 3, 1) == MOTE_ERROR_INVALID_MODEL);  // two outputs
  gins[3] = gb;  // B is [dirs, 6H]
  CHECK(run_rnn(&g, MOTE_OP_GRU, &o, gins, 6, outs, 2, 1) == MOTE_ERROR_INVALID_MODEL);
}

int main(void) {
  if (!harness_init()) return 1;
  for (size_t i = 0; i < sizeof g_link / sizeof g_link[0]; i++) CHECK(g_link[i] != NULL);
  g_pool3 = mote_threadpool_create(3);
  if (!g_pool3) return 1;
  hand_cases();
  sweep();
  rejects();
  mote_threadpool_destroy(g_pool3);
  return harness_finish();
}
