"""Read a .mote file into plain Python (for `mote inspect` and tests)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConversionError
from .fbs.Model import Model
from .fbs.OpCode import OpCode
from .fbs.OpOptions import OpOptions
from .program import NUMPY_OF

_OPCODE_NAMES = {v: k for k, v in vars(OpCode).items() if not k.startswith("_")}
_OPTIONS_NAMES = {v: k for k, v in vars(OpOptions).items() if not k.startswith("_")}
_DTYPE_NAMES = {code: np.dtype(dt).name for code, dt in NUMPY_OF.items()}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _read_options(op: Any) -> tuple[str | None, dict[str, Any]]:
    type_name = _OPTIONS_NAMES.get(op.OptionsType())
    if type_name in (None, "NONE") or op.Options() is None:
        return None, {}
    cls = getattr(importlib.import_module(f"{__package__}.fbs.{type_name}"), type_name)
    obj = cls()
    obj.Init(op.Options().Bytes, op.Options().Pos)
    out: dict[str, Any] = {}
    for attr in dir(cls):
        if not attr[0].isupper() or attr.startswith(("GetRootAs", "Init")) or attr.endswith(
                ("AsNumpy", "Length", "IsNone", "BufferHasIdentifier")) or attr == type_name:
            continue
        if hasattr(cls, attr + "Length"):
            out[_snake(attr)] = [getattr(obj, attr)(j) for j in range(getattr(obj, attr + "Length")())]
        else:
            out[_snake(attr)] = getattr(obj, attr)()
    return type_name, out


def _str(b: bytes | None) -> str:
    return "" if b is None else b.decode()


def read(src: str | Path | bytes) -> dict[str, Any]:
    """Summary of a .mote model: version, metadata, tensors, ops (with options), sizes."""
    buf = bytes(src) if isinstance(src, (bytes, bytearray)) else Path(src).read_bytes()
    if len(buf) < 8 or not Model.ModelBufferHasIdentifier(buf, 0):
        raise ConversionError("not a .mote file (missing the MOTE identifier)")
    m = Model.GetRootAs(buf, 0)
    buffers = []
    for i in range(m.BuffersLength()):
        b = m.Buffers(i)
        if b.DataLength() == 0:
            buffers.append((0, 0))
        else:
            start = b._tab.Vector(b._tab.Offset(4))  # absolute offset of the data in the file
            buffers.append((start, b.DataLength()))
    sg = m.Subgraphs(0)
    tensors = []
    for i in range(sg.TensorsLength()):
        t = sg.Tensors(i)
        tensors.append({
            "name": _str(t.Name()),
            "dtype": _DTYPE_NAMES.get(t.Dtype(), str(t.Dtype())),
            "shape": [t.Shape(j) for j in range(t.ShapeLength())],
            "buffer": t.Buffer(),
            "arena_offset": t.ArenaOffset(),
        })
    ops = []
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        opt_type, opts = _read_options(op)
        ops.append({
            "opcode": _OPCODE_NAMES.get(op.Opcode(), str(op.Opcode())),
            "name": _str(op.Name()),
            "inputs": [op.Inputs(j) for j in range(op.InputsLength())],
            "outputs": [op.Outputs(j) for j in range(op.OutputsLength())],
            "options_type": opt_type,
            "options": opts,
        })
    return {
        "version": m.Version(),
        "metadata": {_str(m.Metadata(i).Key()): _str(m.Metadata(i).Value()) for i in range(m.MetadataLength())},
        "signatures": [_str(m.Signatures(i).Key()) for i in range(m.SignaturesLength())],
        "inputs": [sg.Inputs(j) for j in range(sg.InputsLength())],
        "outputs": [sg.Outputs(j) for j in range(sg.OutputsLength())],
        "tensors": tensors,
        "ops": ops,
        "buffers": buffers,  # (file offset, length) per buffer
        "arena_size": sg.ArenaSize(),
        "weights_size": sum(n for _, n in buffers),
        "file_size": len(buf),
    }


def constant(summary_buf: bytes, summary: dict[str, Any], tensor_index: int) -> np.ndarray | None:
    """The data of a constant tensor as numpy (None if the tensor is not constant)."""
    t = summary["tensors"][tensor_index]
    if t["buffer"] == 0:
        return None
    start, n = summary["buffers"][t["buffer"]]
    return np.frombuffer(summary_buf, dtype=t["dtype"], count=n // np.dtype(t["dtype"]).itemsize,
                         offset=start).reshape(t["shape"])
