// A verifying FlatBuffer reader, hand-written against schema/mote.fbs.
// Every offset, length, alignment and vtable size is checked against the buffer
// before use; values are read byte by byte as little-endian, so any host works.
// A failed check returns false and records what failed and where (first failure wins).
#ifndef MOTE_CORE_FB_READER_H
#define MOTE_CORE_FB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fb_reader {
  const uint8_t* data;
  size_t size;
  const char* error;  // the failed check (static text), NULL while all is well
  size_t error_pos;   // byte offset where it failed
  size_t budget;      // bytes the caller may still iterate over (see fb_charge)
} fb_reader;

// A verified table. An absent table (present == false) reads every field as its default.
typedef struct fb_table {
  size_t pos;            // start of the table (its soffset to the vtable)
  size_t vtable;         // start of the vtable
  uint16_t vtable_size;  // bytes of vtable
  uint16_t table_size;   // bytes of inline table data, soffset included
  bool present;
} fb_table;

// A verified vector: len elements of a known size starting at pos.
typedef struct fb_vector {
  size_t pos;
  uint32_t len;
  bool present;
} fb_vector;

// Checks the size and the 4-byte file identifier at bytes 4..8.
bool fb_init(fb_reader* r, const void* data, size_t size, const char identifier[4]);
bool fb_root(fb_reader* r, fb_table* out);

// Scalars: `out` gets the field's value, or `def` when the field or the table is absent.
bool fb_u8(fb_reader* r, const fb_table* t, int field, uint8_t def, uint8_t* out);
bool fb_i8(fb_reader* r, const fb_table* t, int field, int8_t def, int8_t* out);
bool fb_bool(fb_reader* r, const fb_table* t, int field, bool def, bool* out);
bool fb_i32(fb_reader* r, const fb_table* t, int field, int32_t def, int32_t* out);
bool fb_u32(fb_reader* r, const fb_table* t, int field, uint32_t def, uint32_t* out);
bool fb_i64(fb_reader* r, const fb_table* t, int field, int64_t def, int64_t* out);
bool fb_u64(fb_reader* r, const fb_table* t, int field, uint64_t def, uint64_t* out);
bool fb_f32(fb_reader* r, const fb_table* t, int field, float def, float* out);

// Sub-table field (out->present is false if absent).
bool fb_table_field(fb_reader* r, const fb_table* t, int field, fb_table* out);
// String field: NUL-terminated inside the buffer; *out is NULL if absent.
bool fb_string(fb_reader* r, const fb_table* t, int field, const char** out);
// Vector field of elements of elem_size bytes, element data aligned to elem_align
// from the buffer start (out->len is 0 and present false if absent).
bool fb_vector_field(fb_reader* r, const fb_table* t, int field, size_t elem_size, size_t elem_align,
                     fb_vector* out);

// Callers charge the bytes of every vector they iterate over. Tables and vectors
// may be shared by many offsets, so a small hostile file could otherwise make
// the loader walk (and copy) the same large vector millions of times; a real
// file never reads more than its own size, so the budget is the file size.
bool fb_charge(fb_reader* r, size_t bytes);

// Elements of a verified vector (i < len; the caller checks the index).
uint8_t fb_vec_u8(const fb_reader* r, const fb_vector* v, uint32_t i);
int32_t fb_vec_i32(const fb_reader* r, const fb_vector* v, uint32_t i);
uint32_t fb_vec_u32(const fb_reader* r, const fb_vector* v, uint32_t i);
int64_t fb_vec_i64(const fb_reader* r, const fb_vector* v, uint32_t i);
float fb_vec_f32(const fb_reader* r, const fb_vector* v, uint32_t i);
// Vector of tables / strings (elements are offsets): verify and return element i.
bool fb_vec_table(fb_reader* r, const fb_vector* v, uint32_t i, fb_table* out);
bool fb_vec_string(fb_reader* r, const fb_vector* v, uint32_t i, const char** out);

#endif  // MOTE_CORE_FB_READER_H
