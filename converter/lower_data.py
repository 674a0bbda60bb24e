"""Lowering of the data-movement IR ops (lower.py merges LOWER into its table)."""

from __future__ import annotations

from typing import Any, Callable

from .errors import ConversionError
from .fbs.DepthSpaceMode import DepthSpaceMode
from .ir import Graph, Node

Lowered = tuple[str, list, str | None, dict[str, Any]]
_I32 = (-(2**31), 2**31 - 1)


def _i32(values, what: str, node: Node) -> list[int]:
    out = [int(v) for v in values]
    if any(not _I32[0] <= v <= _I32[1] for v in out):
        raise ConversionError(f"{what} {out} do not fit in int32 at {node.where()}")
    return out


def _slice(g: Graph, n: Node, c) -> Lowered:
    a = n.attrs
    return "SLICE", [n.inputs[0]], "SliceOptions", {"starts": _i32(a["starts"], "slice starts", n),
                                                     "ends": _i32(a["ends"], "slice ends", n),
                                                     "steps": _i32(a["steps"], "slice steps", n)}


def _depth_space(opcode: str) -> Callable:
    def lower(g: Graph, n: Node, c) -> Lowered:
        if n.attrs.get("data_format") != "NHWC":
            raise ConversionError(f"internal: {n.op} left in NCHW at {n.where()}")
        return opcode, [n.inputs[0]], "DepthSpaceOptions", {"block_size": int(n.attrs["block_size"]),
                                                            "mode": getattr(DepthSpaceMode, n.attrs["mode"])}
    return lower


LOWER: dict[str, Callable] = {
    "Split": lambda g, n, c: ("SPLIT", [n.inputs[0]], "SplitOptions", {"axis": int(n.attrs["axis"]),
                                                                      "sizes": list(n.attrs["sizes"])}),
    "Slice": _slice,
    "Gather": lambda g, n, c: ("GATHER", list(n.inputs), "GatherOptions", {"axis": int(n.attrs["axis"])}),
    "Tile": lambda g, n, c: ("TILE", [n.inputs[0]], "TileOptions", {"multiples": list(n.attrs["multiples"])}),
    "BroadcastTo": lambda g, n, c: ("BROADCAST_TO", [n.inputs[0]], None, {}),
    "TopK": lambda g, n, c: ("TOPK", [n.inputs[0]], "TopKOptions", {"k": int(n.attrs["k"]),
                                                                   "axis": int(n.attrs["axis"]),
                                                                   "largest": bool(n.attrs["largest"])}),
    "DepthToSpace": _depth_space("DEPTH_TO_SPACE"),
    "SpaceToDepth": _depth_space("SPACE_TO_DEPTH"),
}
