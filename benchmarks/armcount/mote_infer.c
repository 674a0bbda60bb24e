// Run N inferences of a .mote model on 1 thread (the mote side of an armcount
// comparison; LiteRT's side is /work/shared/tools/armcount/litert_infer.py).
// usage: mote_infer MODEL.mote N      (inputs: a fixed pseudo-random pattern)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mote/mote.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s MODEL.mote N\n", argv[0]);
    return 2;
  }
  mote_model* model;
  mote_interpreter* it;
  if (mote_model_load_file(argv[1], &model) != MOTE_OK) {
    fprintf(stderr, "load: %s\n", mote_last_error());
    return 1;
  }
  mote_options opts = mote_options_default();
  opts.num_threads = 1;
  if (mote_interpreter_create(model, &opts, &it) != MOTE_OK) {
    fprintf(stderr, "create: %s\n", mote_last_error());
    return 1;
  }
  uint32_t seed = 1;
  for (int32_t i = 0; i < mote_interpreter_input_count(it); i++) {
    mote_tensor_info info;
    mote_interpreter_input_info(it, i, &info);
    unsigned char* data = mote_interpreter_input_data(it, i);
    if (info.dtype == MOTE_FLOAT32) {
      float* f = (float*)data;
      for (size_t j = 0; j < info.byte_size / 4; j++) f[j] = (float)((seed = seed * 1103515245u + 12345u) >> 16 & 0xff) / 255.0f;
    } else {
      for (size_t j = 0; j < info.byte_size; j++) data[j] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);
    }
  }
  const int n = atoi(argv[2]);
  for (int i = 0; i < n; i++) {
    if (mote_interpreter_invoke(it) != MOTE_OK) {
      fprintf(stderr, "invoke: %s\n", mote_last_error());
      return 1;
    }
  }
  mote_tensor_info out;
  mote_interpreter_output_info(it, 0, &out);
  const float* y = mote_interpreter_output_data(it, 0);
  size_t best = 0;
  if (out.dtype == MOTE_FLOAT32)
    for (size_t j = 1; j < out.byte_size / 4; j++) best = y[j] > y[best] ? j : best;
  printf("model=%s n=%d out_bytes=%zu argmax=%zu\n", argv[1], n, out.byte_size, best);
  mote_interpreter_free(it);
  mote_model_free(model);
  return 0;
}
