"""Converter unit tests need no runtime: if `mote` is not installed, map the source tree."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

try:
    import mote.converter  # noqa: F401  (installed, editable or not)
except ImportError:
    for _name in [n for n in sys.modules if n == "mote" or n.startswith("mote.")]:
        del sys.modules[_name]
    _mote = types.ModuleType("mote")
    _mote.__path__ = [str(ROOT / "pybindings" / "mote")]
    sys.modules["mote"] = _mote
    _spec = importlib.util.spec_from_file_location(
        "mote.converter", ROOT / "converter" / "__init__.py", submodule_search_locations=[str(ROOT / "converter")]
    )
    _conv = importlib.util.module_from_spec(_spec)
    sys.modules["mote.converter"] = _conv
    _mote.converter = _conv
    _spec.loader.exec_module(_conv)
