"""Write the fuzz seed corpus (corpus/*.mote) and the libFuzzer dictionary (mote.dict).

Each seed is a tiny real model made with onnx.helper and converted by mote.convert, one or
two per op family, so that mutations start from files that load, plan and invoke.
Rerun after a schema change: python3 runtime_c/tests/fuzz/make_corpus.py
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path
from typing import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parents[1] / "schema" / "mote.fbs"
F = TensorProto.FLOAT


def _vi(name: str, shape: list[int], dtype: int = F) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, dtype, shape)


def _init(name: str, arr: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(arr, name)


def _model(nodes: list, inputs: list, outputs: list, inits: list | None = None,
           opset: int = 17) -> onnx.ModelProto:
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=inits or [])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def _w(*shape: int) -> np.ndarray:
    return (np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) % 7 - 3) / 4


def _unary(op: str, **attrs) -> onnx.ModelProto:
    return _model([helper.make_node(op, ["x"], ["y"], **attrs)], [_vi("x", [1, 4])], [_vi("y", [1, 4])])


def _binary(op: str, out_dtype: int = F) -> onnx.ModelProto:
    return _model([helper.make_node(op, ["a", "b"], ["y"])],
                  [_vi("a", [2, 3]), _vi("b", [1, 3])], [_vi("y", [2, 3], out_dtype)])


def models() -> dict[str, Callable[[], onnx.ModelProto]]:
    B = TensorProto.BOOL
    m: dict[str, Callable[[], onnx.ModelProto]] = {}
    for op in ["Add", "Sub", "Mul", "Div", "Pow", "Min", "Max"]:
        m[f"bin_{op.lower()}"] = lambda op=op: _binary(op)
    for op in ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"]:
        m[f"cmp_{op.lower()}"] = lambda op=op: _binary(op, B)
    for op in ["Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal",
               "Floor", "Ceil", "Round", "Erf", "Softplus", "Sin", "Cos", "HardSwish",
               "HardSigmoid"]:
        m[f"un_{op.lower()}"] = lambda op=op: _unary(op)
    m["un_leaky"] = lambda: _unary("LeakyRelu", alpha=0.1)
    m["un_mish"] = lambda: _model([helper.make_node("Mish", ["x"], ["y"])],
                                  [_vi("x", [1, 4])], [_vi("y", [1, 4])], opset=18)
    m["un_gelu"] = lambda: _model([helper.make_node("Gelu", ["x"], ["y"])],
                                  [_vi("x", [1, 4])], [_vi("y", [1, 4])], opset=20)
    m["clip"] = lambda: _model([helper.make_node("Clip", ["x", "lo", "hi"], ["y"])],
                               [_vi("x", [1, 4])], [_vi("y", [1, 4])],
                               [_init("lo", np.array(-1, np.float32)), _init("hi", np.array(1, np.float32))])
    m["softmax"] = lambda: _unary("Softmax", axis=-1)
    m["logic"] = lambda: _model(
        [helper.make_node("Less", ["a", "b"], ["c"]), helper.make_node("Not", ["c"], ["d"]),
         helper.make_node("Greater", ["a", "b"], ["e"]), helper.make_node("And", ["d", "e"], ["f"]),
         helper.make_node("Or", ["f", "c"], ["g"]), helper.make_node("Where", ["g", "a", "b"], ["y"])],
        [_vi("a", [2, 3]), _vi("b", [2, 3])], [_vi("y", [2, 3])])
    m["cast"] = lambda: _model([helper.make_node("Cast", ["x"], ["y"], to=TensorProto.INT32)],
                               [_vi("x", [1, 4])], [_vi("y", [1, 4], TensorProto.INT32)])
    m["prelu"] = lambda: _model([helper.make_node("PRelu", ["x", "s"], ["y"])],
                                [_vi("x", [1, 4])], [_vi("y", [1, 4])], [_init("s", _w(4))])
    m["gemm_relu"] = lambda: _model(
        [helper.make_node("Gemm", ["x", "w", "b"], ["h"], transB=1), helper.make_node("Relu", ["h"], ["y"])],
        [_vi("x", [1, 8])], [_vi("y", [1, 4])], [_init("w", _w(4, 8)), _init("b", _w(4))])
    m["matmul"] = lambda: _model([helper.make_node("MatMul", ["a", "b"], ["y"])],
                                 [_vi("a", [2, 3, 4]), _vi("b", [2, 4, 5])], [_vi("y", [2, 3, 5])])
    m["conv_pool"] = lambda: _model(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["c"], ["r"]),
         helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("AveragePool", ["p"], ["y"], kernel_shape=[2, 2])],
        [_vi("x", [1, 2, 6, 6])], [_vi("y", [1, 3, 2, 2])], [_init("w", _w(3, 2, 3, 3)), _init("b", _w(3))])
    m["conv_dw"] = lambda: _model(
        [helper.make_node("Conv", ["x", "w"], ["y"], group=4, strides=[2, 2])],
        [_vi("x", [1, 4, 5, 5])], [_vi("y", [1, 4, 2, 2])], [_init("w", _w(4, 1, 2, 2))])
    m["conv_transpose"] = lambda: _model(
        [helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2])],
        [_vi("x", [1, 2, 3, 3])], [_vi("y", [1, 2, 6, 6])], [_init("w", _w(2, 2, 2, 2))])
    m["reduce"] = lambda: _model(
        [helper.make_node("ReduceMean", ["x"], ["a"], axes=[1], keepdims=1),
         helper.make_node("ReduceSum", ["x"], ["b"], axes=[1], keepdims=1),
         helper.make_node("ReduceMax", ["x"], ["c"], axes=[1], keepdims=1),
         helper.make_node("ReduceMin", ["x"], ["d"], axes=[1], keepdims=1),
         helper.make_node("ReduceProd", ["x"], ["e"], axes=[1], keepdims=1),
         helper.make_node("ReduceL2", ["x"], ["f"], axes=[1], keepdims=1),
         helper.make_node("Concat", ["a", "b", "c", "d", "e", "f"], ["y"], axis=1)],
        [_vi("x", [2, 3])], [_vi("y", [2, 6])], opset=12)
    m["argmax_topk"] = lambda: _model(
        [helper.make_node("ArgMax", ["x"], ["i"], axis=1), helper.make_node("ArgMin", ["x"], ["j"], axis=1),
         helper.make_node("TopK", ["x", "k"], ["v", "n"], axis=1)],
        [_vi("x", [2, 5])], [_vi("i", [2, 1], TensorProto.INT64), _vi("j", [2, 1], TensorProto.INT64),
                             _vi("v", [2, 2]), _vi("n", [2, 2], TensorProto.INT64)],
        [_init("k", np.array([2], np.int64))])
    m["shape_ops"] = lambda: _model(
        [helper.make_node("Transpose", ["x"], ["t"], perm=[1, 0]),
         helper.make_node("Reshape", ["t", "s"], ["r"]),
         helper.make_node("Pad", ["r", "p"], ["q"], mode="reflect"),
         helper.make_node("Slice", ["q", "st", "en"], ["y"])],
        [_vi("x", [2, 6])], [_vi("y", [3, 4])],
        [_init("s", np.array([3, 4], np.int64)), _init("p", np.array([0, 1, 0, 1], np.int64)),
         _init("st", np.array([0, 0], np.int64)), _init("en", np.array([3, 4], np.int64))])
    m["split_tile_gather"] = lambda: _model(
        [helper.make_node("Split", ["x", "sp"], ["a", "b"], axis=1),
         helper.make_node("Tile", ["a", "rep"], ["t"]),
         helper.make_node("Gather", ["b", "idx"], ["g"], axis=1),
         helper.make_node("Expand", ["a", "shp"], ["e"]),
         helper.make_node("Concat", ["t", "g", "e"], ["y"], axis=1)],
        [_vi("x", [2, 4])], [_vi("y", [2, 6])],
        [_init("sp", np.array([1, 3], np.int64)), _init("rep", np.array([1, 2], np.int64)),
         _init("idx", np.array([0, 2], np.int64)), _init("shp", np.array([2, 2], np.int64))])
    m["depth_space"] = lambda: _model(
        [helper.make_node("SpaceToDepth", ["x"], ["s"], blocksize=2),
         helper.make_node("DepthToSpace", ["s"], ["y"], blocksize=2, mode="CRD")],
        [_vi("x", [1, 2, 4, 4])], [_vi("y", [1, 2, 4, 4])])
    m["resize"] = lambda: _model(
        [helper.make_node("Resize", ["x", "", "sc"], ["y"], mode="linear")],
        [_vi("x", [1, 1, 2, 3])], [_vi("y", [1, 1, 4, 6])],
        [_init("sc", np.array([1, 1, 2, 2], np.float32))])
    m["norms"] = lambda: _model(
        [helper.make_node("InstanceNormalization", ["x", "g", "b"], ["i"]),
         helper.make_node("LayerNormalization", ["i", "lg", "lb"], ["y"], axis=-1)],
        [_vi("x", [1, 2, 3, 4])], [_vi("y", [1, 2, 3, 4])],
        [_init("g", _w(2)), _init("b", _w(2)), _init("lg", _w(4)), _init("lb", _w(4))])
    m["lstm"] = lambda: _model(
        [helper.make_node("LSTM", ["x", "w", "r"], ["y"], hidden_size=3)],
        [_vi("x", [2, 1, 2])], [_vi("y", [2, 1, 1, 3])], [_init("w", _w(1, 12, 2)), _init("r", _w(1, 12, 3))])
    m["gru"] = lambda: _model(
        [helper.make_node("GRU", ["x", "w", "r"], ["y"], hidden_size=3, direction="bidirectional")],
        [_vi("x", [2, 1, 2])], [_vi("y", [2, 2, 1, 3])], [_init("w", _w(2, 9, 2)), _init("r", _w(2, 9, 3))])
    return m


def dictionary() -> list[str]:
    """Magic values: identifier, version, and every enum value as little-endian int32 and byte."""
    entries = ['"MOTE"', '"\\x01\\x00\\x00\\x00MOTE"']
    text = SCHEMA.read_text()
    values = sorted({int(v) for v in re.findall(r"^\s*[A-Z][A-Z0-9_]* = (-?\d+)", text, re.M)})
    for v in values:
        entries.append('"' + "".join(f"\\x{b:02x}" for b in struct.pack("<i", v)) + '"')
    for v in [0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1 << 20, 1 << 30]:
        entries.append('"' + "".join(f"\\x{b:02x}" for b in struct.pack("<I", v)) + '"')
    return [f"kw{i}={e}" for i, e in enumerate(entries)]


def main() -> int:
    from mote import convert

    out = HERE / "corpus"
    out.mkdir(exist_ok=True)
    failed = []
    for name, make in models().items():
        try:
            data = convert(make())
        except Exception as e:  # report and go on: a missing seed is not fatal
            failed.append(f"{name}: {type(e).__name__}: {str(e)[:120]}")
            continue
        (out / f"{name}.mote").write_bytes(data)
    (HERE / "mote.dict").write_text("# libFuzzer dictionary for .mote files (make_corpus.py)\n"
                                    + "\n".join(dictionary()) + "\n")
    for f in failed:
        print("skipped", f, file=sys.stderr)
    total = sum(p.stat().st_size for p in out.glob("*.mote"))
    print(f"{len(list(out.glob('*.mote')))} seeds, {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
