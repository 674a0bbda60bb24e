"""ONNX importer: ``import_onnx(model_or_path, input_shapes) -> ir.Graph``."""

from .loader import import_onnx, load

__all__ = ["import_onnx", "load"]
