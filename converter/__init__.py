"""mote converter: ONNX → .mote (see DESIGN.md "Data flow")."""

__version__ = "0.1.0"

from .api import convert
from .errors import ConversionError

__all__ = ["ConversionError", "__version__", "convert"]
