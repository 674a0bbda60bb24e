"""TFLite importer: ``import_tflite(path_or_bytes, input_shapes) -> ir.Graph``.

Needs the TFLite schema module that ai-edge-litert ships, imported only when a .tflite model
is converted (``pip install ai-edge-litert``).
"""

from .loader import import_tflite
from .reader import is_tflite

__all__ = ["import_tflite", "is_tflite"]
