"""Deterministic mutators for the importer fuzzers: every function takes a random.Random,
so an input is reproduced from (seed index, mutation seed) alone.

Byte level: flips, truncations, insertions, chunk copies, overwritten varints / int32s.
ONNX proto level: attribute values and types, input counts, missing initializers, bad, huge and
negative dims, wrong dtypes, empty names, cycles, duplicate outputs, unknown ops, opsets.
TFLite field level (object API): shapes, types, buffer and tensor indices, opcodes, options fields.
"""

from __future__ import annotations

import random
import struct
from typing import Any, Callable

import numpy as np
import onnx
from onnx import helper

INTERESTING_INTS = [0, 1, -1, 2, 3, 7, -2, 127, 128, 255, 256, 2**15, 2**16, 2**31 - 1, -(2**31), 2**31,
                    2**32, 2**40, 2**62, -(2**62), 2**63 - 1]
INTERESTING_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-30, 1e30, float("inf"), float("-inf"), float("nan")]


def _int(r: random.Random) -> int:
    return r.choice(INTERESTING_INTS) if r.random() < 0.7 else r.randint(-10, 10)


# -- bytes ------------------------------------------------------------------

def mutate_bytes(data: bytes, r: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(r.choice([1, 1, 1, 2, 3, 8])):
        if not b:
            b += bytes([r.randrange(256)])
            continue
        kind = r.randrange(7)
        pos = r.randrange(len(b))
        if kind == 0:  # bit flip
            b[pos] ^= 1 << r.randrange(8)
        elif kind == 1:  # random byte
            b[pos] = r.randrange(256)
        elif kind == 2:  # truncate
            del b[pos:]
        elif kind == 3:  # insert
            b[pos:pos] = bytes(r.randrange(256) for _ in range(r.randint(1, 8)))
        elif kind == 4:  # copy a chunk elsewhere
            n = r.randint(1, 32)
            b[r.randrange(len(b)):0] = b[pos:pos + n]
        elif kind == 5:  # an interesting little-endian int32 (flatbuffer offsets, lengths, dims)
            b[pos:pos + 4] = struct.pack("<i", max(-(2**31), min(2**31 - 1, _int(r))))
        else:  # delete a run
            del b[pos:pos + r.randint(1, 16)]
    return bytes(b)


# -- ONNX proto ---------------------------------------------------------------

def _random_attr(name: str, r: random.Random) -> onnx.AttributeProto:
    kind = r.randrange(6)
    if kind == 0:
        return helper.make_attribute(name, _int(r))
    if kind == 1:
        return helper.make_attribute(name, r.choice(INTERESTING_FLOATS))
    if kind == 2:
        return helper.make_attribute(name, [_int(r) for _ in range(r.randint(1, 6))])
    if kind == 3:
        return helper.make_attribute(name, [r.choice(INTERESTING_FLOATS) for _ in range(r.randint(1, 4))])
    if kind == 4:
        return helper.make_attribute(name, r.choice(["", "nearest", "linear", "NOTSET", "SAME_UPPER", "\xff"]))
    return helper.make_attribute(name, onnx.numpy_helper.from_array(
        np.arange(r.randint(0, 4), dtype=r.choice([np.float32, np.int64, np.int32]))))


def _all_dims(model: onnx.ModelProto) -> list:
    out = []
    for vi in list(model.graph.input) + list(model.graph.output):
        out.extend(vi.type.tensor_type.shape.dim)
    return out


def _names(model: onnx.ModelProto) -> list[str]:
    g = model.graph
    names = [i.name for i in g.input] + [i.name for i in g.initializer]
    for n in g.node:
        names.extend(n.input)
        names.extend(n.output)
    return names or ["x"]


def _m_attr(m: onnx.ModelProto, r: random.Random) -> None:
    node = r.choice(m.graph.node)
    if node.attribute and r.random() < 0.6:
        i = r.randrange(len(node.attribute))
        a = node.attribute[i]
        if r.random() < 0.2:
            del node.attribute[i]
        else:
            node.attribute[i].CopyFrom(_random_attr(a.name, r))
    else:
        name = r.choice(["axis", "axes", "perm", "kernel_shape", "pads", "strides", "dilations", "group", "mode",
                         "keepdims", "transA", "alpha", "hidden_size", "direction", "to", "value", "zz"])
        node.attribute.append(_random_attr(name, r))


def _m_inputs(m: onnx.ModelProto, r: random.Random) -> None:
    node = r.choice(m.graph.node)
    k = r.randrange(4)
    if k == 0 and node.input:
        del node.input[r.randrange(len(node.input))]
    elif k == 1:
        node.input.append(r.choice(_names(m) + ["", "nowhere"]))
    elif k == 2 and node.input:
        node.input[r.randrange(len(node.input))] = r.choice(_names(m) + [""])
    else:
        node.output.append(r.choice(_names(m) + ["extra", ""]))


def _m_initializer(m: onnx.ModelProto, r: random.Random) -> None:
    inits = m.graph.initializer
    if not inits:
        return
    i = r.randrange(len(inits))
    k = r.randrange(5)
    if k == 0:
        del inits[i]
    elif k == 1 and inits[i].dims:
        inits[i].dims[r.randrange(len(inits[i].dims))] = _int(r)
    elif k == 2:
        inits[i].dims.append(r.choice([0, 1, 2, 2**40]))
    elif k == 3:
        inits[i].data_type = r.randrange(0, 26)
    else:
        inits[i].raw_data = inits[i].raw_data[:r.randrange(len(inits[i].raw_data) + 1)]


def _m_dims(m: onnx.ModelProto, r: random.Random) -> None:
    dims = _all_dims(m)
    if not dims:
        return
    d = r.choice(dims)
    k = r.randrange(3)
    if k == 0:
        d.dim_value = _int(r)
    elif k == 1:
        d.dim_param = r.choice(["N", ""])
    else:
        vi = r.choice(list(m.graph.input))
        vi.type.tensor_type.shape.dim.add().dim_value = r.choice([1, 0, 2**31])


def _m_dtype(m: onnx.ModelProto, r: random.Random) -> None:
    vi = r.choice(list(m.graph.input) + list(m.graph.output))
    vi.type.tensor_type.elem_type = r.randrange(0, 26)


def _m_names(m: onnx.ModelProto, r: random.Random) -> None:
    g = m.graph
    k = r.randrange(4)
    if k == 0:
        node = r.choice(g.node)
        node.output[r.randrange(len(node.output))] = ""
    elif k == 1:
        r.choice(list(g.input)).name = r.choice(["", _names(m)[0]])
    elif k == 2:
        r.choice(list(g.output)).name = r.choice(["", "nowhere"] + _names(m))
    else:
        g.node[r.randrange(len(g.node))].name = ""


def _m_cycle(m: onnx.ModelProto, r: random.Random) -> None:
    nodes = m.graph.node
    a = r.randrange(len(nodes))
    b = r.randrange(a, len(nodes))
    if nodes[a].input and nodes[b].output:
        nodes[a].input[r.randrange(len(nodes[a].input))] = nodes[b].output[0]


def _m_duplicate(m: onnx.ModelProto, r: random.Random) -> None:
    g = m.graph
    if r.random() < 0.5:
        g.output.append(g.output[r.randrange(len(g.output))])
    elif len(g.node) > 1:
        a, b = r.sample(range(len(g.node)), 2)
        g.node[a].output[0] = g.node[b].output[0]
    else:
        g.node.append(g.node[0])


def _m_structure(m: onnx.ModelProto, r: random.Random) -> None:
    g = m.graph
    k = r.randrange(6)
    if k == 0 and len(g.node) > 1:
        del g.node[r.randrange(len(g.node))]
    elif k == 1:
        r.choice(g.node).op_type = r.choice(["Conv", "Gemm", "Reshape", "Concat", "Resize", "LSTM", "Gather",
                                             "Split", "Pad", "Expand", "Tile", "Where", "Cast", "Einsum",
                                             "TopK", "Range", "ConstantOfShape", "Nope", ""])
    elif k == 2:
        m.opset_import[0].version = r.choice([1, 6, 7, 9, 11, 13, 18, 21, 99, 0, -1])
    elif k == 3:
        r.choice(g.node).domain = r.choice(["", "ai.onnx", "com.microsoft", "x"])
    elif k == 4:
        m.ir_version = r.choice([0, 1, 3, 8, 99, -1])
    else:
        del g.input[r.randrange(len(g.input))]


PROTO_MUTATORS: list[Callable[[onnx.ModelProto, random.Random], None]] = [
    _m_attr, _m_inputs, _m_initializer, _m_dims, _m_dtype, _m_names, _m_cycle, _m_duplicate, _m_structure]


def mutate_onnx(seed: onnx.ModelProto, r: random.Random) -> bytes:
    """Serialized bytes of a mutated copy of `seed` (proto mutations, then sometimes bytes)."""
    m = onnx.ModelProto()
    m.CopyFrom(seed)
    if r.random() < 0.3:
        return mutate_bytes(m.SerializeToString(), r)
    for _ in range(r.choice([1, 1, 2, 3])):
        try:
            r.choice(PROTO_MUTATORS)(m, r)
        except (IndexError, ValueError, TypeError):  # nothing left to mutate that way (an earlier mutation)
            pass
    data = m.SerializeToString()
    return mutate_bytes(data, r) if r.random() < 0.1 else data


# -- TFLite object API ----------------------------------------------------------

def _set_random(obj: Any, field: str, r: random.Random) -> None:
    cur = getattr(obj, field)
    if isinstance(cur, bool):
        setattr(obj, field, r.random() < 0.5)
    elif isinstance(cur, int):
        setattr(obj, field, max(-(2**31), min(2**31 - 1, _int(r))))
    elif isinstance(cur, float):
        setattr(obj, field, r.choice(INTERESTING_FLOATS))
    elif isinstance(cur, (list, np.ndarray)) or cur is None:
        setattr(obj, field, [max(-(2**31), min(2**31 - 1, _int(r))) for _ in range(r.randint(0, 5))])


def _t_tensor(m: Any, sg: Any, r: random.Random) -> None:
    t = r.choice(sg.tensors)
    k = r.randrange(5)
    if k == 0:
        t.shape = [max(-(2**31), min(2**31 - 1, _int(r))) for _ in range(r.randint(0, 5))]
    elif k == 1 and len(t.shape):
        shape = list(t.shape)
        shape[r.randrange(len(shape))] = r.choice([0, -1, 1, 2**31 - 1, 3, 2**20])
        t.shape = shape
    elif k == 2:
        t.type = r.randrange(0, 20)
    elif k == 3:
        t.buffer = r.choice([0, -1, len(m.buffers), r.randrange(len(m.buffers)), 2**31 - 1])
    else:
        t.isVariable = not t.isVariable


def _t_indices(m: Any, sg: Any, r: random.Random) -> None:
    n = len(sg.tensors)
    choice = lambda: r.choice([-1, -2, 0, n - 1, n, 2**31 - 1, r.randrange(n)])  # noqa: E731
    target = r.randrange(4)
    if target == 0:
        sg.inputs = [choice() for _ in range(r.randint(0, 3))]
    elif target == 1:
        sg.outputs = [choice() for _ in range(r.randint(0, 3))]
    else:
        op = r.choice(sg.operators)
        ins = list(op.inputs if target == 2 else op.outputs)
        if ins and r.random() < 0.5:
            ins[r.randrange(len(ins))] = choice()
        elif ins and r.random() < 0.5:
            del ins[r.randrange(len(ins))]
        else:
            ins.append(choice())
        if target == 2:
            op.inputs = ins
        else:
            op.outputs = ins


def _t_opcode(m: Any, sg: Any, r: random.Random) -> None:
    op = r.choice(sg.operators)
    if r.random() < 0.4:
        op.opcodeIndex = r.choice([-1, len(m.operatorCodes), r.randrange(len(m.operatorCodes))])
    else:
        code = m.operatorCodes[op.opcodeIndex] if 0 <= op.opcodeIndex < len(m.operatorCodes) \
            else r.choice(m.operatorCodes)
        code.builtinCode = r.randrange(0, 210)
        code.deprecatedBuiltinCode = min(code.builtinCode, 127)
        code.version = r.choice([1, 2, 5, 99])


def _t_options(m: Any, sg: Any, r: random.Random) -> None:
    op = r.choice(sg.operators)
    opts = op.builtinOptions
    fields = [f for f in vars(opts)] if opts is not None else []
    if fields and r.random() < 0.8:
        _set_random(opts, r.choice(fields), r)
    else:
        op.builtinOptions, op.builtinOptionsType = None, 0


def _t_buffer(m: Any, sg: Any, r: random.Random) -> None:
    full = [b for b in m.buffers if b.data is not None and len(b.data)]
    if not full:
        return
    b = r.choice(full)
    data = np.asarray(b.data, np.uint8)
    k = r.randrange(3)
    if k == 0:
        b.data = data[:r.randrange(len(data))]
    elif k == 1:
        b.data = np.concatenate([data, np.zeros(r.randint(1, 8), np.uint8)])
    else:
        b.data, b.offset, b.size = None, r.choice([2, 10**6, 2**40]), r.choice([4, 2**40])


def _t_model(m: Any, sg: Any, r: random.Random) -> None:
    k = r.randrange(3)
    if k == 0:
        m.version = r.choice([0, 2, 4])
    elif k == 1:
        sg.operators = list(sg.operators)[:-1] or sg.operators
    else:
        m.buffers = list(m.buffers)[:r.randrange(len(m.buffers) + 1)]


TFLITE_MUTATORS = [_t_tensor, _t_tensor, _t_indices, _t_opcode, _t_options, _t_options, _t_buffer, _t_model]


def mutate_tflite(seed: bytes, r: random.Random) -> bytes:
    """A mutated copy of a .tflite file: fields through the object API, or bytes."""
    if r.random() < 0.35:
        return mutate_bytes(seed, r)
    import flatbuffers
    from ai_edge_litert import schema_py_generated as s

    m = s.ModelT.InitFromObj(s.Model.GetRootAs(seed, 0))
    sg = m.subgraphs[0]
    for _ in range(r.choice([1, 1, 2, 3])):
        try:
            r.choice(TFLITE_MUTATORS)(m, sg, r)
        except (IndexError, ValueError, TypeError):  # nothing left to mutate that way
            pass
    try:
        b = flatbuffers.Builder(1024)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        data = bytes(b.Output())
    except Exception:  # noqa: BLE001  (a value the writer cannot pack: mutate the bytes instead)
        return mutate_bytes(seed, r)
    return mutate_bytes(data, r) if r.random() < 0.1 else data
