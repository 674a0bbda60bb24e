"""Write .tflite files directly with the TFLite schema's object API (no TensorFlow needed),
and run them with LiteRT, the oracle for imported .tflite models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as s
from ai_edge_litert.interpreter import Interpreter

_TYPES = {np.dtype(np.float32): s.TensorType.FLOAT32, np.dtype(np.float16): s.TensorType.FLOAT16,
          np.dtype(np.int32): s.TensorType.INT32, np.dtype(np.int64): s.TensorType.INT64,
          np.dtype(np.bool_): s.TensorType.BOOL, np.dtype(np.int8): s.TensorType.INT8,
          np.dtype(np.uint8): s.TensorType.UINT8, np.dtype(np.int16): s.TensorType.INT16}


class ModelBuilder:
    """One subgraph; tensors are added by name and referred to by name.

    >>> b = ModelBuilder(); b.input("x", (1, 4)); b.const("c", np.ones(4, np.float32))
    >>> b.op("ADD", ["x", "c"], [("y", (1, 4))], s.AddOptionsT()); b.output("y"); data = b.build()
    """

    def __init__(self) -> None:
        self.tensors: list[Any] = []
        self.index: dict[str, int] = {}
        self.buffers: list[Any] = [s.BufferT()]
        self.codes: list[Any] = []
        self.code_index: dict[tuple, int] = {}
        self.ops: list[Any] = []
        self.inputs: list[int] = []
        self.outputs: list[int] = []

    def tensor(self, name: str, shape: Sequence[int], dtype: Any = np.float32, data: np.ndarray | None = None,
               quant: tuple | None = None, variable: bool = False) -> int:
        """quant: (scale, zero_point) per tensor, or (scales, zero_points, axis) per channel."""
        t = s.TensorT()
        t.name, t.shape, t.type = name, [int(d) for d in shape], _TYPES[np.dtype(dtype)]
        t.isVariable = variable
        if data is not None:
            b = s.BufferT()
            b.data = np.frombuffer(np.ascontiguousarray(data).tobytes(), np.uint8)
            self.buffers.append(b)
            t.buffer = len(self.buffers) - 1
        else:
            self.buffers.append(s.BufferT())  # TFLite's converter gives every tensor its own buffer
            t.buffer = len(self.buffers) - 1
        if quant is not None:
            q = s.QuantizationParametersT()
            if len(quant) == 3:
                q.scale, q.zeroPoint, q.quantizedDimension = [float(v) for v in quant[0]], \
                    [int(v) for v in quant[1]], int(quant[2])
            else:
                q.scale, q.zeroPoint = [quant[0]], [quant[1]]
            t.quantization = q
        self.tensors.append(t)
        self.index[name] = len(self.tensors) - 1
        return self.index[name]

    def input(self, name: str, shape: Sequence[int], dtype: Any = np.float32, quant: tuple | None = None) -> str:
        self.inputs.append(self.tensor(name, shape, dtype, quant=quant))
        return name

    def const(self, name: str, value: Any, dtype: Any = None) -> str:
        arr = np.asarray(value, dtype=dtype)
        self.tensor(name, arr.shape, arr.dtype, data=arr)
        return name

    def output(self, *names: str) -> None:
        self.outputs.extend(self.index[n] for n in names)

    def _code(self, builtin: str | int, custom: str | None, version: int) -> int:
        code = builtin if isinstance(builtin, int) else getattr(s.BuiltinOperator, builtin)
        key = (code, custom, version)
        if key not in self.code_index:
            c = s.OperatorCodeT()
            c.builtinCode, c.deprecatedBuiltinCode, c.version = code, min(code, 127), version
            c.customCode = custom
            self.codes.append(c)
            self.code_index[key] = len(self.codes) - 1
        return self.code_index[key]

    def op(self, builtin: str | int, inputs: Sequence[str | None], outputs: Sequence[tuple[str, Sequence[int]] | str],
           options: Any = None, *, custom: str | None = None, version: int = 1, out_dtype: Any = np.float32) -> None:
        """`outputs`: (name, shape) for a new tensor, or the name of one declared already."""
        o = s.OperatorT()
        o.opcodeIndex = self._code(builtin, custom, version)
        o.inputs = [-1 if i is None else self.index[i] for i in inputs]
        outs = []
        for out in outputs:
            if isinstance(out, str):
                outs.append(self.index[out])
            else:
                outs.append(self.tensor(out[0], out[1], out_dtype))
        o.outputs = outs
        if options is not None:
            o.builtinOptionsType = getattr(s.BuiltinOptions, type(options).__name__[:-1])
            o.builtinOptions = options
        if custom is not None:
            o.customOptions = [0]
        self.ops.append(o)

    def build(self) -> bytes:
        m = s.ModelT()
        m.version, m.description = 3, "mote test model"
        m.operatorCodes, m.buffers = self.codes, self.buffers
        sg = s.SubGraphT()
        sg.tensors, sg.operators, sg.inputs, sg.outputs, sg.name = self.tensors, self.ops, self.inputs, self.outputs, "main"
        m.subgraphs = [sg]
        b = flatbuffers.Builder(1024)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())


def options(cls_name: str, **fields: Any) -> Any:
    """An options table, e.g. options("Conv2DOptions", strideH=2, padding=s.Padding.SAME)."""
    o = getattr(s, f"{cls_name}T")()
    for k, v in fields.items():
        if not hasattr(o, k):
            raise AttributeError(f"{cls_name} has no field {k}")
        setattr(o, k, v)
    return o


def litert_run(data: bytes, feeds: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """LiteRT's outputs, by tensor name, on a fresh interpreter (LSTM state starts at zero)."""
    it = Interpreter(model_content=data, num_threads=1)
    it.allocate_tensors()
    for d in it.get_input_details():
        x = np.asarray(feeds[d["name"]])
        if tuple(d["shape"]) != x.shape:
            it.resize_tensor_input(d["index"], x.shape)
            it.allocate_tensors()
    for d in it.get_input_details():
        it.set_tensor(d["index"], np.asarray(feeds[d["name"]]))
    it.invoke()
    return {d["name"]: np.array(it.get_tensor(d["index"])) for d in it.get_output_details()}


def input_names(data: bytes) -> list[tuple[str, tuple[int, ...], np.dtype]]:
    it = Interpreter(model_content=data)
    return [(d["name"], tuple(int(v) for v in d["shape"]), np.dtype(d["dtype"])) for d in it.get_input_details()]
