"""One table from TFLite builtin op name to handler, merged from the family files."""

from __future__ import annotations

from typing import Callable

from . import math, nn, rnn, slices, tensor
from .context import OpContext

Handler = Callable[[OpContext], None]

HANDLERS: dict[str, Handler] = {}
for _family in (math, nn, rnn, slices, tensor):
    for _op, _fn in _family.HANDLERS.items():
        assert _op not in HANDLERS, f"TFLite op {_op} registered twice"
        HANDLERS[_op] = _fn
