// FULLY_CONNECTED and BATCH_MATMUL.
#include <stdlib.h>

#include "harness.h"

static void fully_connected(void) {
  // x [2, 3], w [2, 3], bias [2]
  float x[6] = {1, 2, 3, 4, 5, 6}, w[6] = {1, 0, -1, 0.5f, 0.5f, 0.5f}, b[2] = {10, -1}, y[4];
  graph g = {0};
  int32_t xi = F32(&g, x, 2, 3), wi = F32(&g, w, 2, 3), bi = F32(&g, b, 2), yi = F32(&g, y, 2, 2);
  CHECK(RUN(&g, MOTE_OP_FULLY_CONNECTED, NULL, 1, yi, xi, wi, bi) == MOTE_OK);
  const float want[4] = {10 - 2, -1 + 3, 10 - 2, -1 + 7.5f};
  CHECK_CLOSE(y, want, 4, 0);
  mote_op_options relu = {.type = MOTE_OPTIONS_FULLY_CONNECTED, .u.fully_connected = {MOTE_ACT_RELU}};
  b[0] = -20;
  CHECK(RUN(&g, MOTE_OP_FULLY_CONNECTED, &relu, 2, yi, xi, wi, bi) == MOTE_OK);
  const float want_relu[4] = {0, 2, 0, 6.5f};
  CHECK_CLOSE(y, want_relu, 4, 0);

  // leading dims kept: x [2, 1, 3] -> [2, 1, 2], no bias; 1 row on 3 threads splits the columns
  g = (graph){0};
  xi = F32(&g, x, 2, 1, 3);
  wi = F32(&g, w, 2, 3);
  yi = F32(&g, y, 2, 1, 2);
  CHECK(run_op(&g, MOTE_OP_FULLY_CONNECTED, NULL, IDX(xi, wi, -1), IDX(yi), 1) == MOTE_OK);
  const float nobias[4] = {-2, 3, -2, 7.5f};
  CHECK_CLOSE(y, nobias, 4, 0);

  enum { K = 37, N = 29 };
  static float xr[K], wr[N * K], br[N], y1[N], y3[N];
  fill_random(xr, K, 4);
  fill_random(wr, N * K, 5);
  fill_random(br, N, 6);
  g = (graph){0};
  xi = F32(&g, xr, 1, K);
  wi = F32(&g, wr, N, K);
  bi = F32(&g, br, N);
  int32_t y1i = F32(&g, y1, 1, N), y3i = F32(&g, y3, 1, N);
  CHECK(RUN(&g, MOTE_OP_FULLY_CONNECTED, NULL, 1, y1i, xi, wi, bi) == MOTE_OK);
  CHECK(RUN(&g, MOTE_OP_FULLY_CONNECTED, NULL, 3, y3i, xi, wi, bi) == MOTE_OK);
  CHECK_CLOSE(y3, y1, N, 0);
  float want0 = br[0];
  for (int k = 0; k < K; k++) want0 += xr[k] * wr[k];
  CHECK_CLOSE(y1, &want0, 1, 1e-5f);
}

// y[b] = op(a[b]) @ op(b[b]) with a [B, M, K] (or [B, K, M]), b [1 or B, K, N] (or [.., N, K])
static void oracle_bmm(const float* a, const float* b, float* y, int B, int bb, int M, int K, int N, int adj_a,
                       int adj_b) {
  for (int t = 0; t < B; t++)
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++) {
        double acc = 0;
        const float* am = a + (size_t)t * M * K;
        const float* bm = b + (size_t)(bb == 1 ? 0 : t) * K * N;
        for (int k = 0; k < K; k++)
          acc += (double)(adj_a ? am[k * M + i] : am[i * K + k]) * (adj_b ? bm[j * K + k] : bm[k * N + j]);
        y[(t * M + i) * N + j] = (float)acc;
      }
}

static void batch_matmul(void) {
  // [2,2,2] @ [2,2] (b broadcast over the batch)
  float a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[4] = {1, 1, 0, 2}, y[8];
  graph g = {0};
  int32_t ai = F32(&g, a, 2, 2, 2), bi = F32(&g, b, 2, 2), yi = F32(&g, y, 2, 2, 2);
  CHECK(RUN(&g, MOTE_OP_BATCH_MATMUL, NULL, 1, yi, ai, bi) == MOTE_OK);
  const float want[8] = {1, 5, 3, 11, 5, 17, 7, 23};
  CHECK_CLOSE(y, want, 8, 0);

  enum { B = 3, M = 5, K = 7, N = 4 };
  static float ar[B * M * K], br[B * K * N], yr[B * M * N], wr[B * M * N];
  fill_random(ar, B * M * K, 7);
  fill_random(br, B * K * N, 8);
  for (int adj_a = 0; adj_a < 2; adj_a++)
    for (int adj_b = 0; adj_b < 2; adj_b++)
      for (int bb = 1; bb <= B; bb += B - 1) {
        mote_op_options o = {.type = MOTE_OPTIONS_BATCH_MATMUL, .u.batch_matmul = {adj_a, adj_b}};
        g = (graph){0};
        ai = adj_a ? F32(&g, ar, B, K, M) : F32(&g, ar, B, M, K);
        // b with batch 1 as rank 2 ([K, N]) or rank 3 ([B, K, N])
        if (bb == 1) bi = adj_b ? F32(&g, br, N, K) : F32(&g, br, K, N);
        else bi = adj_b ? F32(&g, br, B, N, K) : F32(&g, br, B, K, N);
        yi = F32(&g, yr, B, M, N);
        oracle_bmm(ar, br, wr, B, bb, M, K, N, adj_a, adj_b);
        CHECK(RUN(&g, MOTE_OP_BATCH_MATMUL, &o, 2, yi, ai, bi) == MOTE_OK);
        CHECK_CLOSE(yr, wr, B * M * N, 1e-5f);
      }

  // both batch dims broadcast: a [2,1,M,K] @ b [1,3,K,N] -> [2,3,M,N]
  static float a2[2 * M * K], b2[3 * K * N], y2[6 * M * N], w2[6 * M * N];
  fill_random(a2, 2 * M * K, 9);
  fill_random(b2, 3 * K * N, 10);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      oracle_bmm(a2 + i * M * K, b2 + j * K * N, w2 + (i * 3 + j) * M * N, 1, 1, M, K, N, 0, 0);
  g = (graph){0};
  ai = F32(&g, a2, 2, 1, M, K);
  bi = F32(&g, b2, 1, 3, K, N);
  yi = F32(&g, y2, 2, 3, M, N);
  CHECK(RUN(&g, MOTE_OP_BATCH_MATMUL, NULL, 3, yi, ai, bi) == MOTE_OK);
  CHECK_CLOSE(y2, w2, 6 * M * N, 1e-5f);
}

void test_gemm(void) {
  fully_connected();
  batch_matmul();
}
