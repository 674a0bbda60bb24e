// Neural-network ops of the breadth work, part 3: random shapes and options.
// Each node is mostly consistent with a few fields perturbed; prepare must
// refuse it or accept a node that eval then runs inside its buffers. Every
// tensor is its own exactly sized heap block, so AddressSanitizer (the sanitized
// build) catches any out-of-bounds access; canaries catch some without it.
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"

typedef mote_status (*op_fn)(mote_context*, mote_node*);
// this family's ops, named directly (the test checks they are linked)
mote_status mote_op_resize_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_transpose_conv2d_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_instance_norm_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_lstm_prepare(mote_context* ctx, mote_node* node);
mote_status mote_op_gru_prepare(mote_context* ctx, mote_node* node);
static op_fn volatile g_link[] = {mote_op_resize_prepare, mote_op_transpose_conv2d_prepare,
                                  mote_op_instance_norm_prepare, mote_op_lstm_prepare, mote_op_gru_prepare};

#define CANARY 0x5A
#define PAD 16

static unsigned g_seed = 777u;
static int rnd(int n) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (int)((g_seed >> 8) % (unsigned)n);
}
static int rrange(int lo, int hi) { return lo + rnd(hi - lo + 1); }
// v most of the time, otherwise something near it (possibly invalid)
static int32_t maybe(int32_t v) { return rnd(8) ? v : rrange(-1, v + 2); }

typedef struct {
  graph g;
  uint8_t* mem[MAX_TENSORS];
  size_t bytes[MAX_TENSORS];  // a negative dim makes the harness's own count meaningless
} fz;

static int32_t tensor(fz* f, mote_dtype dtype, const int32_t* dims, int32_t rank) {
  size_t n = 1;
  for (int32_t d = 0; d < rank; d++) n *= dims[d] > 0 ? (size_t)dims[d] : 0;
  const size_t bytes = n * mote_dtype_size(dtype);
  uint8_t* m = malloc(bytes + PAD);
  for (size_t b = 0; b < bytes; b++) m[b] = (uint8_t)rnd(256);
  if (dtype == MOTE_FLOAT32)  // finite values
    for (size_t i = 0; i < n; i++) ((float*)m)[i] = (float)rnd(2001) / 1000.0f - 1.0f;
  if (dtype == MOTE_INT32)  // plausible lengths, sometimes out of range
    for (size_t i = 0; i < n; i++) ((int32_t*)m)[i] = rrange(-1, 6);
  for (size_t b = 0; b < PAD; b++) m[bytes + b] = CANARY;
  const int32_t i = add_tensor(&f->g, dtype, m, dims, rank);
  f->mem[i] = m, f->bytes[i] = bytes;
  return i;
}

static void finish(fz* f) {
  for (int32_t i = 0; i < f->g.n; i++) {
    int intact = 1;
    for (size_t b = 0; b < PAD; b++) intact &= f->mem[i][f->bytes[i] + b] == CANARY;
    CHECK(intact);
    free(f->mem[i]);
  }
}

static mote_threadpool* g_pool;
static int g_accepted, g_tried;

static void run(fz* f, int32_t op, const mote_op_options* o, const int32_t* ins, int32_t n_in, const int32_t* outs,
                int32_t n_out) {
  const mote_op_registration* reg = mote_op_lookup(op);
  mote_node node = {.opcode = op, .name = "fuzz", .num_inputs = n_in, .inputs = ins, .num_outputs = n_out,
                    .outputs = outs, .options = o};
  mote_context ctx = {.tensors = f->g.t, .num_tensors = f->g.n, .pool = g_pool, .num_threads = 1 + rnd(3)};
  g_tried++;
  if (reg->prepare(&ctx, &node) == MOTE_OK) {
    g_accepted++;
    ctx.scratch = node.scratch_size ? malloc(node.scratch_size) : NULL;
    ctx.scratch_size = node.scratch_size;
    const mote_status st = reg->eval(&ctx, &node);
    CHECK(st == MOTE_OK || st == MOTE_ERROR_RUNTIME);  // sequence_lens out of range
    free(ctx.scratch);
  }
  reg->free_data(&ctx, &node);
  finish(f);
}

static void fuzz_resize(void) {
  fz f = {0};
  const int32_t n = rrange(0, 2), h = rrange(0, 4), w = rrange(1, 4), c = rrange(1, 3);
  const int32_t x = tensor(&f, MOTE_FLOAT32, (int32_t[]){n, maybe(h), w, c}, 4);
  const int32_t y = tensor(&f, MOTE_FLOAT32, (int32_t[]){maybe(n), rrange(0, 7), rrange(0, 7), maybe(c)}, 4);
  mote_op_options o = {.type = MOTE_OPTIONS_RESIZE,
                       .u.resize = {.mode = maybe(rnd(3)), .coordinate_transform = maybe(rnd(6)),
                                    .nearest_mode = maybe(rnd(4)), .cubic_coeff_a = -0.75f,
                                    .exclude_outside = rnd(2)}};
  const float scales[] = {0, 0, 0.3f, 1, 1.7f, 1e-30f, 1e30f, -1};
  o.u.resize.scale_h = scales[rnd(8)], o.u.resize.scale_w = scales[rnd(8)];
  run(&f, MOTE_OP_RESIZE, &o, &x, 1, &y, 1);
}

static void fuzz_tconv(void) {
  fz f = {0};
  const int32_t groups = rrange(1, 2), cpg = rrange(1, 2), opg = rrange(1, 2), k = rrange(1, 3), s = rrange(1, 3);
  const int32_t d = rrange(1, 2), in = rrange(1, 4), pb = rnd(2), pa = rnd(2), op = rnd(2);
  const int32_t out = (in - 1) * s - pb - pa + d * (k - 1) + op + 1;
  const int32_t x = tensor(&f, MOTE_FLOAT32, (int32_t[]){1, in, maybe(in), groups * cpg}, 4);
  const int32_t wt = tensor(&f, MOTE_FLOAT32, (int32_t[]){maybe(groups * opg), k, k, maybe(cpg)}, 4);
  const int32_t b = rnd(2) ? tensor(&f, MOTE_FLOAT32, (int32_t[]){maybe(groups * opg)}, 1) : -1;
  const int32_t y = tensor(&f, MOTE_FLOAT32, (int32_t[]){1, maybe(out), out, groups * opg}, 4);
  mote_op_options o = {.type = MOTE_OPTIONS_TRANSPOSE_CONV2D,
                       .u.transpose_conv2d = {maybe(s), s, maybe(d), d, pb, pa, maybe(pb), pa, op, maybe(op),
                                              maybe(rnd(3))}};
  run(&f, MOTE_OP_TRANSPOSE_CONV_2D, &o, (int32_t[]){x, wt, b}, 3, &y, 1);
}

static void fuzz_norm(void) {
  fz f = {0};
  const int32_t rank = rrange(1, 5);
  int32_t dims[5];
  for (int32_t i = 0; i < rank; i++) dims[i] = rrange(0, 4);
  const int32_t x = tensor(&f, MOTE_FLOAT32, dims, rank), y = tensor(&f, MOTE_FLOAT32, dims, rank);
  mote_op_options o = {.type = MOTE_OPTIONS_NORM, .u.norm = {.axis = rrange(-rank - 1, rank), .epsilon = 1e-5f}};
  if (rnd(2)) {
    const int32_t c = maybe(dims[rank - 1]);
    const int32_t s = tensor(&f, MOTE_FLOAT32, &c, 1), b = tensor(&f, MOTE_FLOAT32, &c, 1);
    run(&f, MOTE_OP_INSTANCE_NORM, &o, (int32_t[]){x, s, b}, 3, &y, 1);
  } else {
    const int32_t a = o.u.norm.axis < 0 ? o.u.norm.axis + rank : o.u.norm.axis;
    int32_t sd[5] = {0}, sr = 0;
    for (int32_t i = a < 0 ? 0 : a; i < rank; i++) sd[sr++] = maybe(dims[i]);
    const int32_t s = tensor(&f, MOTE_FLOAT32, sd, sr), b = rnd(2) ? tensor(&f, MOTE_FLOAT32, sd, sr) : -1;
    run(&f, MOTE_OP_LAYER_NORM, &o, (int32_t[]){x, s, b}, 3, &y, 1);
  }
}

static void fuzz_rnn(void) {
  fz f = {0};
  const bool lstm = rnd(2);
  const int32_t g = lstm ? 4 : 3, seq = rrange(0, 3), batch = rrange(0, 3), in = rrange(0, 3), hid = rrange(1, 3);
  const mote_rnn_direction dir = (mote_rnn_direction)rnd(3);
  const int32_t dirs = dir == MOTE_RNN_BIDIRECTIONAL ? 2 : 1;
  int32_t ins[8] = {tensor(&f, MOTE_FLOAT32, (int32_t[]){seq, batch, in}, 3),
                    tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, maybe(g * hid), in}, 3),
                    tensor(&f, MOTE_FLOAT32, (int32_t[]){maybe(dirs), g * hid, hid}, 3), -1, -1, -1, -1, -1};
  if (rnd(2)) ins[3] = tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, maybe(2 * g * hid)}, 2);
  if (rnd(2)) ins[4] = tensor(&f, MOTE_INT32, (int32_t[]){maybe(batch)}, 1);
  if (rnd(2)) ins[5] = tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, maybe(batch), hid}, 3);
  if (lstm && rnd(2)) ins[6] = tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, batch, maybe(hid)}, 3);
  if (lstm && rnd(2)) ins[7] = tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, maybe(3 * hid)}, 2);
  const int32_t outs[3] = {tensor(&f, MOTE_FLOAT32, (int32_t[]){seq, dirs, batch, maybe(hid)}, 4),
                           tensor(&f, MOTE_FLOAT32, (int32_t[]){dirs, batch, hid}, 3),
                           tensor(&f, MOTE_FLOAT32, (int32_t[]){maybe(dirs), batch, hid}, 3)};
  mote_op_options o = {.type = MOTE_OPTIONS_RNN,
                       .u.rnn = {.hidden_size = maybe(hid), .direction = dir, .clip = rnd(2) ? 0.5f : 0}};
  run(&f, lstm ? MOTE_OP_LSTM : MOTE_OP_GRU, &o, ins, lstm ? 8 : 6, outs, lstm ? 3 : 2);
}

int main(void) {
  if (!harness_init()) return 1;
  for (size_t i = 0; i < sizeof g_link / sizeof g_link[0]; i++) CHECK(g_link[i] != NULL);
  g_pool = mote_threadpool_create(3);
  if (!g_pool) return 1;
  for (int i = 0; i < 1500; i++) {
    fuzz_resize();
    fuzz_tconv();
    fuzz_norm();
    fuzz_rnn();
  }
  mote_threadpool_destroy(g_pool);
  printf("fuzz: %d of %d nodes accepted and run\n", g_accepted, g_tried);
  CHECK(g_accepted > g_tried / 4);  // the generator must keep eval busy, not only prepare
  return harness_finish();
}
