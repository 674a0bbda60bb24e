// libFuzzer target: any byte string must load (then create, fill inputs and invoke)
// or fail with a message; never crash. The CI run is tox env `fuzz`; seeds and
// dictionary: tests/fuzz (make_corpus.py); a long run: docs/hardening.md. Build (clang):
//   CC=clang cmake -S runtime_c -B build-fuzz -DMOTE_SANITIZE=ON -DMOTE_FUZZ=ON \
//       -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link
//   build-fuzz/tests/fuzz_loader /tmp/new runtime_c/tests/fuzz/corpus \
//       -dict=runtime_c/tests/fuzz/mote.dict -max_len=4096 -max_total_time=300
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "mote/mote.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // exact-size copy so that ASan catches a read past the end
  uint8_t* copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);
  mote_model in_place = {.bytes = copy, .size = size};
  mote_status s = mote_model_parse(&in_place);
  if (s != MOTE_OK && mote_last_error()[0] == '\0') abort();
  mote_model_release(&in_place);
  free(copy);

  // the limits an app loading untrusted models would set
  mote_load_options lo = mote_load_options_default();
  lo.max_model_bytes = 1 << 20;
  mote_model* m = NULL;
  if (mote_model_load_buffer_ex(data, size, &lo, &m) != MOTE_OK) {
    if (mote_last_error()[0] == '\0') abort();
    return 0;
  }
  mote_options o = mote_options_default();
  o.max_arena_bytes = 64u << 20;
  mote_interpreter* it = NULL;
  if (mote_interpreter_create(m, &o, &it) == MOTE_OK) {
    for (int32_t i = 0; i < mote_interpreter_input_count(it); i++) {
      mote_tensor_info info;
      if (mote_interpreter_input_info(it, i, &info) == MOTE_OK && info.byte_size < (1u << 24))
        memset(mote_interpreter_input_data(it, i), 0x3c, info.byte_size);
    }
    if (mote_interpreter_invoke(it) != MOTE_OK && mote_last_error()[0] == '\0') abort();
    mote_interpreter_free(it);
  } else if (mote_last_error()[0] == '\0') {
    abort();
  }
  mote_model_free(m);
  return 0;
}
