"""The enabled-list format (tests/onnx_node/enabled.txt), tract's node.txt convention:

    test_name                    every graph input stays a runtime input
    test_name input:x input:y    only x and y stay inputs; the others become initializers
    test_name tol:onnx           floats checked with onnx's elementwise bound only (for cases
                                 whose reference data is written with few digits)
    # comment                    (also after an entry)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ENABLED = Path(__file__).with_name("enabled.txt")


@dataclass(frozen=True)
class Entry:
    name: str
    dynamic: tuple[str, ...] | None = None  # None: all inputs dynamic
    onnx_tol: bool = False

    def line(self) -> str:
        words = [self.name]
        if self.dynamic is not None:
            words += [f"input:{n}" for n in self.dynamic]
        if self.onnx_tol:
            words.append("tol:onnx")
        return " ".join(words)


def parse(text: str) -> list[Entry]:
    entries, seen = [], set()
    for lineno, raw in enumerate(text.splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        name, opts = words[0], words[1:]
        bad = [o for o in opts if o != "tol:onnx" and (not o.startswith("input:") or o == "input:")]
        if bad or not name.startswith("test_"):
            raise ValueError(f"enabled list line {lineno}: cannot read {raw!r}")
        if name in seen:
            raise ValueError(f"enabled list line {lineno}: {name} listed twice")
        seen.add(name)
        dyn = tuple(o[len("input:"):] for o in opts if o.startswith("input:"))
        entries.append(Entry(name, dyn or None, "tol:onnx" in opts))
    return entries


def read(path: Path = ENABLED) -> list[Entry]:
    return parse(path.read_text())
