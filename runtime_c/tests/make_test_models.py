"""Write the small .mote files the C tests load (runtime_c/tests/models/).

The files are committed so that ctest needs no Python; rerun this after a schema
change: python3 runtime_c/tests/make_test_models.py

Valid models exercise the loader and interpreter; each invalid model breaks one
rule the loader must enforce, and its expected status and message go into
models/invalid_cases.inc, which test_loader.c includes.
"""

from __future__ import annotations

import importlib
import struct
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import flatbuffers

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "models"


def _import_fbs():
    """Import the generated code as mote.converter.fbs, installed or straight from the checkout."""
    try:
        return importlib.import_module("mote.converter.fbs.Model").__name__.rsplit(".", 1)[0]
    except ImportError:
        pass
    tmp = Path(tempfile.mkdtemp(prefix="mote-fbs-"))
    (tmp / "mote").mkdir()
    (tmp / "mote" / "__init__.py").write_text("")
    (tmp / "mote" / "converter").symlink_to(REPO / "converter")
    sys.path.insert(0, str(tmp))
    for name in [m for m in sys.modules if m == "mote" or m.startswith("mote.")]:
        del sys.modules[name]
    importlib.import_module("mote.converter.fbs.Model")
    return "mote.converter.fbs"


PKG = _import_fbs()


def fbs(name: str):
    return importlib.import_module(f"{PKG}.{name}")


Model, SubGraph, Tensor, Operator = fbs("Model"), fbs("SubGraph"), fbs("Tensor"), fbs("Operator")
Buffer, Quantization, KeyValue = fbs("Buffer"), fbs("Quantization"), fbs("KeyValue")
SignatureDef, TensorMap = fbs("SignatureDef"), fbs("TensorMap")
OpCode, OpOptions, DType = fbs("OpCode").OpCode, fbs("OpOptions").OpOptions, fbs("DType").DType

F32, I8 = DType.FLOAT32, DType.INT8


@dataclass
class T:
    name: str
    shape: tuple[int, ...]
    dtype: int = F32
    buffer: int = 0
    offset: int = -1
    quant: tuple[list[float], list[int], int] | None = None


@dataclass
class Op:
    opcode: int
    inputs: list[int]
    outputs: list[int]
    name: str
    options_type: int = OpOptions.NONE
    options: Callable[[flatbuffers.Builder], int] | None = None


@dataclass
class Spec:
    tensors: list[T]
    ops: list[Op]
    inputs: list[int]
    outputs: list[int]
    arena: int
    buffers: list[bytes] = field(default_factory=lambda: [b""])
    metadata: dict[str, str] = field(default_factory=dict)
    version: int = 1
    buffer_align: int = 64


def _i32_vector(b: flatbuffers.Builder, values) -> int:
    b.StartVector(4, len(values), 4)
    for v in reversed(values):
        b.PrependInt32(v)
    return b.EndVector()


def _aligned_bytes(b: flatbuffers.Builder, data: bytes, align: int) -> int:
    # as Builder.CreateByteVector, but with the schema's force_align: 64
    b.StartVector(1, len(data), align)
    b.head = b.head - len(data)
    b.Bytes[b.head : b.head + len(data)] = data
    return b.EndVector()


def binary_options(act: int = 0) -> Callable[[flatbuffers.Builder], int]:
    def build(b):
        m = fbs("BinaryOptions")
        m.Start(b)
        m.AddActivation(b, act)
        return m.End(b)

    return build


def fc_options(act: int = 0) -> Callable[[flatbuffers.Builder], int]:
    def build(b):
        m = fbs("FullyConnectedOptions")
        m.Start(b)
        m.AddActivation(b, act)
        return m.End(b)

    return build


def conv_options(b: flatbuffers.Builder) -> int:
    m = fbs("Conv2DOptions")
    m.Start(b)
    return m.End(b)


def reshape_options(shape: list[int]) -> Callable[[flatbuffers.Builder], int]:
    def build(b):
        m = fbs("ReshapeOptions")
        v = _i32_vector(b, shape)
        m.Start(b)
        m.AddNewShape(b, v)
        return m.End(b)

    return build


def _tensor(b: flatbuffers.Builder, t: T) -> int:
    name = b.CreateString(t.name)
    shape = _i32_vector(b, list(t.shape))
    quant = None
    if t.quant:
        scales, zps, axis = t.quant
        b.StartVector(4, len(scales), 4)
        for s in reversed(scales):
            b.PrependFloat32(s)
        sv = b.EndVector()
        b.StartVector(8, len(zps), 8)
        for z in reversed(zps):
            b.PrependInt64(z)
        zv = b.EndVector()
        Quantization.Start(b)
        Quantization.AddScale(b, sv)
        Quantization.AddZeroPoint(b, zv)
        Quantization.AddAxis(b, axis)
        quant = Quantization.End(b)
    Tensor.Start(b)
    Tensor.AddName(b, name)
    Tensor.AddDtype(b, t.dtype)
    Tensor.AddShape(b, shape)
    Tensor.AddBuffer(b, t.buffer)
    Tensor.AddArenaOffset(b, t.offset)
    if quant is not None:
        Tensor.AddQuantization(b, quant)
    return Tensor.End(b)


def _operator(b: flatbuffers.Builder, op: Op) -> int:
    name = b.CreateString(op.name)
    ins, outs = _i32_vector(b, op.inputs), _i32_vector(b, op.outputs)
    opts = op.options(b) if op.options else None
    Operator.Start(b)
    Operator.AddOpcode(b, op.opcode)
    Operator.AddInputs(b, ins)
    Operator.AddOutputs(b, outs)
    Operator.AddOptionsType(b, op.options_type)
    if opts is not None:
        Operator.AddOptions(b, opts)
    Operator.AddName(b, name)
    return Operator.End(b)


def _table_vector(b: flatbuffers.Builder, offsets: list[int]) -> int:
    b.StartVector(4, len(offsets), 4)
    for o in reversed(offsets):
        b.PrependUOffsetTRelative(o)
    return b.EndVector()


def _signature(b: flatbuffers.Builder, spec: Spec) -> int:
    def maps(indices):
        out = []
        for i in (i for i in indices if 0 <= i < len(spec.tensors)):
            n = b.CreateString(spec.tensors[i].name)
            TensorMap.Start(b)
            TensorMap.AddName(b, n)
            TensorMap.AddTensorIndex(b, i)
            out.append(TensorMap.End(b))
        return _table_vector(b, out)

    key = b.CreateString("serving_default")
    ins, outs = maps(spec.inputs), maps(spec.outputs)
    SignatureDef.Start(b)
    SignatureDef.AddKey(b, key)
    SignatureDef.AddSubgraphIndex(b, 0)
    SignatureDef.AddInputs(b, ins)
    SignatureDef.AddOutputs(b, outs)
    return SignatureDef.End(b)


def build(spec: Spec) -> bytes:
    b = flatbuffers.Builder(1024)
    bufs = []
    for data in spec.buffers:
        if data:
            d = _aligned_bytes(b, data, spec.buffer_align)
            Buffer.Start(b)
            Buffer.AddData(b, d)
        else:
            Buffer.Start(b)
        bufs.append(Buffer.End(b))
    tensors = _table_vector(b, [_tensor(b, t) for t in spec.tensors])
    ops = _table_vector(b, [_operator(b, op) for op in spec.ops])
    ins, outs = _i32_vector(b, spec.inputs), _i32_vector(b, spec.outputs)
    sg_name = b.CreateString("main")
    SubGraph.Start(b)
    SubGraph.AddName(b, sg_name)
    SubGraph.AddTensors(b, tensors)
    SubGraph.AddOperators(b, ops)
    SubGraph.AddInputs(b, ins)
    SubGraph.AddOutputs(b, outs)
    SubGraph.AddArenaSize(b, spec.arena)
    subgraphs = _table_vector(b, [SubGraph.End(b)])
    buffers = _table_vector(b, bufs)
    sigs = _table_vector(b, [_signature(b, spec)])
    kvs = []
    for k, v in spec.metadata.items():
        ko, vo = b.CreateString(k), b.CreateString(v)
        KeyValue.Start(b)
        KeyValue.AddKey(b, ko)
        KeyValue.AddValue(b, vo)
        kvs.append(KeyValue.End(b))
    metadata = _table_vector(b, kvs)
    desc = b.CreateString("mote C test model")
    Model.Start(b)
    Model.AddVersion(b, spec.version)
    Model.AddSubgraphs(b, subgraphs)
    Model.AddBuffers(b, buffers)
    Model.AddSignatures(b, sigs)
    Model.AddMetadata(b, metadata)
    Model.AddDescription(b, desc)
    b.Finish(Model.End(b), file_identifier=b"MOTE")
    return bytes(b.Output())


def amplified_model(copies: int, scales: int) -> bytes:
    """One tensor table with a large quantization vector, referenced `copies` times."""
    b = flatbuffers.Builder(1024)
    t = _tensor(b, T("shared", (scales,), offset=0, quant=([1.0] * scales, [0] * scales, 0)))
    tensors = _table_vector(b, [t] * copies)
    ops, ins, outs = _table_vector(b, []), _i32_vector(b, []), _i32_vector(b, [])
    SubGraph.Start(b)
    SubGraph.AddTensors(b, tensors)
    SubGraph.AddOperators(b, ops)
    SubGraph.AddInputs(b, ins)
    SubGraph.AddOutputs(b, outs)
    SubGraph.AddArenaSize(b, 4 * scales)
    subgraphs = _table_vector(b, [SubGraph.End(b)])
    Model.Start(b)
    Model.AddVersion(b, 1)
    Model.AddSubgraphs(b, subgraphs)
    b.Finish(Model.End(b), file_identifier=b"MOTE")
    return bytes(b.Output())


def buffer_positions(data: bytes) -> list[int]:
    """Byte offset of each non-empty buffer's data (read back with the generated reader)."""
    m = Model.Model.GetRootAs(data, 0)
    out = []
    for i in range(m.BuffersLength()):
        buf = m.Buffers(i)
        o = buf._tab.Offset(4)
        if o and buf.DataLength():
            out.append(buf._tab.Vector(o))
    return out


def f32(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


META = {"converter_version": "test-0.1", "source_format": "handmade"}


def add_model(**kw) -> Spec:
    spec = Spec(
        tensors=[T("a", (2, 3), offset=0), T("b", (2, 3), offset=64), T("sum", (2, 3), offset=128)],
        ops=[Op(OpCode.ADD, [0, 1], [2], "add0", OpOptions.BinaryOptions, binary_options())],
        inputs=[0, 1],
        outputs=[2],
        arena=192,
        metadata=dict(META),
    )
    for k, v in kw.items():
        setattr(spec, k, v)
    return spec


def fc_relu_model() -> Spec:
    w = f32(*[0.1 * (i + 1) * (-1) ** i for i in range(12)])  # [3, 4]
    bias = f32(0.5, -0.25, 0.0)
    return Spec(
        tensors=[
            T("x", (1, 4), offset=0),
            T("w", (3, 4), buffer=1),
            T("bias", (3,), buffer=2),
            T("h", (1, 3), offset=64),
            T("y", (1, 3), offset=0),  # x is dead once fc0 ran: its slot is reused
        ],
        ops=[
            Op(OpCode.FULLY_CONNECTED, [0, 1, 2], [3], "fc0", OpOptions.FullyConnectedOptions, fc_options()),
            Op(OpCode.RELU, [3], [4], "relu0"),
        ],
        inputs=[0],
        outputs=[4],
        arena=128,
        buffers=[b"", w, bias],
        metadata=dict(META),
    )


def chain3_model() -> Spec:
    # y = relu(x) * c - relu(x); t2 reuses x's slot; an unused int8 constant carries per-axis quantization
    c = f32(*[0.5 * i for i in range(8)])
    q = struct.pack("<6b", 1, -2, 3, -4, 5, -6)
    return Spec(
        tensors=[
            T("x", (1, 8), offset=0),
            T("t1", (1, 8), offset=64),
            T("c", (8,), buffer=1),
            T("t2", (1, 8), offset=0),
            T("y", (1, 8), offset=128),
            T("q", (2, 3), dtype=I8, buffer=2, quant=([0.5, 0.25], [1, -2], 0)),
        ],
        ops=[
            Op(OpCode.RELU, [0], [1], "relu"),
            Op(OpCode.MUL, [1, 2], [3], "mul", OpOptions.BinaryOptions, binary_options()),
            Op(OpCode.SUB, [3, 1], [4], "sub", OpOptions.BinaryOptions, binary_options()),
        ],
        inputs=[0],
        outputs=[4],
        arena=192,
        buffers=[b"", c, q],
        metadata=dict(META),
    )


def reshape_i8_model() -> Spec:
    quant = ([0.5], [3], -1)
    return Spec(
        tensors=[T("x", (1, 2, 2), dtype=I8, offset=0, quant=quant), T("y", (4,), dtype=I8, offset=64, quant=quant)],
        ops=[Op(OpCode.RESHAPE, [0], [1], "flatten", OpOptions.ReshapeOptions, reshape_options([4]))],
        inputs=[0],
        outputs=[1],
        arena=128,
        metadata=dict(META),
    )


def pool_options(size: int, stride: int, padding: int = 3) -> Callable[[flatbuffers.Builder], int]:
    def build(b):
        m = fbs("Pool2DOptions")
        m.Start(b)
        m.AddFilterH(b, size)
        m.AddFilterW(b, size)
        m.AddStrideH(b, stride)
        m.AddStrideW(b, stride)
        m.AddPadding(b, padding)
        return m.End(b)

    return build


def conv_same_relu_options(b: flatbuffers.Builder) -> int:
    m = fbs("Conv2DOptions")
    m.Start(b)
    m.AddPadding(b, 1)  # SAME_UPPER
    m.AddActivation(b, 1)  # RELU
    return m.End(b)


def resize_conv_model() -> Spec:
    """x NHWC -> conv 3x3 SAME +relu -> + k -> maxpool 2x2/2 VALID; outputs the sum and the pool.
    Every op follows a new H, W and batch (test_resize.c recomputes them directly)."""
    w = f32(*[((i * 7) % 11 - 5) * 0.1 for i in range(3 * 3 * 3 * 2)])  # OHWI [3,3,3,2]
    bias = f32(0.25, -0.5, 0.125)
    k = f32(1.0, -2.0, 0.5)
    return Spec(
        tensors=[
            T("x", (1, 5, 6, 2), offset=0),
            T("w", (3, 3, 3, 2), buffer=1),
            T("bias", (3,), buffer=2),
            T("c", (1, 5, 6, 3), offset=256),
            T("k", (3,), buffer=3),
            T("a", (1, 5, 6, 3), offset=640),
            T("p", (1, 2, 3, 3), offset=1024),
        ],
        ops=[
            Op(OpCode.CONV_2D, [0, 1, 2], [3], "conv", OpOptions.Conv2DOptions, conv_same_relu_options),
            Op(OpCode.ADD, [3, 4], [5], "add_k", OpOptions.BinaryOptions, binary_options()),
            Op(OpCode.MAX_POOL_2D, [5], [6], "pool", OpOptions.Pool2DOptions, pool_options(2, 2)),
        ],
        inputs=[0],
        outputs=[5, 6],
        arena=1152,
        buffers=[b"", w, bias, k],
        metadata=dict(META),
    )


def invalid_cases() -> list[tuple[str, Spec, str, str]]:
    """(file, spec, expected status, expected message fragment)"""
    bad = "MOTE_ERROR_INVALID_MODEL"
    cases: list[tuple[str, Spec, str, str]] = []

    def case(name, spec, fragment, status=bad):
        cases.append((name, spec, status, fragment))

    case("bad_version", add_model(version=2), "file format version 2, this runtime reads 1",
         "MOTE_ERROR_UNSUPPORTED")
    s = add_model()
    s.tensors[2].offset = 0  # the sum overwrites a while ADD still reads it
    case("overlap_live", s, "memory plan: tensors")
    s = add_model()
    s.tensors[2].offset = 192
    case("arena_oob", s, "24 bytes at arena offset 192 exceed arena size 192")
    s = add_model()
    s.tensors[1].offset = 32
    case("unaligned_arena", s, "arena offset 32 is not 64-byte aligned")
    s = add_model()
    s.ops[0].opcode = 99
    case("unknown_opcode", s, "opcode 99 is not supported", "MOTE_ERROR_UNSUPPORTED")
    s = add_model()
    s.ops[0].options_type, s.ops[0].options = OpOptions.Conv2DOptions, conv_options
    case("wrong_options", s, "options type 4, but ADD takes type 1")
    s = add_model()
    s.ops[0].options = binary_options(9)
    case("bad_activation", s, "activation 9 out of range")
    s = add_model()
    s.ops[0].inputs = [0, 17]
    case("bad_input_index", s, "input 1 is tensor 17 (3 tensors)")
    s = add_model()
    s.ops[0].inputs = [0, -1]
    case("absent_required_input", s, "input 1 is tensor -1")
    s = add_model()
    s.tensors[0].quant = ([0.5, 0.5, 0.5], [0, 0, 0], 0)
    case("bad_quant_axis", s, "3 quantization scales do not fit axis 0")
    s = add_model()
    s.tensors[0].quant = ([0.0], [0], -1)
    case("zero_scale", s, "quantization scale 0 is 0")
    s = add_model()
    s.tensors[0].shape = (2, -3)
    case("negative_dim", s, "dimension 1 is -3")
    s = add_model()
    s.tensors[0].dtype = 42
    case("bad_dtype", s, "dtype 42 unknown")
    s = add_model(arena=(1 << 42) + 256)
    s.tensors[2].shape = (1 << 20, 1 << 20)  # 2^40 elements, with an arena that would hold them
    case("huge_tensor", s, "tensor 2 ('sum'): 1099511627776 elements, over the limit 2147483647")
    s = add_model()
    s.tensors[0].shape = (1,) * 9
    case("rank_too_big", s, "rank 9 exceeds 8")
    s = add_model()
    s.outputs = [0, 5]
    case("bad_output_index", s, "subgraph output 1 is tensor 5")
    s = fc_relu_model()
    s.buffers[1] = s.buffers[1][:-4]
    case("buffer_size", s, "buffer 1 holds 44 bytes, the tensor needs 48")
    s = fc_relu_model()
    s.tensors[1].buffer = 7
    case("buffer_index", s, "buffer 7 out of range (3 buffers)")
    s = fc_relu_model()
    s.buffer_align = 4
    case("unaligned_buffer", s, "is not 64-byte aligned")
    s = fc_relu_model()
    s.ops.reverse()
    case("not_topological", s, "neither a subgraph input nor produced by an earlier operator")
    s = fc_relu_model()
    s.ops[1].outputs = [1]
    case("constant_output", s, "output 0 is constant tensor 1 ('w')")
    s = fc_relu_model()
    s.ops[1].outputs = [3]
    case("produced_twice", s, "tensor 3 ('h') is produced twice (operators 0 and 1)")
    s = fc_relu_model()
    s.inputs = [1]
    case("constant_input", s, "subgraph input 0 is constant tensor 1 ('w')")
    s = chain3_model()
    s.tensors[3].offset = 64  # t2 on top of t1, which sub still reads
    case("overlap_reuse", s, "memory plan: tensors 1 ('t1') and 3 ('t2') share arena bytes [64,96)")
    s = chain3_model()
    s.ops[2].inputs = [3, 3]
    s.ops[2].outputs = [3]
    case("output_is_input", s, "tensor 3 ('t2') is produced twice (operators 1 and 2)")
    return cases


def main() -> None:
    OUT.mkdir(exist_ok=True)
    bad_shape = add_model()
    bad_shape.tensors[2].shape = (2, 4)  # loads, but ADD's prepare must refuse it
    valid = {"add": add_model(), "fc_relu": fc_relu_model(), "chain3": chain3_model(),
             "reshape_i8": reshape_i8_model(), "prepare_fails": bad_shape, "resize_conv": resize_conv_model()}
    for name, spec in valid.items():
        data = build(spec)
        assert all(p % 64 == 0 for p in buffer_positions(data)), name
        (OUT / f"{name}.mote").write_bytes(data)
    lines = ["// generated by make_test_models.py: {file, expected status, message fragment}"]
    for name, spec, status, fragment in invalid_cases():
        data = build(spec)
        if name == "unaligned_buffer":
            # 4-byte alignment can still land on 64 by chance: then grow the first buffer
            while all(p % 64 == 0 for p in buffer_positions(data)):
                spec.buffers.append(b"\0" * 4)
                data = build(spec)
        (OUT / f"invalid_{name}.mote").write_bytes(data)
        lines.append(f'{{"invalid_{name}.mote", {status}, "{fragment}"}},')
    # small file, but the loader would walk 2000 x 4 KB of scales: refused by the read budget
    (OUT / "invalid_amplified.mote").write_bytes(amplified_model(2000, 1000))
    lines.append('{"invalid_amplified.mote", MOTE_ERROR_INVALID_MODEL, "referenced more often than"},')
    (OUT / "invalid_cases.inc").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(valid)} valid and {len(lines) - 1} invalid models to {OUT}")


if __name__ == "__main__":
    main()
