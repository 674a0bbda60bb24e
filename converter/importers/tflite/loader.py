"""The TFLite import driver: read the file, refuse what mote cannot take (quantized models,
custom ops), then walk the main subgraph's operators once, in order, through registry.py.

TFLite graphs are NHWC already; the IR gets them unchanged (spatial nodes say
data_format="NHWC"), so model inputs and outputs keep TFLite's layout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...errors import ConversionError
from ...ir import Graph
from .. import input_shape_arg
from . import reader
from .context import OpContext
from .registry import HANDLERS
from .schema import builtin_names

QUANTIZED_HINT = ("quantized TFLite import comes with the quantization work; convert the float32 model "
                  "(TFLiteConverter without optimizations)")


_OP_HINTS = {
    "WHILE": "a loop: Keras 3 converts recurrent layers to WHILE; build the LSTM with tf_keras (TensorFlow "
             "then emits UNIDIRECTIONAL_SEQUENCE_LSTM) or with unroll=True",
}


def _hint(op_name: str) -> str:
    if op_name in _OP_HINTS:
        return _OP_HINTS[op_name]
    if op_name.startswith("CUSTOM 'Flex"):
        return ("a TensorFlow (Flex) op: re-export with converter.target_spec.supported_ops = "
                "[tf.lite.OpsSet.TFLITE_BUILTINS] and replace the layer that needs it")
    if op_name.startswith("CUSTOM"):
        return "custom ops are not supported: re-export the model with builtin TFLite ops only"
    return "mote has no conversion for this op yet: replace it in the source model, or open an issue"


def _tensor_names(sg: Any) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i, t in enumerate(sg.tensors or []):
        name = t.name.decode("utf-8", "replace") if isinstance(t.name, bytes) else (t.name or "")
        name = name or f"tensor_{i}"
        if name in seen:
            name = f"{name}_{i}"
        seen.add(name)
        names.append(name)
    return names


def _check_indices(sg: Any, n: int) -> None:
    """Every tensor index the subgraph uses is in range (-1: an absent optional operator input)."""
    for what, idx, lo in [("model input", reader.ints(sg.inputs), 0), ("model output", reader.ints(sg.outputs), 0)] + \
            [(f"operator {k} input", reader.ints(op.inputs), -1) for k, op in enumerate(sg.operators or [])] + \
            [(f"operator {k} output", reader.ints(op.outputs), 0) for k, op in enumerate(sg.operators or [])]:
        bad = [i for i in idx if not lo <= i < n]
        if bad:
            raise ConversionError(f"{what} refers to tensor {bad[0]}, but the subgraph has {n} tensors")


# quantized tensor types mote takes (docs/quantization-format.md): int8 / uint8 data, int32 biases
_QUANT_TYPES = ("INT8", "UINT8", "INT32")


def _refuse_quantized(sg: Any, names: list[str]) -> None:
    for i, t in enumerate(sg.tensors or []):
        if reader.is_quantized(t) and reader.type_name(t) not in _QUANT_TYPES:
            raise ConversionError(f"tensor '{names[i]}' is {reader.type_name(t)} (quantized): mote runs int8 "
                                  f"models (int8/uint8 data, int32 biases); {QUANTIZED_HINT}")


def _attach_quant(g: Graph, name: str, t: Any) -> None:
    """Copy the file's quantization of tensor `t` onto the IR tensor (axis as stored in the file)."""
    q = reader.quant_params(t, name)
    if q is not None and reader.type_name(t) in _QUANT_TYPES:
        g.tensor(name).quant = q


def _op_name(model: Any, op: Any, index: int) -> tuple[str, int]:
    codes = model.operatorCodes
    if not 0 <= op.opcodeIndex < len(codes):
        raise ConversionError(f"operator {index} has opcode index {op.opcodeIndex} out of range")
    code = codes[op.opcodeIndex]
    builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
    name = builtin_names().get(builtin, f"BUILTIN_{builtin}")
    if name == "CUSTOM":
        custom = code.customCode.decode("utf-8", "replace") if isinstance(code.customCode, bytes) else code.customCode
        name = f"CUSTOM '{custom}'"
    return name, int(code.version)


def import_tflite(src: Any, input_shapes: Mapping[str, Sequence[int]] | None = None) -> Graph:
    model, raw = reader.load(src)
    sg = model.subgraphs[0]
    tensors = sg.tensors or []
    names = _tensor_names(sg)
    _check_indices(sg, len(tensors))
    _refuse_quantized(sg, names)

    g = Graph((sg.name.decode("utf-8", "replace") if isinstance(sg.name, bytes) else sg.name) or "main")
    g.metadata.update(source_format="tflite", source_digest=hashlib.sha256(raw).hexdigest())
    input_names = [names[i] for i in reader.ints(sg.inputs)]
    for name in input_shapes or {}:
        if name not in input_names:
            raise ConversionError(f"input_shapes names '{name}', but the model's inputs are {input_names}")
    for i in reader.ints(sg.inputs):
        t = tensors[i]
        shape = reader.shape_of(t)
        if input_shapes and names[i] in input_shapes:
            shape = input_shape_arg(names[i], input_shapes[names[i]])
        if any(d < 0 for d in shape):
            raise ConversionError(f"model input '{names[i]}' has unknown dims {shape}: pass input_shapes")
        g.add_tensor(names[i], dtype=reader.np_dtype(t, names[i]), shape=shape)
        _attach_quant(g, names[i], t)
        g.inputs.append(names[i])

    def define(i: int) -> str | None:
        if i < 0:
            return None
        if not i < len(tensors):
            raise ConversionError(f"tensor index {i} out of range ({len(tensors)} tensors)")
        name = names[i]
        if name not in g.tensors:
            value = reader.constant(model, raw, tensors[i], name)
            if value is None and tensors[i].isVariable:  # state (LSTM): zero at every invoke
                value = np.zeros(reader.shape_of(tensors[i]), reader.np_dtype(tensors[i], name))
            if value is not None:
                g.add_tensor(name).set_data(value)
                _attach_quant(g, name, tensors[i])
        return name

    unsupported: list[str] = []
    poisoned: set[str] = set()
    check_shapes = not input_shapes
    for index, op in enumerate(sg.operators or []):
        op_name, version = _op_name(model, op, index)
        ins = [define(i) for i in reader.ints(op.inputs)]
        outs = [names[i] for i in reader.ints(op.outputs)]
        where = f"'{op_name}' (operator {index}, output '{outs[0] if outs else '?'}')"
        if any(i in poisoned for i in ins if i is not None):
            poisoned.update(outs)
            continue
        handler = HANDLERS.get(op_name)
        if handler is None:
            unsupported.append(f"{where}: {_hint(op_name)}")
            poisoned.update(outs)
            continue
        missing = [i for i in ins if i is not None and i not in g.tensors]
        if missing:
            raise ConversionError(f"input '{missing[0]}' of TFLite op {where} is not produced by any "
                                  "operator, constant or model input")
        out_dtypes = [_dtype_or_none(tensors[i], names[i]) for i in reader.ints(op.outputs)]
        try:
            handler(OpContext(g, op_name, index, version, ins, outs, op.builtinOptions, out_dtypes))
        except (ValueError, TypeError, IndexError, KeyError, AttributeError, ArithmeticError) as e:  # malformed values
            raise ConversionError(f"TFLite op {where} cannot be converted: {type(e).__name__}: {e}") from e
        for i in reader.ints(op.outputs):
            if names[i] not in g.tensors:
                raise ConversionError(f"internal: TFLite op {where} did not produce '{names[i]}'")
            _attach_quant(g, names[i], tensors[i])
            if check_shapes:
                _cross_check(g, tensors[i], names[i], where)
    if unsupported:
        label = "unsupported TFLite op " if len(unsupported) == 1 else f"{len(unsupported)} unsupported TFLite ops: "
        raise ConversionError(label + "; ".join(unsupported))

    for i in reader.ints(sg.outputs):
        name = define(i)
        t = g.tensor(name)
        if t.is_const:
            raise ConversionError(f"model output '{name}' is a constant; there is nothing to run")
        g.outputs.append(name)
    _propagate_quant(g)
    return g


# ops that move int8 data unchanged: an intermediate tensor a handler made takes its input's params
_SAME_PARAMS = ("Reshape", "Transpose", "Identity", "MaxPool", "Squeeze", "Unsqueeze")


def _propagate_quant(g: Graph) -> None:
    for node in g.nodes:
        src = g.tensor(node.inputs[0]).quant if node.inputs and node.inputs[0] is not None else None
        for out in node.outputs:
            t = g.tensor(out)
            if t.quant is None and t.dtype in (np.int8, np.uint8) and src is not None and node.op in _SAME_PARAMS:
                t.quant = src


def _dtype_or_none(t: Any, name: str) -> np.dtype | None:
    try:
        return reader.np_dtype(t, name)
    except ConversionError:
        return None


def _cross_check(g: Graph, t: Any, name: str, where: str) -> None:
    stored, ours = reader.shape_of(t), g.tensors[name]
    if (stored or t.hasRank) and tuple(stored) != tuple(ours.shape or ()):
        raise ConversionError(f"internal: shape of '{name}' inferred as {ours.shape}, the TFLite file says "
                              f"{stored}, at TFLite op {where}")
    dtype = _dtype_or_none(t, name)
    if dtype is not None and dtype != ours.dtype:
        raise ConversionError(f"internal: '{name}' would be {ours.dtype}, the TFLite file says {dtype}, "
                              f"at TFLite op {where}")
