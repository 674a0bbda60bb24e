"""Deterministic corrupted variants of converted .mote files.

A variant is (id, bytes, must_reject): every variant must load and run or fail with MoteError;
`must_reject` ones are plainly invalid under the format rules (mote.fbs, DESIGN.md decision 3)
and must fail with MoteError.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
from fbs_edit import SCHEMA, decode, encode, new_table


class Variant(NamedTuple):
    id: str
    data: bytes
    must_reject: bool = False


I32_MAX, I32_MIN = 2**31 - 1, -(2**31)
OPCODES = SCHEMA.enums["OpCode"][1]
DTYPES = SCHEMA.enums["DType"][1]
OPTION_TABLES = SCHEMA.unions["OpOptions"]
# slack after the last referenced byte: alignment padding the builder may leave at the end
TAIL_SLACK = 64


# ----------------------------------------------------------------------------- byte level


def truncations(name: str, data: bytes, every: bool) -> Iterator[Variant]:
    """Every shorter length, or the first 256 and ~400 more spread over the file."""
    lengths = range(len(data)) if every else sorted(
        set(range(min(256, len(data)))) | set(np.linspace(0, len(data) - 1, 400).astype(int).tolist()))
    for n in lengths:
        yield Variant(f"{name}:trunc:{n}", data[:n], must_reject=n <= len(data) - TAIL_SLACK)


def byte_flips(name: str, data: bytes, xors: tuple[int, ...]) -> Iterator[Variant]:
    for off in range(len(data)):
        for x in xors:
            b = bytearray(data)
            b[off] ^= x
            yield Variant(f"{name}:flip:{off}^{x:#04x}", bytes(b))


def random_corruption(name: str, data: bytes, count: int, seed: int) -> Iterator[Variant]:
    """2..16 random bytes set to random values; half the time confined to the first 512 bytes,
    where the tables (not the weights) usually are."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        b = bytearray(data)
        span = min(len(b), 512) if i % 2 == 0 else len(b)
        k = int(rng.integers(2, 17))
        for off in rng.integers(0, span, k):
            b[int(off)] = int(rng.integers(0, 256))
        yield Variant(f"{name}:rand:{seed}:{i}", bytes(b))


def runs(name: str, data: bytes, steps: int = 150) -> Iterator[Variant]:
    """Runs of 0x00 / 0xFF of 4, 16 and 64 bytes at positions spread over the file."""
    for length in (4, 16, 64):
        for off in sorted(set(np.linspace(0, max(len(data) - length, 0), steps).astype(int).tolist())):
            for fill in (0x00, 0xFF):
                b = bytearray(data)
                b[off : off + length] = bytes([fill]) * len(b[off : off + length])
                yield Variant(f"{name}:run:{off}+{length}={fill:#04x}", bytes(b))


def header_damage(name: str, data: bytes) -> Iterator[Variant]:
    for ident in (b"MOTF", b"\0\0\0\0", b"TFL3", b"mote", b"ETOM"):
        yield Variant(f"{name}:ident:{ident!r}", data[:4] + ident + data[8:], must_reject=True)
    for root in (len(data), len(data) - 2, 0xFFFFFFFF, 0x7FFFFFFF, 0, 1, 3, 4, 6, len(data) - 4):
        yield Variant(f"{name}:root:{root}", root.to_bytes(4, "little") + data[4:], must_reject=root >= len(data))
    for n in range(9):
        yield Variant(f"{name}:tiny:{n}", data[:n], must_reject=True)
    yield Variant(f"{name}:empty", b"", must_reject=True)
    yield Variant(f"{name}:appended", data + bytes(range(256)))
    yield Variant(f"{name}:doubled", data + data)
    yield Variant(f"{name}:zeros", bytes(len(data)), must_reject=True)
    yield Variant(f"{name}:ones", b"\xff" * len(data), must_reject=True)


# ----------------------------------------------------------------------------- structured


class Mutator:
    """Collects structured variants: each is the decoded base model, edited, re-encoded."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.base = decode(data)
        self.out: list[Variant] = []

    def add(self, tag: str, edit: Callable[[dict[str, Any]], Any], must_reject: bool = False, **enc: Any) -> None:
        m = copy.deepcopy(self.base)
        edit(m)
        self.out.append(Variant(f"{self.name}:{tag}", encode(m, **enc), must_reject))

    @property
    def sg(self) -> dict[str, Any]:
        return self.base["subgraphs"][0]


def _tensor_bytes(t: dict[str, Any]) -> int:
    sizes = {0: 4, 1: 2, 2: 1, 3: 1, 4: 2, 5: 4, 6: 8, 7: 1}
    return int(np.prod(t["shape"] or [], dtype=np.int64)) * sizes.get(t["dtype"], 1)


def _at(*keys: Any) -> Callable[[dict[str, Any]], Any]:
    """Accessor for m["subgraphs"][0][keys[0]][keys[1]]..."""

    def get(m: dict[str, Any]) -> Any:
        node = m["subgraphs"][0]
        for k in keys:
            node = node[k]
        return node

    return get


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        path(m)[key] = value

    return edit


def _set_item(path: Callable[[dict[str, Any]], list[Any]], index: int, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        path(m)[index] = value

    return edit


def tensor_variants(mu: Mutator) -> None:
    sg = mu.sg
    nb = len(mu.base["buffers"])
    arena = sg["arena_size"]
    for ti, t in enumerate(sg["tensors"]):
        tensor = _at("tensors", ti)
        shape = _at("tensors", ti, "shape")
        const = t["buffer"] != 0
        for j in range(len(t["shape"] or [])):
            for v in (0, 1 + 3 * t["shape"][j], -1, -7, I32_MIN, 65536, 2**30, I32_MAX):
                mu.add(f"t{ti}.shape[{j}]={v}", _set_item(shape, j, v), must_reject=v < 0 or v >= 2**30)
        mu.add(f"t{ti}.rank9", _set(tensor, "shape", [1] * 9), must_reject=True)
        mu.add(f"t{ti}.rank+1", _set(tensor, "shape", [*(t["shape"] or []), 1]))
        mu.add(f"t{ti}.rank0", _set(tensor, "shape", []))
        mu.add(f"t{ti}.noshape", _set(tensor, "shape", None))
        for v in (nb, nb + 1, 2**32 - 1, 2**31):
            mu.add(f"t{ti}.buffer={v}", _set(tensor, "buffer", v), must_reject=True)
        for v in range(nb) if nb <= 8 else (0, 1, nb - 1):
            if v != t["buffer"]:
                mu.add(f"t{ti}.buffer={v}", _set(tensor, "buffer", v))
        big = _tensor_bytes(t) > 0
        if not const:
            off = t["arena_offset"]
            for v, rej in ((arena, big), (arena - 4, big), (-2, True), (I32_MIN, True), (2**62, True),
                           (2**63 - 1, True), (-(2**63), True), (-1, True), (off + 4, False), (off + 1, False),
                           (off + 64, False)):
                mu.add(f"t{ti}.arena_offset={v}", _set(tensor, "arena_offset", v), must_reject=rej)
        else:
            mu.add(f"t{ti}.arena_offset=0", _set(tensor, "arena_offset", 0))
        for v in (8, 127, -1, -128):
            mu.add(f"t{ti}.dtype={v}", _set(tensor, "dtype", v), must_reject=True)
        for v in DTYPES.values():
            if v != t["dtype"]:
                mu.add(f"t{ti}.dtype={v}", _set(tensor, "dtype", v))
        for qi, q in enumerate((
            new_table("Quantization", scale=[], zero_point=[], axis=5),
            new_table("Quantization", scale=[0.5, 0.25, 2.0], zero_point=[0], axis=-1),
            new_table("Quantization", scale=[1.0], zero_point=[0], axis=I32_MAX),
            new_table("Quantization", scale=None, zero_point=None),
        )):
            mu.add(f"t{ti}.quant{qi}", _set(tensor, "quantization", q))
        mu.add(f"t{ti}.noname", _set(tensor, "name", None))


def _option_values(field_type: str) -> list[Any]:
    scalar = SCHEMA.scalar_of(field_type)
    if field_type in SCHEMA.enums:
        top = max(SCHEMA.enums[field_type][1].values())
        return [top + 1, -1, 127 if scalar == "byte" else I32_MAX]
    if scalar == "bool":
        return [True, False]
    if scalar == "float":
        return [float("nan"), float("inf"), float("-inf"), 0.0, 1e38]
    return [0, -1, I32_MIN, I32_MAX, 1 << 16]


def operator_variants(mu: Mutator, swap_opcodes: bool) -> None:
    sg = mu.sg
    nt = len(sg["tensors"])
    consts = [i for i, t in enumerate(sg["tensors"]) if t["buffer"] != 0]
    for oi, op in enumerate(sg["operators"]):
        oper = _at("operators", oi)
        ins = _at("operators", oi, "inputs")
        outs = _at("operators", oi, "outputs")
        for v in (max(OPCODES.values()) + 1, 1000, -1, I32_MIN, I32_MAX):
            mu.add(f"op{oi}.opcode={v}", _set(oper, "opcode", v), must_reject=True)
        if swap_opcodes:
            for v in OPCODES.values():
                if v != op["opcode"]:
                    mu.add(f"op{oi}.opcode={v}", _set(oper, "opcode", v))
        for j in range(len(op["inputs"] or [])):
            for v, rej in ((nt, True), (nt + 5, True), (I32_MAX, True), (-2, True), (I32_MIN, True), (-1, False),
                           (op["outputs"][0], False), (0, False)):
                mu.add(f"op{oi}.in[{j}]={v}", _set_item(ins, j, v), must_reject=rej)
            for c in consts[:2]:
                mu.add(f"op{oi}.in[{j}]=const{c}", _set_item(ins, j, c))
        mu.add(f"op{oi}.in=[]", _set(oper, "inputs", []))
        mu.add(f"op{oi}.in=None", _set(oper, "inputs", None))
        mu.add(f"op{oi}.in+extra", _set(oper, "inputs", [*op["inputs"], 0]))
        mu.add(f"op{oi}.in-last", _set(oper, "inputs", op["inputs"][:-1]))
        for v, rej in ((nt, True), (I32_MAX, True), (-2, True), (-1, False), (0, False)):
            mu.add(f"op{oi}.out[0]={v}", _set_item(outs, 0, v), must_reject=rej)
        for c in consts[:2]:
            mu.add(f"op{oi}.out[0]=const{c}", _set_item(outs, 0, c))
        mu.add(f"op{oi}.out=[]", _set(oper, "outputs", []))
        mu.add(f"op{oi}.out=None", _set(oper, "outputs", None))
        mu.add(f"op{oi}.out*2", _set(oper, "outputs", op["outputs"] * 2))
        # union tag and table
        mu.add(f"op{oi}.options=NONE", _set(oper, "options_type", 0))
        for v in (len(OPTION_TABLES) + 1, 200, 255):
            mu.add(f"op{oi}.options_type={v}", _set(oper, "options_type", v), must_reject=True)
        for tag, tname in enumerate(OPTION_TABLES, 1):
            if tag == op["options_type"]:
                continue

            def retype(m: dict[str, Any], i: int = oi, tag: int = tag, tname: str = tname) -> None:
                o = m["subgraphs"][0]["operators"][i]
                o["options_type"], o["options"] = tag, new_table(tname)

            def mislabel(m: dict[str, Any], i: int = oi, tag: int = tag) -> None:
                m["subgraphs"][0]["operators"][i]["options_type"] = tag

            mu.add(f"op{oi}.options={tname}", retype)
            if op["options"] is not None:
                mu.add(f"op{oi}.options_type={tname}.keep_table", mislabel)
        if op["options"] is not None:
            option_field_variants(mu, oi, op["options"])
        mu.add(f"op{oi}.noname", _set(oper, "name", None))


def option_field_variants(mu: Mutator, oi: int, opts: dict[str, Any]) -> None:
    path = _at("operators", oi, "options")
    for f in SCHEMA.tables[opts["__type"]]:
        if f.vector:
            vec = opts.get(f.name) or []
            for j in range(len(vec)):
                for v in (100, -100, I32_MAX, I32_MIN):
                    mu.add(f"op{oi}.{f.name}[{j}]={v}", _set_item(_at("operators", oi, "options", f.name), j, v))
            mu.add(f"op{oi}.{f.name}=[]", _set(path, f.name, []))
            mu.add(f"op{oi}.{f.name}=None", _set(path, f.name, None))
            mu.add(f"op{oi}.{f.name}+extra", _set(path, f.name, [*vec, 0]))
            if len(vec) > 1:
                mu.add(f"op{oi}.{f.name}=dup", _set(path, f.name, [vec[0]] * len(vec)))
            continue
        for v in _option_values(f.type):
            bad_enum = f.type in SCHEMA.enums and v not in SCHEMA.enums[f.type][1].values()
            mu.add(f"op{oi}.{f.name}={v}", _set(path, f.name, v), must_reject=bad_enum)


def graph_variants(mu: Mutator) -> None:
    sg = mu.sg
    nt = len(sg["tensors"])
    sub = lambda m: m["subgraphs"][0]  # noqa: E731
    model = lambda m: m  # noqa: E731
    used = max((t["arena_offset"] + _tensor_bytes(t) for t in sg["tensors"] if t["buffer"] == 0), default=0)
    for v in (0, 1, used - 1, sg["arena_size"] - 1, 2**40, 2**63 - 1, 2**64 - 1, sg["arena_size"] * 2):
        mu.add(f"arena_size={v}", _set(sub, "arena_size", v), must_reject=v < used)
    for key in ("inputs", "outputs"):
        for v, rej in ((nt, True), (I32_MAX, True), (-1, True), (-2, True), (0, False)):
            mu.add(f"sg.{key}[0]={v}", _set_item(lambda m, k=key: sub(m)[k], 0, v), must_reject=rej)
        mu.add(f"sg.{key}=[]", _set(sub, key, []))
        mu.add(f"sg.{key}=None", _set(sub, key, None))
        mu.add(f"sg.{key}*2", _set(sub, key, sg[key] * 2))
        consts = [i for i, t in enumerate(sg["tensors"]) if t["buffer"] != 0]
        if consts:
            mu.add(f"sg.{key}[0]=const", _set_item(lambda m, k=key: sub(m)[k], 0, consts[0]))
    referenced = [i for op in sg["operators"] for i in (*op["inputs"], *op["outputs"])] + sg["inputs"] + sg["outputs"]
    for keep in (0, nt // 2, nt - 1):
        mu.add(f"tensors[:{keep}]", _set(sub, "tensors", sg["tensors"][:keep]),
               must_reject=any(i >= keep for i in referenced))
    mu.add("tensors=None", _set(sub, "tensors", None), must_reject=True)
    mu.add("operators=[]", _set(sub, "operators", []))
    mu.add("operators=None", _set(sub, "operators", None))
    mu.add("operators=reversed", _set(sub, "operators", sg["operators"][::-1]))
    mu.add("operators*2", _set(sub, "operators", sg["operators"] * 2))
    mu.add("subgraphs=[]", _set(model, "subgraphs", []), must_reject=True)
    mu.add("subgraphs=None", _set(model, "subgraphs", None), must_reject=True)
    mu.add("subgraphs*2", _set(model, "subgraphs", mu.base["subgraphs"] * 2))
    # buffers
    bufs = mu.base["buffers"]
    mu.add("buffers=[]", _set(model, "buffers", []), must_reject=True)
    mu.add("buffers=None", _set(model, "buffers", None), must_reject=True)
    mu.add("buffer0=data", _set_item(lambda m: m["buffers"], 0, new_table("Buffer", data=bytes(64))))
    const_tensors = [t for t in sg["tensors"] if t["buffer"] != 0]
    for t in const_tensors[:6]:
        bi, data = t["buffer"], bufs[t["buffer"]]["data"] or b""
        buf = lambda m: m["buffers"]  # noqa: E731
        need = _tensor_bytes(t)
        mu.add(f"buffer{bi}-4", _set_item(buf, bi, new_table("Buffer", data=data[:-4])),
               must_reject=len(data) - 4 < need)
        mu.add(f"buffer{bi}=[]", _set_item(buf, bi, new_table("Buffer", data=b"")), must_reject=need > 0)
        mu.add(f"buffer{bi}=None", _set_item(buf, bi, new_table("Buffer")), must_reject=need > 0)
        mu.add(f"buffer{bi}*2", _set_item(buf, bi, new_table("Buffer", data=data * 2)))
    mu.add("misaligned_buffers", lambda m: m, honor_align=False)
    # header-level fields
    for v in (0, 2, 3, 0xFFFFFFFF, 0x80000001):
        mu.add(f"version={v}", _set(model, "version", v), must_reject=True)
    for ident in (b"MOTF", b"\0\0\0\0"):
        mu.add(f"identifier={ident!r}", lambda m: m, must_reject=True, identifier=ident)
    sig = new_table("SignatureDef", key="serving_default", subgraph_index=7,
                    inputs=[new_table("TensorMap", name="x", tensor_index=nt + 3)],
                    outputs=[new_table("TensorMap", name="y", tensor_index=I32_MAX)])
    mu.add("signature=bad", _set(model, "signatures", [sig]))
    mu.add("metadata=nulls", _set(model, "metadata", [new_table("KeyValue"), new_table("KeyValue", key="k")]))
    mu.add("metadata=None", _set(model, "metadata", None))
    mu.add("description=long", _set(model, "description", "x" * 5000))


def structured(name: str, data: bytes, *, swap_opcodes: bool = True) -> list[Variant]:
    mu = Mutator(name, data)
    mu.add("repacked", lambda m: m)  # the unedited model, re-encoded: must load (checked separately)
    tensor_variants(mu)
    operator_variants(mu, swap_opcodes)
    graph_variants(mu)
    return mu.out
