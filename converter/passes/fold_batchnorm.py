"""BatchNormalization (inference) folds into the Conv / FullyConnected that feeds it, or,
standing alone, becomes Mul + Add with per-channel constants (mote has no BN op)."""

from __future__ import annotations

import numpy as np

from ..errors import ConversionError
from ..ir import Graph, Node
from .util import sole_consumer, splice_out


def bn_affine(graph: Graph, bn: Node) -> tuple[np.ndarray, np.ndarray]:
    """(scale, shift) with bn(x) = x * scale + shift per channel."""
    params = [graph.const(i) for i in bn.inputs[1:5]]
    if any(p is None for p in params):
        raise ConversionError(f"BatchNormalization with non-constant parameters is not supported at {bn.where()}")
    gamma, beta, mean, var = (p.astype(np.float64) for p in params)
    scale = gamma / np.sqrt(var + bn.attrs.get("epsilon", 1e-5))
    return scale, beta - mean * scale


def _fold_into(graph: Graph, prod: Node, scale: np.ndarray, shift: np.ndarray) -> bool:
    w = graph.const(prod.inputs[1])
    if w is None or prod.attrs.get("activation", "NONE") != "NONE" or w.shape[0] != scale.shape[0]:
        return False
    if prod.op == "FullyConnected" and len(graph.tensor(prod.outputs[0]).shape) != 2:
        return False  # BN's channel axis 1 is the feature axis only for 2-D outputs
    if prod.op == "Conv" and prod.attrs.get("data_format") != "NCHW":
        return False
    bshape = (-1,) + (1,) * (w.ndim - 1)
    new_w = (w.astype(np.float64) * scale.reshape(bshape)).astype(w.dtype)
    b = prod.inputs[2] if len(prod.inputs) > 2 else None
    old_b = np.zeros_like(scale) if b is None else graph.const(b).astype(np.float64)
    new_b = (old_b * scale + shift).astype(w.dtype)
    prod.inputs = [prod.inputs[0], graph.add_const(new_w, f"{prod.name}_weights_bn"),
                   graph.add_const(new_b, f"{prod.name}_bias_bn")]
    return True


def fold_batchnorm(graph: Graph, into_producers: bool = True) -> None:
    producers, consumers = graph.producers(), graph.consumers()
    for bn in [n for n in graph.nodes if n.op == "BatchNormalization"]:
        scale, shift = bn_affine(graph, bn)
        x = bn.inputs[0]
        prod = producers.get(x)
        if (into_producers and prod is not None and prod.op in ("Conv", "FullyConnected")
                and sole_consumer(graph, x, consumers) is bn and _fold_into(graph, prod, scale, shift)):
            splice_out(graph, prod, bn)
            graph.note("folded_batchnorm", f"{bn.name} into {prod.name}")
            continue
        rank = len(graph.tensor(x).shape)
        if rank < 2 or graph.tensor(x).shape[1] != scale.shape[0]:
            raise ConversionError(f"BatchNormalization input {graph.tensor(x).shape} does not match "
                                  f"{scale.shape[0]} channels at {bn.where()}")
        cshape = (scale.shape[0],) + (1,) * (rank - 2)
        dtype = graph.tensor(x).dtype
        mid = graph.unique_name(f"{bn.outputs[0]}_scaled")
        mul = Node("Mul", [x, graph.add_const(scale.reshape(cshape).astype(dtype), f"{bn.name}_scale")], [mid],
                   {"activation": "NONE"}, bn.name, bn.source_op, bn.source_opset)
        add = Node("Add", [mid, graph.add_const(shift.reshape(cshape).astype(dtype), f"{bn.name}_shift")],
                   bn.outputs, {"activation": "NONE"}, bn.name, bn.source_op, bn.source_opset)
        graph.add_tensor(mid, dtype=dtype, shape=graph.tensor(x).shape)
        i = graph.nodes.index(bn)
        graph.nodes[i:i + 1] = [mul, add]
        graph.note("batchnorm_as_mul_add", bn.name)
    graph.remove_unused_tensors()
