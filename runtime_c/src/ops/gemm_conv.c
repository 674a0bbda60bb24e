// CONV_2D / FULLY_CONNECTED drivers over the f32 GEMM microkernels (gemm_conv.h).
#include "ops/gemm_conv.h"

#include <math.h>
#include <string.h>

#include "core/threadpool.h"
#include "ref/ref_common.h"

// im2col tiles: rows * k floats kept near 96 KiB so a tile stays in L2 while every
// column block of the packed weights streams past it (measured: docs/kernels.md)
#define MOTE_IM2COL_TILE_BYTES (96u * 1024u)

size_t mote_gemm_packed_floats(const mote_f32_gemm_config* g, size_t groups, size_t n, size_t k) {
  return groups * mote_f32_gemm_packed_size(n, k, g->nr);
}

size_t mote_gemm_conv_plan(const mote_conv2d_params* p, const float* w, const float* bias, int threads,
                           mote_gemm_plan* plan) {
  const size_t groups = (size_t)p->groups, cin_g = (size_t)(p->in_c / p->groups);
  const size_t n = (size_t)(p->out_c / p->groups), k = (size_t)p->kernel_h * (size_t)p->kernel_w * cin_g;
  plan->m = (size_t)p->n * (size_t)p->out_h * (size_t)p->out_w;
  plan->k = k;
  plan->n = n;
  plan->groups = groups;
  plan->act_min = p->act_min;
  plan->act_max = p->act_max;
  plan->packed_group = mote_f32_gemm_packed_size(n, k, plan->gemm.nr);
  // OHWI weights: group g's output channels are rows [g*n, (g+1)*n) of a [out_c, k] matrix
  for (size_t g = 0; g < groups; g++)
    mote_pack_f32_gemm_goi(n, k, plan->gemm.nr, w + g * n * k, bias ? bias + g * n : NULL,
                           plan->packed + g * plan->packed_group);
  const bool direct = p->kernel_h == 1 && p->kernel_w == 1 && p->stride_h == 1 && p->stride_w == 1 &&
                      p->pad_top == 0 && p->pad_left == 0 && groups == 1 && p->out_h == p->in_h &&
                      p->out_w == p->in_w;
  if (direct) {
    plan->tile_m = 0;
    return 0;
  }
  const size_t mr = plan->gemm.mr;
  size_t tile = MOTE_IM2COL_TILE_BYTES / (k * sizeof(float));
  tile = tile / mr * mr;
  if (tile < mr) tile = mr;
  if (tile > 32 * mr) tile = 32 * mr;
  plan->tile_m = tile;
  return (size_t)(threads > 0 ? threads : 1) * tile * k * sizeof(float);
}

// rows [m0, m0 + rows) of the im2col matrix of group g: each row is one output pixel's
// receptive field, [kh][kw][cin_g], zeros where it falls in the padding
static void im2col(const mote_conv2d_params* p, const float* x, size_t g, size_t m0, size_t rows, float* out) {
  const size_t cin_g = (size_t)(p->in_c / p->groups), hw = (size_t)p->out_h * (size_t)p->out_w;
  for (size_t r = 0; r < rows; r++) {
    const size_t m = m0 + r, b = m / hw, oy = (m % hw) / (size_t)p->out_w, ox = m % (size_t)p->out_w;
    const float* xb = x + b * (size_t)p->in_h * (size_t)p->in_w * (size_t)p->in_c + g * cin_g;
    for (int32_t ky = 0; ky < p->kernel_h; ky++) {
      const int64_t iy = (int64_t)oy * p->stride_h - p->pad_top + (int64_t)ky * p->dilation_h;
      for (int32_t kx = 0; kx < p->kernel_w; kx++, out += cin_g) {
        const int64_t ix = (int64_t)ox * p->stride_w - p->pad_left + (int64_t)kx * p->dilation_w;
        const bool pad = iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w;
        const float* src = pad ? NULL : xb + ((size_t)iy * (size_t)p->in_w + (size_t)ix) * (size_t)p->in_c;
        if (cin_g <= 8) {  // a first RGB layer: a call to memcpy per 3 floats cost more than the copy
          for (size_t c = 0; c < cin_g; c++) out[c] = pad ? 0.0f : src[c];
        } else if (pad) {
          memset(out, 0, cin_g * sizeof(float));
        } else {
          memcpy(out, src, cin_g * sizeof(float));
        }
      }
    }
  }
}

// C rows [m0, m0 + rows), columns [n0, n1) of group g from A rows with stride a_stride
static void gemm_rows(const mote_gemm_plan* plan, const float* a, size_t a_stride, size_t rows, size_t g, size_t n0,
                      size_t n1, float* c, size_t c_stride) {
  const mote_f32_minmax_params mm = {plan->act_min, plan->act_max};
  const size_t mr = plan->gemm.mr, kc = plan->k;
  const float* w = plan->packed + g * plan->packed_group + (n0 / plan->gemm.nr) * (kc + 1) * plan->gemm.nr;
  for (size_t i = 0; i < rows; i += mr) {
    const size_t rr = rows - i < mr ? rows - i : mr;
    mote_f32_gemm_ukernel_fn fn = rr == 1 ? plan->gemm.fn1 : plan->gemm.fn;
    fn(rr, n1 - n0, kc, a + i * a_stride, a_stride, w, c + i * c_stride + n0, c_stride, &mm);
  }
}

typedef struct {
  const mote_conv2d_params* p;
  const mote_gemm_plan* plan;
  const float* x;
  float* y;
  float* scratch;
  size_t tasks, units, n_split;  // units: row tiles x column splits
} conv_job;

static void conv_task(void* arg, size_t t) {
  const conv_job* j = arg;
  const mote_gemm_plan* plan = j->plan;
  const size_t out_c = plan->n * plan->groups, tile = plan->tile_m ? plan->tile_m : 64 * plan->gemm.mr;
  size_t u0, u1;
  mote_chunk_range(j->units, j->tasks, t, &u0, &u1);
  float* col = j->scratch ? j->scratch + t * plan->tile_m * plan->k : NULL;
  for (size_t u = u0; u < u1; u++) {
    const size_t tile_i = u / j->n_split, split = u % j->n_split;
    const size_t m0 = tile_i * tile, rows = plan->m - m0 < tile ? plan->m - m0 : tile;
    // column split on whole NR blocks
    const size_t blocks = (plan->n + plan->gemm.nr - 1) / plan->gemm.nr;
    size_t b0, b1;
    mote_chunk_range(blocks, j->n_split, split, &b0, &b1);
    const size_t n0 = b0 * plan->gemm.nr, n1 = b1 * plan->gemm.nr < plan->n ? b1 * plan->gemm.nr : plan->n;
    if (n0 >= n1) continue;
    for (size_t g = 0; g < plan->groups; g++) {
      float* c = j->y + m0 * out_c + g * plan->n;
      if (!plan->tile_m) {
        gemm_rows(plan, j->x + m0 * plan->k, plan->k, rows, g, n0, n1, c, out_c);
      } else {
        im2col(j->p, j->x, g, m0, rows, col);
        gemm_rows(plan, col, plan->k, rows, g, n0, n1, c, out_c);
      }
    }
  }
}

// tasks over (row tile, column split) units: columns split too when rows are few
static void run_units(mote_context* ctx, conv_job* job, size_t tile) {
  const mote_gemm_plan* plan = job->plan;
  const size_t tiles = (plan->m + tile - 1) / tile;
  size_t threads = ctx->num_threads > 1 && ctx->pool ? (size_t)ctx->num_threads : 1;
  const double flops = 2.0 * (double)plan->m * (double)plan->k * (double)plan->n * (double)plan->groups;
  if (flops < 2.0e5) threads = 1;  // a few microseconds: not worth waking the pool
  job->n_split = 1;
  // im2col tiles need their own scratch slot per task, so only direct GEMMs split columns
  if (!plan->tile_m && tiles < threads) {
    const size_t blocks = (plan->n + plan->gemm.nr - 1) / plan->gemm.nr;
    job->n_split = blocks < threads ? blocks : threads;
  }
  job->units = tiles * job->n_split;
  job->tasks = job->units < threads ? job->units : threads;
  if (job->tasks <= 1) {
    job->tasks = 1;
    conv_task(job, 0);
    return;
  }
  mote_threadpool_run(ctx->pool, conv_task, job, job->tasks);
}

void mote_gemm_conv_run(mote_context* ctx, const mote_conv2d_params* p, const mote_gemm_plan* plan, const float* x,
                        float* y) {
  conv_job job = {.p = p, .plan = plan, .x = x, .y = y, .scratch = plan->tile_m ? ctx->scratch : NULL};
  run_units(ctx, &job, plan->tile_m ? plan->tile_m : 64 * plan->gemm.mr);
}

void mote_gemm_fc_plan(size_t m, size_t k, size_t n, const float* w, const float* bias, float act_min,
                       float act_max, mote_gemm_plan* plan) {
  plan->m = m;
  plan->k = k;
  plan->n = n;
  plan->groups = 1;
  plan->tile_m = 0;
  plan->act_min = act_min;
  plan->act_max = act_max;
  plan->packed_group = mote_f32_gemm_packed_size(n, k, plan->gemm.nr);
  mote_pack_f32_gemm_goi(n, k, plan->gemm.nr, w, bias, plan->packed);
}

void mote_gemm_fc_run(mote_context* ctx, const mote_gemm_plan* plan, const float* x, float* y) {
  conv_job job = {.plan = plan, .x = x, .y = y};
  run_units(ctx, &job, 64 * plan->gemm.mr);
}

// ---- BATCH_MATMUL --------------------------------------------------------------

size_t mote_gemm_bmm_scratch(const mote_f32_gemm_config* g, const mote_batch_matmul_params* p, int threads) {
  return (size_t)(threads > 0 ? threads : 1) * mote_f32_gemm_packed_size(p->n, p->k, g->nr) * sizeof(float);
}

typedef struct {
  const mote_f32_gemm_config* g;
  const mote_batch_matmul_params* p;
  const float *a, *b;
  float* y;
  float* scratch;
  size_t batches, tasks;
  const float* packed;  // one batch at a time: packed by the caller, rows split over tasks
  size_t batch;         // that batch's index
} bmm_job;

static void bmm_offsets(const mote_batch_matmul_params* p, size_t i, size_t* a_off, size_t* b_off) {
  size_t ao = 0, bo = 0;
  for (int32_t d = p->batch_rank - 1; d >= 0; d--) {
    const size_t idx = i % p->batch_dims[d];
    i /= p->batch_dims[d];
    ao += idx * p->a_batch_strides[d];
    bo += idx * p->b_batch_strides[d];
  }
  *a_off = ao * p->m * p->k;
  *b_off = bo * p->k * p->n;
}

static void bmm_pack(const bmm_job* j, size_t b_off, float* packed) {
  if (j->p->adj_b) mote_pack_f32_gemm_goi(j->p->n, j->p->k, j->g->nr, j->b + b_off, NULL, packed);
  else mote_pack_f32_gemm_kn(j->p->n, j->p->k, j->g->nr, j->b + b_off, NULL, packed);
}

static void bmm_rows(const bmm_job* j, const float* a, const float* packed, float* y, size_t r0, size_t r1) {
  const mote_f32_minmax_params mm = {-INFINITY, INFINITY};
  const size_t mr = j->g->mr, k = j->p->k, n = j->p->n;
  for (size_t i = r0; i < r1; i += mr) {
    const size_t rr = r1 - i < mr ? r1 - i : mr;
    (rr == 1 ? j->g->fn1 : j->g->fn)(rr, n, k, a + i * k, k, packed, y + i * n, n, &mm);
  }
}

// whole batches per task, each packing into its own slot
static void bmm_batches_task(void* arg, size_t t) {
  const bmm_job* j = arg;
  size_t i0, i1;
  mote_chunk_range(j->batches, j->tasks, t, &i0, &i1);
  float* packed = j->scratch + t * mote_f32_gemm_packed_size(j->p->n, j->p->k, j->g->nr);
  for (size_t i = i0; i < i1; i++) {
    size_t a_off, b_off;
    bmm_offsets(j->p, i, &a_off, &b_off);
    bmm_pack(j, b_off, packed);
    bmm_rows(j, j->a + a_off, packed, j->y + i * j->p->m * j->p->n, 0, j->p->m);
  }
}

// one batch, rows split over tasks in multiples of MR
static void bmm_rows_task(void* arg, size_t t) {
  const bmm_job* j = arg;
  const size_t mr = j->g->mr, blocks = (j->p->m + mr - 1) / mr;
  size_t b0, b1;
  mote_chunk_range(blocks, j->tasks, t, &b0, &b1);
  const size_t r0 = b0 * mr, r1 = b1 * mr < j->p->m ? b1 * mr : j->p->m;
  size_t a_off, b_off;
  bmm_offsets(j->p, j->batch, &a_off, &b_off);
  if (r0 < r1) bmm_rows(j, j->a + a_off, j->packed, j->y + j->batch * j->p->m * j->p->n, r0, r1);
}

void mote_gemm_bmm_run(mote_context* ctx, const mote_f32_gemm_config* g, const mote_batch_matmul_params* p,
                       const float* a, const float* b, float* y) {
  size_t batches = 1;
  for (int32_t d = 0; d < p->batch_rank; d++) batches *= p->batch_dims[d];
  bmm_job job = {.g = g, .p = p, .a = a, .b = b, .y = y, .scratch = ctx->scratch, .batches = batches};
  size_t threads = ctx->num_threads > 1 && ctx->pool ? (size_t)ctx->num_threads : 1;
  if (2.0 * (double)batches * (double)p->m * (double)p->k * (double)p->n < 2.0e5) threads = 1;
  if (batches >= threads) {
    job.tasks = threads < batches ? threads : batches;
    if (job.tasks <= 1) {
      job.tasks = 1;
      bmm_batches_task(&job, 0);
    } else {
      mote_threadpool_run(ctx->pool, bmm_batches_task, &job, job.tasks);
    }
    return;
  }
  const size_t blocks = (p->m + g->mr - 1) / g->mr;
  job.tasks = threads < blocks ? threads : blocks;
  for (size_t i = 0; i < batches; i++) {
    size_t a_off, b_off;
    bmm_offsets(p, i, &a_off, &b_off);
    bmm_pack(&job, b_off, ctx->scratch);
    job.packed = ctx->scratch;
    job.batch = i;
    if (job.tasks <= 1) bmm_rows_task(&job, 0);
    else mote_threadpool_run(ctx->pool, bmm_rows_task, &job, job.tasks);
  }
}
