"""The TFLite schema's generated Python, loaded only when a .tflite model is converted.

mote never needs it to load or run .mote files. The ai-edge-litert wheel ships it
(``ai_edge_litert/schema_py_generated.py``); TensorFlow ships the same module.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from ...errors import ConversionError

_MODULES = ("ai_edge_litert.schema_py_generated", "tflite_runtime.schema_py_generated",
            "tensorflow.lite.python.schema_py_generated")


@lru_cache(maxsize=1)
def schema() -> ModuleType:
    for name in _MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ConversionError(
        "converting a .tflite model needs the TFLite schema that the ai-edge-litert package ships: "
        "pip install ai-edge-litert (or pip install 'mote-sdk[tflite]')")


@lru_cache(maxsize=1)
def builtin_names() -> dict[int, str]:
    return {v: k for k, v in vars(schema().BuiltinOperator).items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def type_names() -> dict[int, str]:
    return {v: k for k, v in vars(schema().TensorType).items() if not k.startswith("_")}
