"""Graph passes, one per file, run in order by `run_pipeline`."""

from __future__ import annotations

import json

from ..ir import Graph
from .dead_nodes import remove_dead_nodes
from .fold_affine import fold_affine
from .fold_batchnorm import fold_batchnorm
from .fold_constants import fold_constants
from .fuse_activation import fuse_activation
from .fuse_patterns import fuse_patterns
from .layout import to_nhwc
from .remove_identity import remove_identity
from .reshape_chains import collapse_reshapes
from .shape_inference import infer_shapes
from .transpose import simplify_transposes


def run_pipeline(graph: Graph, optimize: bool = True) -> Graph:
    """Rewrite an imported graph into the form lowering expects: no BN, no Identity, NHWC inside.

    With optimize=False only the rewrites mote needs are done (BN → Mul/Add, layout);
    folding into neighbouring convs (BN, bias, scale) and activation fusion are skipped.
    """
    infer_shapes(graph, check=True)
    remove_identity(graph)
    fold_constants(graph)
    fold_batchnorm(graph, into_producers=optimize)
    fold_constants(graph)
    if optimize:
        fuse_patterns(graph)
        fold_affine(graph)
        fuse_activation(graph)
    to_nhwc(graph)
    simplify_transposes(graph)
    collapse_reshapes(graph)
    remove_identity(graph)
    remove_dead_nodes(graph)
    infer_shapes(graph, check=True)
    graph.metadata["optimizations"] = json.dumps(graph.notes)
    return graph


__all__ = [
    "collapse_reshapes",
    "fold_affine",
    "fold_batchnorm",
    "fold_constants",
    "fuse_activation",
    "fuse_patterns",
    "infer_shapes",
    "remove_dead_nodes",
    "remove_identity",
    "run_pipeline",
    "simplify_transposes",
    "to_nhwc",
]
