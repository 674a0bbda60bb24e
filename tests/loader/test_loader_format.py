"""The corruption harness checks itself, and converted files follow the format's rules (mote.fbs)."""

from __future__ import annotations

import importlib
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from fbs_edit import SCHEMA, decode, encode
from flatbuffers.table import Table
from helpers import convert, random_feeds
from model_zoo import ZOO, tiny

import mote

MOTE_H = Path(__file__).resolve().parents[2] / "runtime_c" / "include" / "mote" / "mote.h"
DTYPE_SIZE = {0: 4, 1: 2, 2: 1, 3: 1, 4: 2, 5: 4, 6: 8, 7: 1}


class _Recorder:
    def StartObject(self, n: int) -> None:
        self.slots = n


@pytest.mark.parametrize("table", sorted(SCHEMA.tables))
def test_schema_parser_matches_generated_code(table):
    """fbs_edit parses mote.fbs itself; its slot count must equal flatc's for every table."""
    module = importlib.import_module(f"mote.converter.fbs.{table}")
    rec = _Recorder()
    getattr(module, f"{table}Start")(rec)
    assert rec.slots == SCHEMA.slots(table)


@pytest.mark.parametrize("enum", sorted(SCHEMA.enums))
def test_schema_enums_match_generated_code(enum):
    cls = getattr(importlib.import_module(f"mote.converter.fbs.{enum}"), enum)
    generated = {k: v for k, v in vars(cls).items() if not k.startswith("_")}
    assert generated == SCHEMA.enums[enum][1]


@pytest.mark.parametrize("name", sorted(ZOO))
def test_repacked_model_is_equivalent(rng, name):
    """decode -> encode (all defaults written) gives a model that runs bit-identically: the
    structured corruptions start from a valid file."""
    model = ZOO[name](rng)
    data = convert(model)
    repacked = encode(decode(data))
    assert decode(repacked) == decode(data)
    feeds = random_feeds(model, rng)
    want = mote.load(data).run(feeds)
    got = mote.load(repacked).run(feeds)
    for k in want:
        np.testing.assert_array_equal(got[k], want[k], err_msg=k)


def _format_version() -> int:
    return int(re.search(r"#define\s+MOTE_FORMAT_VERSION\s+(\d+)", MOTE_H.read_text()).group(1))


def _buffer_data_offsets(data: bytes) -> list[int | None]:
    """File offset of each buffer's data (None when absent), read with the raw table API."""
    buf = bytearray(data)
    root = Table(buf, struct.unpack_from("<I", buf, 0)[0])
    slot = next(f.slot for f in SCHEMA.tables["Model"] if f.name == "buffers")
    o = root.Offset(4 + 2 * slot)
    out: list[int | None] = []
    start = root.Vector(o)
    for j in range(root.VectorLen(o)):
        t = Table(buf, root.Indirect(start + 4 * j))
        do = t.Offset(4)
        out.append(t.Vector(do) if do and t.VectorLen(do) else None)
    return out


@pytest.mark.parametrize("name", [*sorted(ZOO), "tiny"])
def test_converted_file_follows_format_rules(rng, name):
    model = (ZOO.get(name) or tiny)(rng)
    data = convert(model)
    assert data[4:8] == b"MOTE"
    m = decode(data)
    assert m["version"] == _format_version()
    assert len(m["subgraphs"]) >= 1
    bufs = m["buffers"]
    assert bufs and not bufs[0]["data"], "buffer 0 must be the empty buffer"
    for i, off in enumerate(_buffer_data_offsets(data)):
        assert off is None or off % 64 == 0, f"buffer {i} data at file offset {off}: not 64-byte aligned"
    sg = m["subgraphs"][0]
    tensors = sg["tensors"]
    for i, t in enumerate(tensors):
        nbytes = int(np.prod(t["shape"], dtype=np.int64)) * DTYPE_SIZE[t["dtype"]]
        if t["buffer"]:
            assert len(bufs[t["buffer"]]["data"]) == nbytes, f"tensor {i} {t['name']}: buffer size"
        else:
            off = t["arena_offset"]
            assert off >= 0 and off % 64 == 0, f"tensor {i} {t['name']}: arena offset {off}"
            assert off + nbytes <= sg["arena_size"], f"tensor {i} {t['name']}: beyond the arena"
    for op in sg["operators"]:
        assert all(-1 <= i < len(tensors) for i in op["inputs"])
        assert all(0 <= i < len(tensors) for i in op["outputs"])
    names = [tensors[i]["name"] for i in sg["inputs"]]
    assert names == [vi.name for vi in model.graph.input]
    assert [tensors[i]["name"] for i in sg["outputs"]] == [o.name for o in model.graph.output]
    assert {kv["key"] for kv in m["metadata"] or []} >= {"converter_version", "source_digest"}
