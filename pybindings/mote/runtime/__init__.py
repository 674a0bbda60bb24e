"""mote.runtime: run .mote models from Python through libmote (cffi, ABI mode)."""

from .errors import (
    InputDtypeError,
    InputNameError,
    InputShapeError,
    MissingInputError,
    ModelClosedError,
    MoteError,
)
from .interpreter import Interpreter, SignatureRunner
from .model import Model, load
from .tensor import Quantization, TensorSpec


def runtime_version() -> str:
    """Version string of the loaded libmote."""
    from ._ffi import ffi, get_lib

    return ffi.string(get_lib().mote_version()).decode()


def kernel_info() -> str:
    """The CPU features libmote detected and the kernel it chose for each op family here
    (`MOTE_ISA=scalar|avx2|avx512|neon|neondot` caps them; read once per process)."""
    from ._ffi import ffi, get_lib

    return ffi.string(get_lib().mote_kernel_info()).decode()


__all__ = [
    "InputDtypeError", "InputNameError", "InputShapeError", "Interpreter", "MissingInputError",
    "Model", "ModelClosedError", "MoteError", "Quantization", "SignatureRunner", "TensorSpec",
    "kernel_info", "load", "runtime_version",
]
