"""Schema-driven FlatBuffer decode / edit / encode for .mote files, to build structured corruptions.

The schema is parsed from runtime_c/schema/mote.fbs (the format's single source of truth), so the
tests follow it when fields are added. A decoded table is a dict {field: value} plus "__type";
enums and union type tags stay raw ints so a test can write out-of-range values; a union value is
the dict of whatever table it holds, so a tag can disagree with the table written ("options of the
wrong type"). Encoding writes every scalar (force defaults) so each field exists in the file.
"""

from __future__ import annotations

import copy
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flatbuffers
from flatbuffers import number_types as N
from flatbuffers.table import Table

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "runtime_c" / "schema" / "mote.fbs"

# scalar name -> (flags, Prepend<Name> suffix)
_SCALARS = {
    "bool": (N.BoolFlags, "Bool"),
    "byte": (N.Int8Flags, "Int8"),
    "ubyte": (N.Uint8Flags, "Uint8"),
    "short": (N.Int16Flags, "Int16"),
    "ushort": (N.Uint16Flags, "Uint16"),
    "int": (N.Int32Flags, "Int32"),
    "uint": (N.Uint32Flags, "Uint32"),
    "long": (N.Int64Flags, "Int64"),
    "ulong": (N.Uint64Flags, "Uint64"),
    "float": (N.Float32Flags, "Float32"),
    "double": (N.Float64Flags, "Float64"),
}
_ALIASES = {"int8": "byte", "uint8": "ubyte", "int16": "short", "uint16": "ushort", "int32": "int",
            "uint32": "uint", "int64": "long", "uint64": "ulong", "float32": "float", "float64": "double"}


@dataclass
class Field:
    name: str
    type: str  # scalar / enum / table / union / "string"
    vector: bool
    default: Any
    align: int  # force_align of a vector (1 if none)
    slot: int  # vtable slot (a union's value; its tag is slot - 1)


@dataclass
class Schema:
    enums: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)  # name -> (scalar, values)
    unions: dict[str, list[str]] = field(default_factory=dict)  # name -> member tables (tag = index + 1)
    tables: dict[str, list[Field]] = field(default_factory=dict)
    root: str = ""
    identifier: bytes = b""

    def scalar_of(self, t: str) -> str | None:
        if t in _SCALARS:
            return t
        return self.enums[t][0] if t in self.enums else None

    def union_tag(self, union: str, table: str) -> int:
        return self.unions[union].index(table) + 1

    def slots(self, table: str) -> int:
        return max((f.slot for f in self.tables[table]), default=-1) + 1


def _parse_default(text: str | None, ftype: str, schema: Schema) -> Any:
    if ftype in schema.enums:
        values = schema.enums[ftype][1]
        if text is None:
            return min(values.values()) if 0 not in values.values() else 0
        return values[text] if text in values else int(text)
    if ftype not in _SCALARS:
        return None
    if text is None:
        return False if ftype == "bool" else (0.0 if ftype in ("float", "double") else 0)
    if ftype == "bool":
        return text == "true"
    if ftype in ("float", "double"):
        return float(text)
    return int(text, 0)


def parse_schema(path: Path = SCHEMA_PATH) -> Schema:
    text = re.sub(r"//[^\n]*", "", path.read_text())
    schema = Schema()
    if m := re.search(r'file_identifier\s+"(\w{4})"', text):
        schema.identifier = m.group(1).encode()
    schema.root = re.search(r"root_type\s+(\w+)", text).group(1)
    blocks = re.findall(r"\b(enum|union|table|struct)\s+(\w+)\s*(?::\s*(\w+))?\s*\{(.*?)\}", text, re.DOTALL)
    for kind, name, base, body in blocks:  # enums and unions first: tables refer to them
        if kind == "struct":
            raise NotImplementedError("structs are not used by mote.fbs; extend fbs_edit if they appear")
        if kind == "enum":
            values, nxt = {}, 0
            for item in filter(None, (s.strip() for s in body.split(","))):
                key, _, val = (p.strip() for p in item.partition("="))
                nxt = int(val, 0) if val else nxt
                values[key] = nxt
                nxt += 1
            schema.enums[name] = (_ALIASES.get(base, base), values)
        elif kind == "union":
            schema.unions[name] = [s.strip() for s in body.split(",") if s.strip()]
    for kind, name, _, body in blocks:
        if kind != "table":
            continue
        fields, slot = [], 0
        for decl in filter(None, (s.strip() for s in body.split(";"))):
            m = re.fullmatch(r"(\w+)\s*:\s*(\[?)\s*(\w+)\s*\]?\s*(?:=\s*([^()\s]+))?\s*(?:\((.*)\))?", decl, re.DOTALL)
            if not m:
                raise ValueError(f"cannot parse field {decl!r} of table {name}")
            fname, vec, ftype, default, attrs = m.groups()
            ftype = _ALIASES.get(ftype, ftype)
            align = int(a.group(1)) if attrs and (a := re.search(r"force_align\s*:\s*(\d+)", attrs)) else 1
            if ftype in schema.unions:
                slot += 1  # the hidden <name>_type tag comes first
            fields.append(Field(fname, ftype, bool(vec), _parse_default(default, ftype, schema), align, slot))
            slot += 1
        schema.tables[name] = fields
    return schema


SCHEMA = parse_schema()


# ----------------------------------------------------------------------------- decode


def _decode_table(buf: bytes, pos: int, tname: str) -> dict[str, Any]:
    tab = Table(buf, pos)
    out: dict[str, Any] = {"__type": tname}
    for f in SCHEMA.tables[tname]:
        o = tab.Offset(4 + 2 * f.slot)
        if f.type in SCHEMA.unions:
            to = tab.Offset(4 + 2 * (f.slot - 1))
            tag = tab.Get(N.Uint8Flags, to + tab.Pos) if to else 0
            out[f.name + "_type"] = tag
            if o and 0 < tag <= len(SCHEMA.unions[f.type]):
                out[f.name] = _decode_table(buf, tab.Indirect(o + tab.Pos), SCHEMA.unions[f.type][tag - 1])
            else:
                out[f.name] = None
            continue
        scalar = SCHEMA.scalar_of(f.type)
        if not f.vector:
            if scalar:
                out[f.name] = tab.Get(_SCALARS[scalar][0], o + tab.Pos) if o else f.default
            elif f.type == "string":
                out[f.name] = tab.String(o + tab.Pos).decode() if o else None
            else:
                out[f.name] = _decode_table(buf, tab.Indirect(o + tab.Pos), f.type) if o else None
            continue
        if not o:
            out[f.name] = None
            continue
        n, start = tab.VectorLen(o), tab.Vector(o)
        if scalar == "ubyte":
            out[f.name] = bytes(buf[start : start + n])
        elif scalar:
            flags = _SCALARS[scalar][0]
            out[f.name] = [tab.Get(flags, start + j * flags.bytewidth) for j in range(n)]
        elif f.type == "string":
            out[f.name] = [tab.String(start + 4 * j).decode() for j in range(n)]
        else:
            out[f.name] = [_decode_table(buf, tab.Indirect(start + 4 * j), f.type) for j in range(n)]
    return out


def decode(data: bytes) -> dict[str, Any]:
    """The whole file as nested dicts (raises on files that are not well formed)."""
    buf = bytearray(data)
    return _decode_table(buf, struct.unpack_from("<I", buf, 0)[0], SCHEMA.root)


# ----------------------------------------------------------------------------- encode


def _encode_vector(b: flatbuffers.Builder, f: Field, items: Any, honor_align: bool) -> int:
    scalar = SCHEMA.scalar_of(f.type)
    if scalar == "ubyte":
        data = bytes(items)
        b.StartVector(1, len(data), f.align if honor_align else 1)
        b.head -= len(data)
        b.Bytes[b.head : b.head + len(data)] = data
        return b.EndVector()
    if scalar:
        flags, suffix = _SCALARS[scalar]
        b.StartVector(flags.bytewidth, len(items), flags.bytewidth)
        for v in reversed(items):
            getattr(b, "Prepend" + suffix)(v)
        return b.EndVector()
    if f.type == "string":
        offs = [b.CreateString(s) for s in items]
    else:
        offs = [_encode_table(b, t, honor_align) for t in items]
    b.StartVector(4, len(offs), 4)
    for off in reversed(offs):
        b.PrependUOffsetTRelative(off)
    return b.EndVector()


def _encode_table(b: flatbuffers.Builder, t: dict[str, Any], honor_align: bool) -> int:
    tname = t["__type"]
    fields = SCHEMA.tables[tname]
    offsets: dict[str, int] = {}
    for f in fields:  # children first: a table cannot be built while another is open
        v = t.get(f.name)
        if v is None or (SCHEMA.scalar_of(f.type) and not f.vector):
            continue
        if f.vector:
            offsets[f.name] = _encode_vector(b, f, v, honor_align)
        elif f.type == "string":
            offsets[f.name] = b.CreateString(v)
        else:
            offsets[f.name] = _encode_table(b, v, honor_align)
    b.StartObject(SCHEMA.slots(tname))
    for f in fields:
        scalar = SCHEMA.scalar_of(f.type)
        if f.type in SCHEMA.unions:
            b.PrependUint8Slot(f.slot - 1, t.get(f.name + "_type", 0) & 0xFF, 0)
        if scalar and not f.vector:
            v = t.get(f.name, f.default)
            getattr(b, f"Prepend{_SCALARS[scalar][1]}Slot")(f.slot, v, f.default)
        elif f.name in offsets:
            b.PrependUOffsetTRelativeSlot(f.slot, offsets[f.name], 0)
    return b.EndObject()


def encode(model: dict[str, Any], *, identifier: bytes | None = None, honor_align: bool = True) -> bytes:
    """Serialize a decoded (possibly edited) model. `identifier` overrides the file identifier;
    honor_align=False drops force_align (constant data may then be misaligned)."""
    b = flatbuffers.Builder(1 << 16)
    b.ForceDefaults(True)
    root = _encode_table(b, model, honor_align)
    b.Finish(root, file_identifier=identifier if identifier is not None else SCHEMA.identifier)
    return bytes(b.Output())


def new_table(tname: str, **values: Any) -> dict[str, Any]:
    """A table of type `tname` with every field at its default (or `values`)."""
    t: dict[str, Any] = {"__type": tname}
    for f in SCHEMA.tables[tname]:
        if f.type in SCHEMA.unions:
            t[f.name + "_type"] = 0
        t[f.name] = f.default if SCHEMA.scalar_of(f.type) and not f.vector else None
    t.update(values)
    return t


def edited(model: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(model)
