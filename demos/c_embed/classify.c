// Classify an image with a .mote model through libmote's C API: the smallest app that
// embeds mote. Reads a binary PGM (P5, grey) or PPM (P6, RGB) file, resizes it to the
// model's input (nearest neighbour), scales pixels to [0, 1], runs the model and prints
// the top-k classes. The input layout is taken from the model: [N, C, H, W] when dim 1
// is 1 or 3, otherwise [N, H, W, C].
//   usage: classify MODEL.mote IMAGE.pgm|ppm [TOP_K]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"

typedef struct {
  int w, h, channels;
  unsigned char* pixels;  // h * w * channels, row major
} image;

static int read_token(FILE* f) {  // the next integer of a PNM header (skipping # comments)
  int c = fgetc(f);
  while (c == '#' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
    if (c == '#')
      while (c != '\n' && c != EOF) c = fgetc(f);
    c = fgetc(f);
  }
  int v = 0;
  if (c < '0' || c > '9') return -1;
  while (c >= '0' && c <= '9') {
    if (v > 100000) return -1;
    v = v * 10 + (c - '0');
    c = fgetc(f);
  }
  return v;  // the single whitespace after the number is consumed
}

static int read_pnm(const char* path, image* img) {
  FILE* f = fopen(path, "rb");
  if (!f) return fprintf(stderr, "cannot open %s\n", path), -1;
  char magic[2];
  int ok = fread(magic, 1, 2, f) == 2 && magic[0] == 'P' && (magic[1] == '5' || magic[1] == '6');
  img->channels = ok && magic[1] == '6' ? 3 : 1;
  img->w = ok ? read_token(f) : -1;
  img->h = ok ? read_token(f) : -1;
  const int maxval = ok ? read_token(f) : -1;
  if (!ok || img->w <= 0 || img->h <= 0 || maxval != 255) {
    fclose(f);
    return fprintf(stderr, "%s: not a binary 8-bit PGM/PPM file\n", path), -1;
  }
  const size_t n = (size_t)img->w * (size_t)img->h * (size_t)img->channels;
  img->pixels = malloc(n);
  if (!img->pixels || fread(img->pixels, 1, n, f) != n) {
    fclose(f);
    free(img->pixels);
    return fprintf(stderr, "%s: truncated pixel data\n", path), -1;
  }
  fclose(f);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s MODEL.mote IMAGE.pgm|ppm [TOP_K]\n", argv[0]);
    return 2;
  }
  const int top_k = argc > 3 ? atoi(argv[3]) : 3;
  mote_model* model = NULL;
  mote_interpreter* it = NULL;
  if (mote_model_load_file(argv[1], &model) != MOTE_OK) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], mote_last_error());
    return 1;
  }
  mote_options opts = mote_options_default();
  opts.num_threads = 2;
  if (mote_interpreter_create(model, &opts, &it) != MOTE_OK) {
    fprintf(stderr, "cannot prepare %s: %s\n", argv[1], mote_last_error());
    mote_model_free(model);
    return 1;
  }
  mote_tensor_info in;
  mote_interpreter_input_info(it, 0, &in);
  if (in.dtype != MOTE_FLOAT32 || in.rank != 4) {
    fprintf(stderr, "this demo feeds one float32 image input of rank 4 (%s has rank %d)\n", in.name, in.rank);
    return 1;
  }
  const int nchw = in.shape[1] == 1 || in.shape[1] == 3;
  const int c = nchw ? in.shape[1] : in.shape[3], h = nchw ? in.shape[2] : in.shape[1];
  const int w = nchw ? in.shape[3] : in.shape[2];
  image img;
  if (read_pnm(argv[2], &img) != 0) return 1;
  float* x = mote_interpreter_input_data(it, 0);
  for (int y = 0; y < h; y++)
    for (int xx = 0; xx < w; xx++) {
      const int sy = y * img.h / h, sx = xx * img.w / w;
      const unsigned char* px = img.pixels + ((size_t)sy * img.w + sx) * img.channels;
      for (int ch = 0; ch < c; ch++) {
        // grey image into a colour model: the same value in every channel; colour into grey: the mean
        float v = img.channels == c ? px[ch] : img.channels == 1 ? px[0] : (px[0] + px[1] + px[2]) / 3.0f;
        const size_t i = nchw ? ((size_t)ch * h + y) * w + xx : ((size_t)y * w + xx) * c + ch;
        x[i] = v / 255.0f;
      }
    }
  free(img.pixels);
  if (mote_interpreter_invoke(it) != MOTE_OK) {
    fprintf(stderr, "inference failed: %s\n", mote_last_error());
    return 1;
  }
  mote_tensor_info out;
  mote_interpreter_output_info(it, 0, &out);
  const float* scores = mote_interpreter_output_data(it, 0);
  const int classes = (int)(out.byte_size / sizeof(float));
  printf("model %s, input %s [%d,%d,%d,%d], %d classes\n", argv[1], in.name, in.shape[0], in.shape[1], in.shape[2],
         in.shape[3], classes);
  char* taken = calloc((size_t)classes, 1);
  for (int r = 0; r < top_k && r < classes; r++) {
    int best = -1;
    for (int i = 0; i < classes; i++)
      if (!taken[i] && (best < 0 || scores[i] > scores[best])) best = i;
    taken[best] = 1;
    printf("top%d class %d score %.6f\n", r + 1, best, scores[best]);
  }
  free(taken);
  mote_interpreter_free(it);
  mote_model_free(model);
  return 0;
}
