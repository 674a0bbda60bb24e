// Verifying FlatBuffer reader: see fb_reader.h.
#include "core/fb_reader.h"

#include <string.h>

static bool fail(fb_reader* r, const char* what, size_t pos) {
  if (!r->error) {
    r->error = what;
    r->error_pos = pos;
  }
  return false;
}

static uint16_t ld16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t ld32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t ld64(const uint8_t* p) { return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32); }

// is [pos, pos + n) inside the buffer? (no overflow: compares against size - pos)
static bool in_bounds(const fb_reader* r, size_t pos, size_t n) { return pos <= r->size && n <= r->size - pos; }

static bool table_at(fb_reader* r, size_t pos, fb_table* out) {
  memset(out, 0, sizeof *out);
  if (pos % 4 != 0) return fail(r, "misaligned table", pos);
  if (!in_bounds(r, pos, 4)) return fail(r, "table offset out of bounds", pos);
  int64_t soff = (int32_t)ld32(r->data + pos);
  size_t vt;
  if (soff >= 0) {
    if ((uint64_t)soff > pos) return fail(r, "vtable offset out of bounds", pos);
    vt = pos - (size_t)soff;
  } else {
    uint64_t back = (uint64_t)(-soff);
    if (back > r->size - pos) return fail(r, "vtable offset out of bounds", pos);
    vt = pos + (size_t)back;
  }
  if (vt % 2 != 0) return fail(r, "misaligned vtable", vt);
  if (!in_bounds(r, vt, 4)) return fail(r, "vtable out of bounds", vt);
  uint16_t vt_size = ld16(r->data + vt);
  uint16_t t_size = ld16(r->data + vt + 2);
  if (vt_size < 4 || vt_size % 2 != 0) return fail(r, "bad vtable size", vt);
  if (!in_bounds(r, vt, vt_size)) return fail(r, "vtable out of bounds", vt);
  if (t_size < 4 || !in_bounds(r, pos, t_size)) return fail(r, "table out of bounds", pos);
  out->pos = pos;
  out->vtable = vt;
  out->vtable_size = vt_size;
  out->table_size = t_size;
  out->present = true;
  return true;
}

// 1: field present at *pos; 0: absent; -1: malformed
static int field_pos(fb_reader* r, const fb_table* t, int field, size_t width, size_t* pos) {
  if (!t->present || field < 0) return 0;
  size_t voff = 4 + 2 * (size_t)field;
  if (voff + 2 > t->vtable_size) return 0;
  uint16_t off = ld16(r->data + t->vtable + voff);
  if (off == 0) return 0;
  if ((size_t)off + width > t->table_size) return fail(r, "field outside its table", t->pos), -1;
  size_t p = t->pos + off;
  if (p % width != 0) return fail(r, "misaligned field", p), -1;
  *pos = p;
  return 1;
}

// follows the uoffset stored at `at`; the target has room for at least 4 bytes
static bool deref(fb_reader* r, size_t at, size_t* target) {
  uint32_t off = ld32(r->data + at);
  if (off > r->size - at || !in_bounds(r, at + off, 4)) return fail(r, "offset out of bounds", at);
  *target = at + off;
  return true;
}

bool fb_init(fb_reader* r, const void* data, size_t size, const char identifier[4]) {
  r->data = data;
  r->size = size;
  r->error = NULL;
  r->error_pos = 0;
  r->budget = size;
  if (!data || size < 8) return fail(r, "file too small to be a FlatBuffer", 0);
  if (memcmp(r->data + 4, identifier, 4) != 0) return fail(r, "wrong file identifier", 4);
  return true;
}

bool fb_root(fb_reader* r, fb_table* out) {
  size_t pos;
  if (!deref(r, 0, &pos)) return false;
  return table_at(r, pos, out);
}

#define SCALAR_READER(fn, type, width, load)                                     \
  bool fn(fb_reader* r, const fb_table* t, int field, type def, type* out) {     \
    size_t p;                                                                    \
    int s = field_pos(r, t, field, width, &p);                                   \
    if (s < 0) return false;                                                     \
    if (s == 0) {                                                                \
      *out = def;                                                                \
      return true;                                                               \
    }                                                                            \
    load;                                                                        \
    return true;                                                                 \
  }

SCALAR_READER(fb_u8, uint8_t, 1, *out = r->data[p])
SCALAR_READER(fb_i8, int8_t, 1, *out = (int8_t)r->data[p])
SCALAR_READER(fb_bool, bool, 1, *out = r->data[p] != 0)
SCALAR_READER(fb_i32, int32_t, 4, *out = (int32_t)ld32(r->data + p))
SCALAR_READER(fb_u32, uint32_t, 4, *out = ld32(r->data + p))
SCALAR_READER(fb_i64, int64_t, 8, *out = (int64_t)ld64(r->data + p))
SCALAR_READER(fb_u64, uint64_t, 8, *out = ld64(r->data + p))
SCALAR_READER(fb_f32, float, 4, uint32_t bits = ld32(r->data + p); memcpy(out, &bits, 4))

bool fb_table_field(fb_reader* r, const fb_table* t, int field, fb_table* out) {
  memset(out, 0, sizeof *out);
  size_t p, target;
  int s = field_pos(r, t, field, 4, &p);
  if (s <= 0) return s == 0;
  return deref(r, p, &target) && table_at(r, target, out);
}

// vector header at `target`: length prefix then len * elem_size bytes
static bool vector_at(fb_reader* r, size_t target, size_t elem_size, size_t elem_align, fb_vector* out) {
  if (target % 4 != 0) return fail(r, "misaligned vector", target);
  uint32_t len = ld32(r->data + target);
  size_t data = target + 4;
  if ((size_t)len > (SIZE_MAX - 1) / elem_size) return fail(r, "vector too long", target);
  if (!in_bounds(r, data, (size_t)len * elem_size)) return fail(r, "vector out of bounds", target);
  if (elem_align > 1 && data % elem_align != 0) return fail(r, "misaligned vector data", data);
  out->pos = data;
  out->len = len;
  out->present = true;
  return true;
}

bool fb_vector_field(fb_reader* r, const fb_table* t, int field, size_t elem_size, size_t elem_align,
                     fb_vector* out) {
  memset(out, 0, sizeof *out);
  size_t p, target;
  int s = field_pos(r, t, field, 4, &p);
  if (s <= 0) return s == 0;
  return deref(r, p, &target) && vector_at(r, target, elem_size, elem_align, out);
}

static bool string_at(fb_reader* r, size_t target, const char** out) {
  fb_vector v;
  if (!vector_at(r, target, 1, 1, &v)) return false;
  if (!in_bounds(r, v.pos, (size_t)v.len + 1) || r->data[v.pos + v.len] != 0)
    return fail(r, "string not NUL-terminated", target);
  *out = (const char*)r->data + v.pos;
  return true;
}

bool fb_string(fb_reader* r, const fb_table* t, int field, const char** out) {
  *out = NULL;
  size_t p, target;
  int s = field_pos(r, t, field, 4, &p);
  if (s <= 0) return s == 0;
  return deref(r, p, &target) && string_at(r, target, out);
}

bool fb_charge(fb_reader* r, size_t bytes) {
  if (bytes > r->budget) return fail(r, "data referenced more often than a file of this size allows", 0);
  r->budget -= bytes;
  return true;
}

uint8_t fb_vec_u8(const fb_reader* r, const fb_vector* v, uint32_t i) { return r->data[v->pos + i]; }
int32_t fb_vec_i32(const fb_reader* r, const fb_vector* v, uint32_t i) {
  return (int32_t)ld32(r->data + v->pos + 4 * (size_t)i);
}
uint32_t fb_vec_u32(const fb_reader* r, const fb_vector* v, uint32_t i) {
  return ld32(r->data + v->pos + 4 * (size_t)i);
}
int64_t fb_vec_i64(const fb_reader* r, const fb_vector* v, uint32_t i) {
  return (int64_t)ld64(r->data + v->pos + 8 * (size_t)i);
}
float fb_vec_f32(const fb_reader* r, const fb_vector* v, uint32_t i) {
  uint32_t bits = ld32(r->data + v->pos + 4 * (size_t)i);
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

bool fb_vec_table(fb_reader* r, const fb_vector* v, uint32_t i, fb_table* out) {
  size_t target;
  if (i >= v->len) return fail(r, "vector index out of range", v->pos);
  return deref(r, v->pos + 4 * (size_t)i, &target) && table_at(r, target, out);
}

bool fb_vec_string(fb_reader* r, const fb_vector* v, uint32_t i, const char** out) {
  size_t target;
  *out = NULL;
  if (i >= v->len) return fail(r, "vector index out of range", v->pos);
  return deref(r, v->pos + 4 * (size_t)i, &target) && string_at(r, target, out);
}
