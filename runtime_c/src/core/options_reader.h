// Reads one OpOptions union member into mote_op_options, checking every enum and array length.
#ifndef MOTE_CORE_OPTIONS_READER_H
#define MOTE_CORE_OPTIONS_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fb_reader.h"
#include "core/options.h"

// `t` is the options table (absent: all defaults). On failure writes what is
// wrong into msg and returns false.
bool mote_read_options(fb_reader* r, mote_options_type type, const fb_table* t, mote_op_options* out,
                       char* msg, size_t msg_size);

#endif  // MOTE_CORE_OPTIONS_READER_H
