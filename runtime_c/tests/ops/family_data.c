// Breadth data family: SPLIT, SLICE, GATHER, TILE, BROADCAST_TO, DEPTH_TO_SPACE/SPACE_TO_DEPTH,
// TOPK. Golden values (numpy's), threaded runs against plain loops, and prepare's refusals.
#include "family_run.h"

// this family's ops, named directly: the registry must hold these very functions
STRONG_OP(split);
STRONG_OP(slice);
STRONG_OP(gather);
STRONG_OP(tile);
STRONG_OP(broadcast_to);
STRONG_OP(depth_space);
STRONG_OP(topk);
static const op_fn g_linked[] = {
    mote_op_split_prepare, mote_op_split_eval,
    mote_op_slice_prepare, mote_op_slice_eval,
    mote_op_gather_prepare, mote_op_gather_eval,
    mote_op_tile_prepare, mote_op_tile_eval,
    mote_op_broadcast_to_prepare, mote_op_broadcast_to_eval,
    mote_op_depth_space_prepare, mote_op_depth_space_eval,
    mote_op_topk_prepare, mote_op_topk_eval,
};

// ---- SPLIT --------------------------------------------------------------------

static mote_op_options split_opts(int32_t axis, int32_t n, const int32_t* sizes) {
  mote_op_options o = {.type = MOTE_OPTIONS_SPLIT, .u.split = {.axis = axis, .num_sizes = n}};
  for (int32_t i = 0; i < n; i++) o.u.split.sizes[i] = sizes[i];
  return o;
}

static void split(void) {
  float x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, a[4], b[1], c[6];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 5), ai = F32(&g, a, 2, 2), bi = F32(&g, b, 2, 0), ci = F32(&g, c, 2, 3);
  mote_op_options o = split_opts(-1, 3, (int32_t[]){2, 0, 3});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi, ci), 2) == MOTE_OK);
  CHECK_CLOSE(a, ((float[]){0, 1, 5, 6}), 4, 0);
  CHECK_CLOSE(c, ((float[]){2, 3, 4, 7, 8, 9}), 6, 0);

  // int8 along axis -3 of [3,2,2] (the first axis) into [1,2,2] + [2,2,2]
  int8_t q[12], p0[4], p1[8];
  for (int i = 0; i < 12; i++) q[i] = (int8_t)(i - 6);
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT8, q, DIMS(3, 2, 2));
  ai = add_tensor(&g, MOTE_INT8, p0, DIMS(1, 2, 2));
  bi = add_tensor(&g, MOTE_INT8, p1, DIMS(2, 2, 2));
  o = split_opts(-3, 2, (int32_t[]){1, 2});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi), 1) == MOTE_OK);
  CHECK(memcmp(p0, q, 4) == 0 && memcmp(p1, q + 4, 8) == 0);

  // rank 5 int64 along axis 3: [2,1,3,4,2] -> [..,1,..] + [..,3,..]; threads
  int64_t v[48], s0[12], s1[36];
  for (int i = 0; i < 48; i++) v[i] = 1000 + i;
  g = (graph){0};
  xi = I64(&g, v, 2, 1, 3, 4, 2);
  ai = I64(&g, s0, 2, 1, 3, 1, 2);
  bi = I64(&g, s1, 2, 1, 3, 3, 2);
  o = split_opts(3, 2, (int32_t[]){1, 3});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, bi), 4) == MOTE_OK);
  int ok = 1;
  for (int r = 0; r < 6; r++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 2; k++) {
        const int64_t want = v[(r * 4 + j) * 2 + k];
        ok &= j == 0 ? s0[r * 2 + k] == want : s1[(r * 3 + j - 1) * 2 + k] == want;
      }
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 5);
  ai = F32(&g, a, 2, 2);
  ci = F32(&g, c, 2, 3);
  o = split_opts(1, 2, (int32_t[]){2, 2});  // sums to 4, axis has 5
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("sum to 4");
  o = split_opts(1, 2, (int32_t[]){-1, 6});
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(2, 2, (int32_t[]){2, 3});  // axis out of range
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 2, (int32_t[]){3, 2});  // outputs [2,2] / [2,3] do not match [2,3] / [2,2]
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 3, (int32_t[]){2, 3, 0});  // three sizes, two outputs
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);
  o = split_opts(1, 2, (int32_t[]){2, 3});
  int32_t wrong = I32(&g, c, 2, 3);  // dtype differs
  CHECK(run_op(&g, MOTE_OP_SPLIT, &o, IDX(xi), IDX(ai, wrong), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_op(&g, MOTE_OP_SPLIT, NULL, IDX(xi), IDX(ai, ci), 1) == MOTE_ERROR_INVALID_MODEL);  // needs sizes
}

// ---- SLICE --------------------------------------------------------------------

static mote_op_options slice_opts(int32_t rank, const int32_t* starts, const int32_t* ends, const int32_t* steps) {
  mote_op_options o = {.type = MOTE_OPTIONS_SLICE, .u.slice = {.rank = rank}};
  for (int32_t i = 0; i < rank; i++) {
    o.u.slice.starts[i] = starts[i];
    o.u.slice.ends[i] = ends[i];
    o.u.slice.steps[i] = steps[i];
  }
  return o;
}

static void slice(void) {
  // reversed: [5] 4:-1:-1 -> all five backwards
  float x[5] = {0, 1, 2, 3, 4}, y[12];
  graph g = {0};
  int32_t xi = F32(&g, x, 5), yi = F32(&g, y, 5);
  mote_op_options o = slice_opts(1, (int32_t[]){4}, (int32_t[]){-1}, (int32_t[]){-1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){4, 3, 2, 1, 0}), 5, 0);
  // 1:5:3 -> [1, 4]; 3:0:-2 -> [3, 1]
  yi = F32(&g, y, 2);
  o = slice_opts(1, (int32_t[]){1}, (int32_t[]){5}, (int32_t[]){3});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 1 && y[1] == 4);
  o = slice_opts(1, (int32_t[]){3}, (int32_t[]){0}, (int32_t[]){-2});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(y[0] == 3 && y[1] == 1);

  // [3,4] rows 0:3:2, columns 3:0:-2 (int32)
  int32_t m[12], r[4];
  for (int i = 0; i < 12; i++) m[i] = i;
  g = (graph){0};
  xi = I32(&g, m, 3, 4);
  yi = I32(&g, r, 2, 2);
  o = slice_opts(2, (int32_t[]){0, 3}, (int32_t[]){3, 0}, (int32_t[]){2, -2});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 2, yi, xi) == MOTE_OK);
  CHECK(memcmp(r, (int32_t[]){3, 1, 11, 9}, sizeof r) == 0);

  // empty results: 2:2 and a backward step over an empty span; a start past the
  // end of an empty range is never read, so it is fine
  yi = I32(&g, r, 0, 4);
  o = slice_opts(2, (int32_t[]){2, 0}, (int32_t[]){2, 4}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  yi = I32(&g, r, 3, 0);
  o = slice_opts(2, (int32_t[]){0, 1}, (int32_t[]){3, 3}, (int32_t[]){1, -1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);
  o = slice_opts(2, (int32_t[]){0, 9}, (int32_t[]){3, 9}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_OK);

  // rank 5 int16, mixed steps, 3 threads, against the definition
  enum { D0 = 2, D1 = 3, D2 = 4, D3 = 5, D4 = 6 };
  static int16_t v[D0 * D1 * D2 * D3 * D4], out[D0 * D1 * D2 * D3 * D4];
  for (int i = 0; i < D0 * D1 * D2 * D3 * D4; i++) v[i] = (int16_t)i;
  const int32_t st[5] = {1, 2, 0, 4, 5}, en[5] = {-1, 0, 4, 0, -1}, sp[5] = {-1, -1, 3, -2, -2};
  const int32_t len[5] = {2, 2, 2, 2, 3};
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT16, v, DIMS(D0, D1, D2, D3, D4));
  yi = add_tensor(&g, MOTE_INT16, out, len, 5);
  o = slice_opts(5, st, en, sp);
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 3, yi, xi) == MOTE_OK);
  int ok = 1, k = 0;
  for (int a = 0; a < len[0]; a++)
    for (int b = 0; b < len[1]; b++)
      for (int c = 0; c < len[2]; c++)
        for (int d = 0; d < len[3]; d++)
          for (int e = 0; e < len[4]; e++) {
            const int i0 = st[0] + a * sp[0], i1 = st[1] + b * sp[1], i2 = st[2] + c * sp[2], i3 = st[3] + d * sp[3],
                      i4 = st[4] + e * sp[4];
            ok &= out[k++] == v[(((i0 * D1 + i1) * D2 + i2) * D3 + i3) * D4 + i4];
          }
  CHECK(ok);

  // refusals: step 0, reads outside the input, wrong rank, wrong output
  g = (graph){0};
  xi = F32(&g, x, 5);
  yi = F32(&g, y, 2);
  o = slice_opts(1, (int32_t[]){0}, (int32_t[]){2}, (int32_t[]){0});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){5}, (int32_t[]){7}, (int32_t[]){1});  // start past the end
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("outside [0, 5)");
  o = slice_opts(1, (int32_t[]){4}, (int32_t[]){6}, (int32_t[]){1});  // last index 5
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){1}, (int32_t[]){-3}, (int32_t[]){-2});  // reads 1, -1
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){INT32_MIN}, (int32_t[]){INT32_MAX}, (int32_t[]){INT32_MAX});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(2, (int32_t[]){0, 0}, (int32_t[]){2, 1}, (int32_t[]){1, 1});
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = slice_opts(1, (int32_t[]){0}, (int32_t[]){3}, (int32_t[]){1});  // computes [3]
  CHECK(RUN(&g, MOTE_OP_SLICE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_SLICE, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- GATHER -------------------------------------------------------------------

static void gather(void) {
  mote_op_options o = {.type = MOTE_OPTIONS_GATHER, .u.gather = {0}};
  float x[6] = {1, 2, 3, 4, 5, 6}, y[12];
  int64_t il[2] = {2, -3};
  graph g = {0};
  int32_t xi = F32(&g, x, 3, 2), ii = I64(&g, il, 2), yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){5, 6, 1, 2}), 4, 0);
  CHECK(RUN(&g, MOTE_OP_GATHER, NULL, 2, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);  // axis has no default here

  // axis -1 with [2,2] int32 indices: [3,2] -> [3,2,2]
  int32_t i2[4] = {1, 0, -1, 1};
  ii = I32(&g, i2, 2, 2);
  yi = F32(&g, y, 3, 2, 2);
  o.u.gather.axis = -1;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 2, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){2, 1, 2, 2, 4, 3, 4, 4, 6, 5, 6, 6}), 12, 0);

  // a scalar index drops the axis: [3,2] axis 0, index -1 -> [2]
  int32_t s = -1;
  ii = add_tensor(&g, MOTE_INT32, &s, NULL, 0);
  yi = F32(&g, y, 2);
  o.u.gather.axis = 0;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK(y[0] == 5 && y[1] == 6);

  // indices computed at run time: a bad one fails the invoke, naming the index
  int64_t bad[3] = {0, 3, 1};
  ii = I64(&g, bad, 3);
  yi = F32(&g, y, 3, 2);
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  CHECK_ERROR_HAS("index 3 (position 1)");
  bad[1] = -4;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 2, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  CHECK_ERROR_HAS("index -4");
  bad[1] = INT64_MIN;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_RUNTIME);
  bad[1] = -3;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){1, 2, 1, 2, 3, 4}), 6, 0);
  // the same bad index in a constant fails prepare
  bad[1] = 3;
  g.t[ii].is_constant = true;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);

  // int8 rank 4 along axis 2, token-embedding style with 3 threads against a loop
  enum { A = 2, B = 3, C = 7, D = 5, K = 9 };
  static int8_t q[A * B * C * D], qo[A * B * K * D];
  int32_t idx[K];
  for (int i = 0; i < A * B * C * D; i++) q[i] = (int8_t)(i * 7);
  for (int i = 0; i < K; i++) idx[i] = rnd(2 * C) - C;
  g = (graph){0};
  xi = add_tensor(&g, MOTE_INT8, q, DIMS(A, B, C, D));
  ii = I32(&g, idx, 3, 3);
  yi = add_tensor(&g, MOTE_INT8, qo, DIMS(A, B, 3, 3, D));
  o.u.gather.axis = 2;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 3, yi, xi, ii) == MOTE_OK);
  int ok = 1;
  for (int ab = 0; ab < A * B; ab++)
    for (int k = 0; k < K; k++)
      for (int d = 0; d < D; d++) {
        const int c = idx[k] < 0 ? idx[k] + C : idx[k];
        ok &= qo[(ab * K + k) * D + d] == q[(ab * C + c) * D + d];
      }
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 3, 2);
  ii = I32(&g, i2, 2);
  yi = F32(&g, y, 2, 2);
  float fi[2] = {0, 1};
  int32_t fii = F32(&g, fi, 2);
  o.u.gather.axis = 0;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, fii) == MOTE_ERROR_INVALID_MODEL);  // float indices
  o.u.gather.axis = 2;
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);
  o.u.gather.axis = 1;  // computes [3,2]
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, ii) == MOTE_ERROR_INVALID_MODEL);
  int32_t big = add_tensor(&g, MOTE_INT32, i2, DIMS(1, 1, 1, 1, 1, 1, 1, 1));
  o.u.gather.axis = 0;  // output rank 9
  CHECK(RUN(&g, MOTE_OP_GATHER, &o, 1, yi, xi, big) == MOTE_ERROR_INVALID_MODEL);
}

// ---- TILE and BROADCAST_TO ----------------------------------------------------

static mote_op_options tile_opts(int32_t rank, const int32_t* m) {
  mote_op_options o = {.type = MOTE_OPTIONS_TILE, .u.tile = {.rank = rank}};
  for (int32_t i = 0; i < rank; i++) o.u.tile.multiples[i] = m[i];
  return o;
}

static void tile(void) {
  float x[6] = {1, 2, 3, 4, 5, 6}, y[36];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), yi = F32(&g, y, 4, 6);
  mote_op_options o = tile_opts(2, (int32_t[]){2, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 2, yi, xi) == MOTE_OK);
  const float want[24] = {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6};
  CHECK_CLOSE(y, want, 24, 0);
  // rank 1, int64; multiple 0 gives an empty output
  int64_t l[2] = {7, -8}, ly[6];
  g = (graph){0};
  xi = I64(&g, l, 2);
  yi = I64(&g, ly, 6);
  o = tile_opts(1, (int32_t[]){3});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_OK);
  CHECK(memcmp(ly, (int64_t[]){7, -8, 7, -8, 7, -8}, sizeof ly) == 0);
  yi = I64(&g, ly, 0);
  o = tile_opts(1, (int32_t[]){0});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_OK);

  // rank 4 uint8 [2,1,3,2] x [1,3,2,2], threads, against the definition out[i] = in[i % dim]
  uint8_t u[12], uy[12 * 12];
  for (int i = 0; i < 12; i++) u[i] = (uint8_t)(i * 11);
  g = (graph){0};
  xi = add_tensor(&g, MOTE_UINT8, u, DIMS(2, 1, 3, 2));
  yi = add_tensor(&g, MOTE_UINT8, uy, DIMS(2, 3, 6, 4));
  o = tile_opts(4, (int32_t[]){1, 3, 2, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 4, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 3; b++)
      for (int c = 0; c < 6; c++)
        for (int d = 0; d < 4; d++) ok &= uy[((a * 3 + b) * 6 + c) * 4 + d] == u[(a * 3 + c % 3) * 2 + d % 2];
  CHECK(ok);

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 3);
  yi = F32(&g, y, 4, 6);
  o = tile_opts(1, (int32_t[]){2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){-1, 2});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){2, 3});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = tile_opts(2, (int32_t[]){2, INT32_MAX});
  CHECK(RUN(&g, MOTE_OP_TILE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

static void broadcast_to(void) {
  float x[3] = {1, 2, 3}, y[24];
  graph g = {0};
  int32_t xi = F32(&g, x, 3), yi = F32(&g, y, 2, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){1, 2, 3, 1, 2, 3}), 6, 0);
  // a column: [3,1] -> [2,3,4]
  xi = F32(&g, x, 3, 1);
  yi = F32(&g, y, 2, 3, 4);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 2, yi, xi) == MOTE_OK);
  int ok = 1;
  for (int i = 0; i < 24; i++) ok &= y[i] == x[(i / 4) % 3];
  CHECK(ok);
  // a scalar; and an empty output from a size-1 dim
  xi = SCALAR_F32(&g, x + 1);
  yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, ((float[]){2, 2, 2, 2}), 4, 0);
  xi = F32(&g, x, 1, 3);
  yi = F32(&g, y, 0, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_OK);

  // rank 5 int32 [2,1,3,1,2] -> [2,2,3,2,2], threads
  int32_t v[12], w[96];
  for (int i = 0; i < 12; i++) v[i] = i * 3 - 7;
  g = (graph){0};
  xi = I32(&g, v, 2, 1, 3, 1, 2);
  yi = I32(&g, w, 2, 2, 3, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 3, yi, xi) == MOTE_OK);
  ok = 1;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      for (int c = 0; c < 3; c++)
        for (int d = 0; d < 2; d++)
          for (int e = 0; e < 2; e++) ok &= w[(((a * 2 + b) * 3 + c) * 2 + d) * 2 + e] == v[(a * 3 + c) * 2 + e];
  CHECK(ok);

  // refusals: a dim neither equal nor 1; more input dims than output dims; dtype
  g = (graph){0};
  xi = F32(&g, x, 3);
  yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("does not broadcast");
  xi = F32(&g, x, 1, 3);
  yi = F32(&g, y, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  yi = I32(&g, v, 2, 3);
  CHECK(RUN(&g, MOTE_OP_BROADCAST_TO, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- DEPTH_TO_SPACE / SPACE_TO_DEPTH ------------------------------------------

static mote_op_options ds_opts(int32_t b, mote_depth_space_mode mode) {
  return (mote_op_options){.type = MOTE_OPTIONS_DEPTH_SPACE, .u.depth_space = {b, mode}};
}

static void depth_space(void) {
  // ONNX's DepthToSpace example, NCHW [1,8,2,3] b=2, here as NHWC [1,2,3,8]: x[c,h,w] = c*6 + h*3 + w
  float x[48], y[48], z[48];
  for (int h = 0; h < 2; h++)
    for (int w = 0; w < 3; w++)
      for (int c = 0; c < 8; c++) x[(h * 3 + w) * 8 + c] = (float)(c * 6 + h * 3 + w);
  // numpy (onnx reference): output NCHW [1,2,4,6], printed here in NHWC order
  const float dcr[48] = {0, 6,  12, 18, 1, 7,  13, 19, 2, 8,  14, 20, 24, 30, 36, 42, 25, 31, 37, 43, 26, 32, 38, 44,
                         3, 9,  15, 21, 4, 10, 16, 22, 5, 11, 17, 23, 27, 33, 39, 45, 28, 34, 40, 46, 29, 35, 41, 47};
  const float crd[48] = {0, 24, 6,  30, 1, 25, 7,  31, 2, 26, 8,  32, 12, 36, 18, 42, 13, 37, 19, 43, 14, 38, 20, 44,
                         3, 27, 9,  33, 4, 28, 10, 34, 5, 29, 11, 35, 15, 39, 21, 45, 16, 40, 22, 46, 17, 41, 23, 47};
  graph g = {0};
  int32_t xi = F32(&g, x, 1, 2, 3, 8), yi = F32(&g, y, 1, 4, 6, 2), zi = F32(&g, z, 1, 2, 3, 8);
  mote_op_options o = ds_opts(2, MOTE_DEPTHSPACE_DCR);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, dcr, 48, 0);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 2, zi, yi) == MOTE_OK);
  CHECK_CLOSE(z, x, 48, 0);
  o = ds_opts(2, MOTE_DEPTHSPACE_CRD);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_OK);
  CHECK_CLOSE(y, crd, 48, 0);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 1, zi, yi) == MOTE_OK);
  CHECK_CLOSE(z, x, 48, 0);
  // no options: the op needs a block size
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, NULL, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);

  // block 3, two images, int16, 3 threads: both modes against the channel formulas, and round trips
  enum { N = 2, H = 2, W = 3, C = 2, BS = 3, CD = C * BS * BS };
  static int16_t d[N * H * W * CD], sp[N * H * BS * W * BS * C], back[N * H * W * CD];
  for (int i = 0; i < N * H * W * CD; i++) d[i] = (int16_t)(i * 5 - 300);
  for (int mode = 0; mode < 2; mode++) {
    g = (graph){0};
    xi = add_tensor(&g, MOTE_INT16, d, DIMS(N, H, W, CD));
    yi = add_tensor(&g, MOTE_INT16, sp, DIMS(N, H * BS, W * BS, C));
    zi = add_tensor(&g, MOTE_INT16, back, DIMS(N, H, W, CD));
    o = ds_opts(BS, (mote_depth_space_mode)mode);
    CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 3, yi, xi) == MOTE_OK);
    int ok = 1;
    for (int n = 0; n < N; n++)
      for (int hh = 0; hh < H * BS; hh++)
        for (int ww = 0; ww < W * BS; ww++)
          for (int c = 0; c < C; c++) {
            const int dy = hh % BS, dx = ww % BS;
            const int ch = mode == MOTE_DEPTHSPACE_DCR ? (dy * BS + dx) * C + c : c * BS * BS + dy * BS + dx;
            ok &= sp[((n * H * BS + hh) * W * BS + ww) * C + c] == d[((n * H + hh / BS) * W + ww / BS) * CD + ch];
          }
    CHECK(ok);
    memset(back, 0, sizeof back);
    CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 4, zi, yi) == MOTE_OK);
    CHECK(memcmp(back, d, sizeof d) == 0);
  }

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 1, 2, 3, 8);
  yi = F32(&g, y, 1, 4, 6, 2);
  o = ds_opts(3, MOTE_DEPTHSPACE_DCR);  // 8 channels do not divide by 9
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  CHECK(RUN(&g, MOTE_OP_SPACE_TO_DEPTH, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);  // 2x3 by 3
  o = ds_opts(0, MOTE_DEPTHSPACE_DCR);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = ds_opts(2, (mote_depth_space_mode)2);
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
  o = ds_opts(2, MOTE_DEPTHSPACE_CRD);
  zi = F32(&g, z, 1, 4, 3, 4);  // wrong output dims
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, zi, xi) == MOTE_ERROR_INVALID_MODEL);
  xi = F32(&g, x, 2, 3, 8);  // rank 3
  CHECK(RUN(&g, MOTE_OP_DEPTH_TO_SPACE, &o, 1, yi, xi) == MOTE_ERROR_INVALID_MODEL);
}

// ---- TOPK ---------------------------------------------------------------------

static mote_op_options topk_opts(int32_t k, int32_t axis, bool largest) {
  return (mote_op_options){.type = MOTE_OPTIONS_TOPK, .u.topk = {k, axis, largest}};
}

// the first k positions of row `xr` (stride `inner`, length n) in output order, by selection
static void topk_oracle(const float* xr, int n, int inner, int k, bool largest, int32_t* out) {
  bool used[64] = {false};
  for (int m = 0; m < k; m++) {
    int best = -1;
    for (int j = 0; j < n; j++) {
      if (used[j]) continue;
      const float v = xr[j * inner];
      if (best < 0 || (largest ? v > xr[best * inner] : v < xr[best * inner])) best = j;  // ties: lower j
    }
    used[best] = true;
    out[m] = best;
  }
}

static void topk(void) {
  float x[10] = {1, 3, 3, 2, 3, 5, -1, 0, 5, 4}, v[10];
  int64_t il[10];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 5), vi = F32(&g, v, 2, 3), ii = I64(&g, il, 2, 3);
  mote_op_options o = topk_opts(3, -1, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK_CLOSE(v, ((float[]){3, 3, 3, 5, 5, 4}), 6, 0);
  CHECK(memcmp(il, (int64_t[]){1, 2, 4, 0, 3, 4}, 6 * sizeof *il) == 0);
  o.u.topk.largest = false;
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 2) == MOTE_OK);
  CHECK_CLOSE(v, ((float[]){1, 2, 3, -1, 0, 4}), 6, 0);
  CHECK(memcmp(il, (int64_t[]){0, 3, 1, 1, 2, 4}, 6 * sizeof *il) == 0);
  // without the scratch buffer eval fails cleanly
  CHECK(run_op(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_RUNTIME);

  // axis 0 of [4,3] int32 values, int32 indices, k = 2; then k = 4 (a full sort)
  int32_t m[12] = {4, 0, 7, 9, 0, -7, 4, 1, 7, -2, 1, 0}, mv[12], mi[12];
  g = (graph){0};
  xi = I32(&g, m, 4, 3);
  vi = I32(&g, mv, 2, 3);
  ii = I32(&g, mi, 2, 3);
  o = topk_opts(2, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 3) == MOTE_OK);
  CHECK(memcmp(mv, (int32_t[]){9, 1, 7, 4, 1, 7}, 6 * sizeof *mv) == 0);
  CHECK(memcmp(mi, (int32_t[]){1, 2, 0, 0, 3, 2}, 6 * sizeof *mi) == 0);
  vi = I32(&g, mv, 4, 3);
  ii = I32(&g, mi, 4, 3);
  o = topk_opts(4, -2, false);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(memcmp(mv, (int32_t[]){-2, 0, -7, 4, 0, 0, 4, 1, 7, 9, 1, 7}, sizeof mv) == 0);
  CHECK(memcmp(mi, (int32_t[]){3, 0, 1, 0, 1, 3, 2, 2, 0, 1, 3, 2}, sizeof mi) == 0);
  // k = 0: empty outputs
  vi = I32(&g, mv, 0, 3);
  ii = I32(&g, mi, 0, 3);
  o = topk_opts(0, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 2) == MOTE_OK);

  // int64 values, rank 1
  int64_t lv[4] = {INT64_MIN, 5, INT64_MAX, 5}, lo[2], li[2];
  g = (graph){0};
  xi = I64(&g, lv, 4);
  vi = I64(&g, lo, 2);
  ii = I64(&g, li, 2);
  o = topk_opts(2, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(lo[0] == INT64_MAX && lo[1] == 5 && li[0] == 2 && li[1] == 1);
  o.u.topk.largest = false;
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(lo[0] == INT64_MIN && lo[1] == 5 && li[0] == 0 && li[1] == 1);

  // nan ranks above +inf (torch.topk): first for largest, last for smallest
  float n[5] = {1, NAN, INFINITY, NAN, -INFINITY}, nv[5];
  int32_t ni[5];
  g = (graph){0};
  xi = F32(&g, n, 5);
  vi = F32(&g, nv, 3);
  ii = I32(&g, ni, 3);
  o = topk_opts(3, 0, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(isnan(nv[0]) && isnan(nv[1]) && nv[2] == INFINITY);
  CHECK(ni[0] == 1 && ni[1] == 3 && ni[2] == 2);
  vi = F32(&g, nv, 5);
  ii = I32(&g, ni, 5);
  o = topk_opts(5, 0, false);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
  CHECK(memcmp(ni, (int32_t[]){4, 0, 2, 1, 3}, sizeof ni) == 0);

  // random rows with many ties, along the last axis and along axis 0, 1..4 threads
  enum { R = 6, L = 40, K = 7 };
  static float t[R * L], tv[R * K];
  static int32_t ti[R * K], want[K];
  for (int i = 0; i < R * L; i++) t[i] = (float)rnd(10);
  for (int threads = 1; threads <= 4; threads++) {
    for (int largest = 0; largest < 2; largest++) {
      for (int last = 0; last < 2; last++) {
        g = (graph){0};
        const int inner = last ? 1 : R;  // axis 0 of [L, R] reads the same data strided
        xi = last ? F32(&g, t, R, L) : F32(&g, t, L, R);
        vi = last ? F32(&g, tv, R, K) : F32(&g, tv, K, R);
        ii = last ? I32(&g, ti, R, K) : I32(&g, ti, K, R);
        o = topk_opts(K, last ? -1 : 0, largest);
        CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), threads) == MOTE_OK);
        int ok = 1;
        for (int r = 0; r < R; r++) {
          const float* xr = last ? t + r * L : t + r;
          topk_oracle(xr, L, inner, K, largest, want);
          for (int j = 0; j < K; j++) {
            const size_t at = last ? (size_t)(r * K + j) : (size_t)(j * R + r);
            ok &= ti[at] == want[j] && tv[at] == xr[want[j] * inner];
          }
        }
        CHECK(ok);
      }
    }
  }

  // refusals
  g = (graph){0};
  xi = F32(&g, x, 2, 5);
  vi = F32(&g, v, 2, 3);
  ii = I64(&g, il, 2, 3);
  o = topk_opts(6, -1, true);  // k too large
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK_ERROR_HAS("k 6 outside [0, 5]");
  o = topk_opts(-1, -1, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(2, -1, true);  // outputs are [2,3]
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(3, 2, true);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  o = topk_opts(3, 1, true);
  int32_t fi = F32(&g, v, 2, 3), i32v = I32(&g, v, 2, 3);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, fi), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(i32v, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, NULL, IDX(xi), IDX(vi, ii), 1) == MOTE_ERROR_INVALID_MODEL);
  CHECK(run_scratch(&g, MOTE_OP_TOPK, &o, IDX(xi), IDX(vi, ii), 1) == MOTE_OK);
}
int main(void) {
  if (!harness_init()) return 1;
  // the registry must hand out exactly these functions
  static const int32_t ops[] = {MOTE_OP_SPLIT, MOTE_OP_SLICE, MOTE_OP_GATHER, MOTE_OP_TILE, MOTE_OP_BROADCAST_TO, MOTE_OP_DEPTH_TO_SPACE, MOTE_OP_TOPK};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    const mote_op_registration* r = mote_op_lookup(ops[i]);
    CHECK(r && r->prepare == g_linked[2 * i] && r->eval == g_linked[2 * i + 1]);
  }
  for (int t = 1; t < 5; t++) g_pool[t] = mote_threadpool_create(t);
  split();
  slice();
  gather();
  tile();
  broadcast_to();
  depth_space();
  topk();
  for (int t = 1; t < 5; t++) mote_threadpool_destroy(g_pool[t]);
  return harness_finish();
}
