// 3x3 stride-1 CONV_2D by Winograd F(2x2, 3x3) over the f32 GEMM microkernels (winograd.h).
// Per tile of 2x2 outputs: d (4x4 inputs) -> V = Bᵀ d B, then for each of the 16 positions
// a GEMM [tiles x Cin] x [Cin x Cout] with U = G g Gᵀ packed at prepare, then
// Y = Aᵀ M A + bias, clamped. 2.25x fewer multiplies than direct 3x3; the transforms are
// additions only, so rounding stays within a few ulps of the direct sum.
#include "ops/winograd.h"

#include <math.h>
#include <string.h>

#include "core/threadpool.h"
#include "ref/ref_common.h"

#define WINO_TILES 32  // tiles per block: V and M of a block stay in L2 (16 x 32 x C floats)

bool mote_winograd_applies(const mote_conv2d_params* p) {
  return p->kernel_h == 3 && p->kernel_w == 3 && p->stride_h == 1 && p->stride_w == 1 && p->dilation_h == 1 &&
         p->dilation_w == 1 && p->groups == 1 && p->in_c >= 16 && p->out_c >= 16;
}

size_t mote_winograd_packed_floats(const mote_f32_gemm_config* g, const mote_conv2d_params* p) {
  return 16 * mote_f32_gemm_packed_size((size_t)p->out_c, (size_t)p->in_c, g->nr);
}

size_t mote_winograd_prepare(const mote_conv2d_params* p, const float* w, const float* bias, int threads,
                          float* tmp, mote_winograd_plan* plan) {
  const size_t cin = (size_t)p->in_c, cout = (size_t)p->out_c;
  plan->packed_pos = mote_f32_gemm_packed_size(cout, cin, plan->gemm.nr);
  plan->bias = bias;
  // U[pos][o][i] = (G g Gᵀ)[pos] for g = w[o, :, :, i] (OHWI), then packed per position
  for (size_t pos = 0; pos < 16; pos++) {
    const size_t r = pos / 4, c = pos % 4;
    for (size_t o = 0; o < cout; o++) {
      for (size_t i = 0; i < cin; i++) {
        float g[3][3], t[4][3];
        for (int ky = 0; ky < 3; ky++)
          for (int kx = 0; kx < 3; kx++) g[ky][kx] = w[((o * 3 + ky) * 3 + kx) * cin + i];
        for (int kx = 0; kx < 3; kx++) {  // t = G g
          t[0][kx] = g[0][kx];
          t[1][kx] = 0.5f * (g[0][kx] + g[1][kx] + g[2][kx]);
          t[2][kx] = 0.5f * (g[0][kx] - g[1][kx] + g[2][kx]);
          t[3][kx] = g[2][kx];
        }
        const float* tr = t[r];  // (t Gᵀ)[r][c]
        const float u = c == 0   ? tr[0]
                        : c == 1 ? 0.5f * (tr[0] + tr[1] + tr[2])
                        : c == 2 ? 0.5f * (tr[0] - tr[1] + tr[2])
                                 : tr[2];
        tmp[o * cin + i] = u;
      }
    }
    mote_pack_f32_gemm_goi(cout, cin, plan->gemm.nr, tmp, NULL, plan->packed + pos * plan->packed_pos);
  }
  plan->tiles_h = (size_t)(p->out_h + 1) / 2;
  plan->tiles_w = (size_t)(p->out_w + 1) / 2;
  // per task: V [16][WINO_TILES][cin] and M [16][WINO_TILES][cout]
  return (size_t)(threads > 0 ? threads : 1) * 16 * WINO_TILES * (cin + cout) * sizeof(float);
}

typedef struct {
  const mote_conv2d_params* p;
  const mote_winograd_plan* plan;
  const float* x;
  float* y;
  float* scratch;
  size_t tasks, blocks, tiles;
} wino_job;

// V[pos][t][:] for tiles [t0, t0 + nt) of batch-major tile order
static void input_transform(const wino_job* j, size_t t0, size_t nt, float* v) {
  const mote_conv2d_params* p = j->p;
  const size_t cin = (size_t)p->in_c, per_image = j->plan->tiles_h * j->plan->tiles_w;
  float d[4][4][64];
  for (size_t t = 0; t < nt; t++) {
    const size_t tile = t0 + t, b = tile / per_image, ty = (tile % per_image) / j->plan->tiles_w,
                 tx = tile % j->plan->tiles_w;
    const int64_t y0 = (int64_t)ty * 2 - p->pad_top, x0 = (int64_t)tx * 2 - p->pad_left;
    const float* xb = j->x + b * (size_t)p->in_h * (size_t)p->in_w * cin;
    for (size_t c0 = 0; c0 < cin; c0 += 64) {
      const size_t cn = cin - c0 < 64 ? cin - c0 : 64;
      for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
          const int64_t iy = y0 + r, ix = x0 + c;
          if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
            memset(d[r][c], 0, cn * sizeof(float));
          } else {
            memcpy(d[r][c], xb + ((size_t)iy * (size_t)p->in_w + (size_t)ix) * cin + c0, cn * sizeof(float));
          }
        }
      // Bᵀ d B, rows then columns; Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
      for (size_t ch = 0; ch < cn; ch++) {
        float s[4][4];
        for (int c = 0; c < 4; c++) {
          s[0][c] = d[0][c][ch] - d[2][c][ch];
          s[1][c] = d[1][c][ch] + d[2][c][ch];
          s[2][c] = d[2][c][ch] - d[1][c][ch];
          s[3][c] = d[1][c][ch] - d[3][c][ch];
        }
        for (int r = 0; r < 4; r++) {
          float* vr = v + ((size_t)(r * 4) * WINO_TILES + t) * cin + c0 + ch;
          const size_t step = WINO_TILES * cin;
          vr[0 * step] = s[r][0] - s[r][2];
          vr[1 * step] = s[r][1] + s[r][2];
          vr[2 * step] = s[r][2] - s[r][1];
          vr[3 * step] = s[r][1] - s[r][3];
        }
      }
    }
  }
}

// Y = Aᵀ M A + bias for tiles [t0, t0 + nt); Aᵀ = [1 1 1 0; 0 1 -1 -1]
static void output_transform(const wino_job* j, size_t t0, size_t nt, const float* m) {
  const mote_conv2d_params* p = j->p;
  const size_t cout = (size_t)p->out_c, per_image = j->plan->tiles_h * j->plan->tiles_w;
  const size_t step = WINO_TILES * cout;
  const float lo = p->act_min, hi = p->act_max;
  for (size_t t = 0; t < nt; t++) {
    const size_t tile = t0 + t, b = tile / per_image, ty = (tile % per_image) / j->plan->tiles_w,
                 tx = tile % j->plan->tiles_w;
    const size_t oy = ty * 2, ox = tx * 2;
    float* yb = j->y + b * (size_t)p->out_h * (size_t)p->out_w * cout;
    const bool has_y1 = oy + 1 < (size_t)p->out_h, has_x1 = ox + 1 < (size_t)p->out_w;
    for (size_t o = 0; o < cout; o++) {
      const float* mo = m + t * cout + o;
      float q[4][2];
      for (int r = 0; r < 4; r++) {
        const float m0 = mo[(size_t)(r * 4 + 0) * step], m1 = mo[(size_t)(r * 4 + 1) * step];
        const float m2 = mo[(size_t)(r * 4 + 2) * step], m3 = mo[(size_t)(r * 4 + 3) * step];
        q[r][0] = m0 + m1 + m2;
        q[r][1] = m1 - m2 - m3;
      }
      const float bias = j->plan->bias ? j->plan->bias[o] : 0.0f;
      float out[2][2];
      for (int c = 0; c < 2; c++) {
        out[0][c] = q[0][c] + q[1][c] + q[2][c] + bias;
        out[1][c] = q[1][c] - q[2][c] - q[3][c] + bias;
      }
      for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++) {
          if ((r == 1 && !has_y1) || (c == 1 && !has_x1)) continue;
          float v = out[r][c];
          v = v < lo ? lo : v;  // NaN passes, as in the reference
          v = v > hi ? hi : v;
          yb[((oy + (size_t)r) * (size_t)p->out_w + ox + (size_t)c) * cout + o] = v;
        }
    }
  }
}

static void wino_task(void* arg, size_t task) {
  const wino_job* j = arg;
  const mote_winograd_plan* plan = j->plan;
  const size_t cin = (size_t)j->p->in_c, cout = (size_t)j->p->out_c;
  float* v = j->scratch + task * 16 * WINO_TILES * (cin + cout);
  float* m = v + 16 * WINO_TILES * cin;
  const mote_f32_minmax_params mm = {-INFINITY, INFINITY};
  size_t b0, b1;
  mote_chunk_range(j->blocks, j->tasks, task, &b0, &b1);
  for (size_t blk = b0; blk < b1; blk++) {
    const size_t t0 = blk * WINO_TILES, nt = j->tiles - t0 < WINO_TILES ? j->tiles - t0 : WINO_TILES;
    input_transform(j, t0, nt, v);
    for (size_t pos = 0; pos < 16; pos++) {
      const float* a = v + pos * WINO_TILES * cin;
      float* c = m + pos * WINO_TILES * cout;
      const float* w = plan->packed + pos * plan->packed_pos;
      for (size_t i = 0; i < nt; i += plan->gemm.mr) {
        const size_t rr = nt - i < plan->gemm.mr ? nt - i : plan->gemm.mr;
        (rr == 1 ? plan->gemm.fn1 : plan->gemm.fn)(rr, cout, cin, a + i * cin, cin, w, c + i * cout, cout, &mm);
      }
    }
    output_transform(j, t0, nt, m);
  }
}

void mote_winograd_run(mote_context* ctx, const mote_conv2d_params* p, const mote_winograd_plan* plan,
                       const float* x, float* y) {
  wino_job job = {.p = p, .plan = plan, .x = x, .y = y, .scratch = ctx->scratch};
  job.tiles = (size_t)p->n * plan->tiles_h * plan->tiles_w;
  job.blocks = (job.tiles + WINO_TILES - 1) / WINO_TILES;
  const size_t threads = ctx->num_threads > 1 && ctx->pool ? (size_t)ctx->num_threads : 1;
  job.tasks = job.blocks < threads ? job.blocks : threads;
  if (job.tasks <= 1) {
    job.tasks = 1;
    if (job.blocks) wino_task(&job, 0);
    return;
  }
  mote_threadpool_run(ctx->pool, wino_task, &job, job.tasks);
}
