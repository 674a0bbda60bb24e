"""NCHW → NHWC, once, at convert time (DESIGN.md decision 2).

Every 4-D activation of the source graph is NCHW by convention. Walking the nodes in order,
a tensor is *converted* (stored NHWC, ``layout="NHWC"``, shape permuted) when its producer
can write it that way: spatial ops always do, elementwise ops follow their inputs, axis
attributes (Concat, Softmax, ReduceMean, Pad, Transpose perm) are rewritten in stored axes,
broadcast constants are permuted. An op that needs the source order (a Reshape that
reorders elements, MatMul, ...) gets a transpose back in front of it. Model inputs and
outputs keep the source layout, so the only transposes left sit at those boundaries
(a Reshape/Flatten into FullyConnected permutes the FC weights instead).

Op classes (every IR op is in exactly one; anything else is source-only and gets its NHWC
inputs transposed back):
- NHWC-native (SPATIAL): convs, pools, Resize, ConvTranspose, DepthToSpace, SpaceToDepth,
  InstanceNorm read and write NHWC, always.
- elementwise (UNARY, BINARY): follow their inputs; broadcast constants are permuted.
- axis-carrying: Concat, Softmax, reductions, ArgMax/ArgMin, Split, Slice, Gather, Tile,
  BroadcastTo, TopK, LayerNorm, Pad, Transpose get their axes rewritten in stored order, or
  read the source order when the result would come out reordered.
"""

from __future__ import annotations

import numpy as np

from ..ir import Graph, Node

TO_NHWC = (0, 2, 3, 1)  # stored.dims[i] = source.dims[TO_NHWC[i]]
TO_NCHW = (0, 3, 1, 2)
STORED_AXIS = {a: TO_NHWC.index(a) for a in range(4)}  # source axis -> stored axis

SPATIAL = {"Conv", "MaxPool", "AveragePool", "Resize", "ConvTranspose", "DepthToSpace", "SpaceToDepth",
           "InstanceNorm"}
UNARY = {"Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSwish", "Gelu", "Identity", "Exp", "Log", "Sqrt",
         "Rsqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Erf", "Softplus", "Swish", "Mish",
         "HardSigmoid", "Sin", "Cos", "Not", "Cast"}
BINARY = {"Add", "Sub", "Mul", "Div", "Pow", "Minimum", "Maximum", "PRelu", "Equal", "NotEqual", "Less",
          "LessEqual", "Greater", "GreaterEqual", "And", "Or", "Where"}
REDUCE = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2"}


def order_preserving(shape: tuple[int, ...], perm: tuple[int, ...]) -> bool:
    """Whether transpose(x of `shape`, perm) keeps the element order (only unit dims move)."""
    moved = [p for p in perm if shape[p] != 1]
    return moved == sorted(moved)


class _Layout:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.nodes: list[Node] = []
        self.nhwc_of: dict[str, str] = {}
        self.src_of: dict[str, str] = {}
        self.consumers = graph.consumers()

    # tensor helpers
    def nhwc(self, name: str | None) -> bool:
        return name is not None and self.g.tensor(name).layout == "NHWC"

    def mark(self, name: str) -> None:
        t = self.g.tensor(name)
        t.shape, t.layout = tuple(t.shape[p] for p in TO_NHWC), "NHWC"

    def _transpose(self, x: str, perm: tuple[int, ...], layout: str | None, hint: str) -> str:
        t = self.g.tensor(x)
        out = self.g.unique_name(hint)
        self.g.add_tensor(out, dtype=t.dtype, shape=tuple(t.shape[p] for p in perm), layout=layout)
        self.nodes.append(Node("Transpose", [x], [out], {"perm": perm}, name=out, source_op="layout"))
        return out

    def to_nhwc(self, x: str) -> str:
        """A stored-NHWC version of the 4-D tensor `x` (rank < 4 is first padded with unit dims)."""
        if self.nhwc(x):
            return x
        if x not in self.nhwc_of:
            t = self.g.tensor(x)
            if t.is_const:
                data = t.data.reshape((1,) * (4 - t.data.ndim) + t.data.shape)
                out = self.g.add_const(np.ascontiguousarray(data.transpose(TO_NHWC)), f"{x}_nhwc")
                self.g.tensor(out).layout = "NHWC"
            else:
                src = x
                if len(t.shape) < 4:
                    src = self.g.unique_name(f"{x}_4d")
                    self.g.add_tensor(src, dtype=t.dtype, shape=(1,) * (4 - len(t.shape)) + t.shape)
                    self.nodes.append(Node("Reshape", [x], [src], {"shape": self.g.tensor(src).shape},
                                           name=src, source_op="layout"))
                out = self._transpose(src, TO_NHWC, "NHWC", f"{x}_nhwc")
            self.nhwc_of[x] = out
        return self.nhwc_of[x]

    def to_src(self, x: str | None) -> str | None:
        if not self.nhwc(x):
            return x
        if x not in self.src_of:
            self.src_of[x] = self._transpose(x, TO_NCHW, None, f"{x}_nchw")
        return self.src_of[x]

    # per op family
    def run(self) -> None:
        for node in self.g.nodes:
            if node.op in SPATIAL:
                node.inputs[0] = self.to_nhwc(node.inputs[0])
                node.attrs["data_format"] = "NHWC"
                self.mark(node.outputs[0])
            elif node.op in UNARY:
                if self.nhwc(node.inputs[0]):
                    self.mark(node.outputs[0])
            elif node.op in BINARY:
                self._binary(node)
            elif node.op in REDUCE:
                self._reduce(node)
            else:
                getattr(self, f"_{node.op}", self._source_only)(node)
            self.nodes.append(node)
        self.g.nodes = self.nodes
        self._outputs()

    def _source_only(self, node: Node) -> None:
        node.inputs = [self.to_src(i) for i in node.inputs]

    def _moves(self, x: str, to_nhwc: bool) -> int:
        """Elements a layout change of run-time tensor `x` moves (0: only unit dims move, a reshape)."""
        t = self.g.tensor(x)
        if t.is_const or self.nhwc(x) == to_nhwc:
            return 0
        shape = t.shape if self.nhwc(x) or len(t.shape) == 4 else (1,) * (4 - len(t.shape)) + t.shape
        if order_preserving(shape, TO_NHWC if to_nhwc else TO_NCHW):
            return 0
        return int(np.prod(shape))

    def _binary(self, node: Node) -> None:
        """NHWC when an input is, unless bringing the source-layout inputs over moves more data than
        taking the NHWC ones back (a 4-D attention mask next to attention scores, say)."""
        out_rank = len(self.g.tensor(node.outputs[0]).shape)
        ins = [i for i in node.inputs if i is not None]
        if out_rank == 4 and any(self.nhwc(i) for i in ins) and \
                sum(self._moves(i, True) for i in ins) <= sum(self._moves(i, False) for i in ins):
            node.inputs = [self.to_nhwc(i) for i in node.inputs]
            self.mark(node.outputs[0])
        else:
            self._source_only(node)

    def _Concat(self, node: Node) -> None:
        if len(self.g.tensor(node.outputs[0]).shape) == 4 and any(self.nhwc(i) for i in node.inputs):
            node.inputs = [self.to_nhwc(i) for i in node.inputs]
            node.attrs["axis"] = STORED_AXIS[node.attrs["axis"]]
            self.mark(node.outputs[0])
        else:
            self._source_only(node)

    def _Softmax(self, node: Node) -> None:
        if self.nhwc(node.inputs[0]):
            node.attrs["axis"] = STORED_AXIS[node.attrs["axis"]]
            self.mark(node.outputs[0])

    @staticmethod
    def _drop_keeps_order(axes) -> bool:
        """Whether removing source `axes` from NHWC storage leaves the rest in source order."""
        return [a for a in TO_NHWC if a not in axes] == [a for a in range(4) if a not in axes]

    def _reduce(self, node: Node) -> None:
        if not self.nhwc(node.inputs[0]):
            return
        axes = node.attrs["axes"]
        if node.attrs.get("keepdims", True):
            self.mark(node.outputs[0])
        elif not self._drop_keeps_order(axes):
            node.inputs[0] = self.to_src(node.inputs[0])  # kept dims would come out reordered
            return
        node.attrs["axes"] = tuple(sorted(STORED_AXIS[a] for a in axes))

    def _ArgMax(self, node: Node) -> None:
        if not self.nhwc(node.inputs[0]):
            return
        axis = node.attrs["axis"]
        if node.attrs.get("keepdims", True):
            self.mark(node.outputs[0])
        elif not self._drop_keeps_order([axis]):
            node.inputs[0] = self.to_src(node.inputs[0])
            return
        node.attrs["axis"] = STORED_AXIS[axis]

    _ArgMin = _ArgMax

    def _along_axis(self, node: Node) -> None:
        """Split / TopK: same rank out, one axis."""
        if self.nhwc(node.inputs[0]):
            node.attrs["axis"] = STORED_AXIS[node.attrs["axis"]]
            for o in node.outputs:
                self.mark(o)

    _Split = _TopK = _along_axis

    def _per_dim(self, node: Node, *keys: str) -> None:
        """Slice / Tile: one entry per dim in each attribute, permuted."""
        if self.nhwc(node.inputs[0]):
            for k in keys:
                node.attrs[k] = tuple(node.attrs[k][a] for a in TO_NHWC)
            self.mark(node.outputs[0])

    def _Slice(self, node: Node) -> None:
        self._per_dim(node, "starts", "ends", "steps")

    def _Tile(self, node: Node) -> None:
        self._per_dim(node, "multiples")

    def _BroadcastTo(self, node: Node) -> None:
        if not self.nhwc(node.inputs[0]):
            return
        if len(node.attrs["shape"]) != 4:
            node.inputs[0] = self.to_src(node.inputs[0])
            return
        node.attrs["shape"] = tuple(node.attrs["shape"][a] for a in TO_NHWC)
        self.mark(node.outputs[0])

    def _Gather(self, node: Node) -> None:
        x, idx = node.inputs
        node.inputs[1] = self.to_src(idx)
        if not self.nhwc(x):
            return
        axis, idx_rank = node.attrs["axis"], len(self.g.tensor(idx).shape)
        if idx_rank == 1:
            self.mark(node.outputs[0])
        elif idx_rank != 0 or not self._drop_keeps_order([axis]):
            node.inputs[0] = self.to_src(x)
            return
        node.attrs["axis"] = STORED_AXIS[axis]

    def _LayerNorm(self, node: Node) -> None:
        """Normalising over [axis, 4) in NCHW is over trailing stored axes only for axis 0 and 1
        (C, H, W → H, W, C); then the constant scale/bias are permuted alike."""
        x = node.inputs[0]
        if not self.nhwc(x):
            return
        axis = node.attrs["axis"]
        params = [self.g.const(i) if i is not None else None for i in node.inputs[1:]]
        if axis > 1 or any(p is None for i, p in zip(node.inputs[1:], params) if i is not None):
            node.inputs[0] = self.to_src(x)
            return
        perm = [a - axis for a in TO_NHWC if a >= axis]
        node.inputs[1:] = [None if p is None else self.g.add_const(np.ascontiguousarray(p.transpose(perm)),
                                                                   f"{i}_nhwc")
                           for i, p in zip(node.inputs[1:], params)]
        self.mark(node.outputs[0])

    def _Pad(self, node: Node) -> None:
        if self.nhwc(node.inputs[0]):
            p = node.attrs["pads"]
            node.attrs["pads"] = tuple(p[a] for a in TO_NHWC) + tuple(p[4 + a] for a in TO_NHWC)
            self.mark(node.outputs[0])

    def _Transpose(self, node: Node) -> None:
        perm = tuple(node.attrs["perm"])
        if self.nhwc(node.inputs[0]):
            perm = tuple(TO_NCHW[p] for p in perm)  # from the stored input
        if len(perm) == 4 and perm != (0, 1, 2, 3):
            # writing the output NHWC costs nothing: compose once more
            node.attrs["perm"] = tuple(perm[p] for p in TO_NHWC)
            self.mark(node.outputs[0])
        else:
            node.attrs["perm"] = perm

    def _Reshape(self, node: Node) -> None:
        x, out = node.inputs[0], node.outputs[0]
        if self.nhwc(x):
            src_shape = tuple(self.g.tensor(x).shape[p] for p in TO_NCHW)
            if not order_preserving(src_shape, TO_NHWC) and not self._permute_fc(node, src_shape):
                node.inputs[0] = self.to_src(x)
        shape = tuple(node.attrs["shape"])
        if len(shape) == 4 and order_preserving(shape, TO_NHWC) and out not in self.g.outputs:
            self.mark(out)
            node.attrs["shape"] = self.g.tensor(out).shape

    def _permute_fc(self, node: Node, src_shape: tuple[int, ...]) -> bool:
        """Flatten of NHWC into FullyConnected: permute the weights' columns instead of the data."""
        n, c, h, w = src_shape
        users = self.consumers.get(node.outputs[0], [])
        if tuple(node.attrs["shape"]) != (n, c * h * w) or node.outputs[0] in self.g.outputs or not users:
            return False
        if any(u.op != "FullyConnected" or u.inputs[0] != node.outputs[0] or u.inputs[1] == node.outputs[0]
               or self.g.const(u.inputs[1]) is None for u in users):
            return False
        for u in users:
            wt = self.g.const(u.inputs[1])
            o = wt.shape[0]
            permuted = wt.reshape(o, c, h, w).transpose(0, 2, 3, 1).reshape(o, c * h * w)
            u.inputs[1] = self.g.add_const(np.ascontiguousarray(permuted), f"{u.inputs[1]}_nhwc")
        return True

    def _outputs(self) -> None:
        for i, o in enumerate(list(self.g.outputs)):
            if not self.nhwc(o):
                continue
            inner = self.g.unique_name(f"{o}_nhwc")
            self.g.rename_tensor(o, inner)
            t = self.g.tensor(inner)
            self.g.add_tensor(o, dtype=t.dtype, shape=tuple(t.shape[p] for p in TO_NCHW))
            self.g.nodes.append(Node("Transpose", [inner], [o], {"perm": TO_NCHW}, name=o, source_op="layout"))
            self.g.outputs[i] = o


def to_nhwc(graph: Graph) -> None:
    _Layout(graph).run()
