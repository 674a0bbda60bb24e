"""Importers: parse a source model format into the converter IR."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConversionError


def input_shape_arg(name: str, dims: Sequence[int]) -> tuple[int, ...]:
    """One entry of convert()'s input_shapes, checked: a sequence of ints in [0, 2^31)."""
    try:
        shape = tuple(dims)
    except TypeError:
        shape = (None,)
    if not all(isinstance(d, numbers.Integral) for d in shape):
        raise ConversionError(f"input_shapes['{name}'] must be a sequence of ints, got {dims!r}")
    if any(not 0 <= int(d) < 2**31 for d in shape):
        raise ConversionError(f"input_shapes['{name}'] = {dims!r}: dims must be ints in [0, 2^31)")
    return tuple(int(d) for d in shape)


def model_file(src: str | Path) -> Path:
    """The path of a model file to read, or a ConversionError saying why it cannot be read."""
    path = Path(src)
    if path.is_dir():
        raise ConversionError(f"'{path}' is a directory, not a model file")
    if not path.is_file():
        raise ConversionError(f"no such file: '{path}'")
    return path
