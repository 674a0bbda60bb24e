"""Small ONNX models built with onnx.helper for the converter tests."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make_model(nodes, inputs, outputs, inits=(), opset: int = 17, name: str = "test") -> onnx.ModelProto:
    """A float model; an output shape of None means "same rank as the first input, dims unknown"."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s if s is not None else [f"d{i}" for i in range(
            len(inputs[0][1]))]) for n, s in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in inits],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def conv_bn_relu_pool_flatten_gemm(rng: np.random.Generator, global_pool: bool = False) -> onnx.ModelProto:
    """x[1,3,16,16] → Conv 3x3 → BN → Relu → MaxPool 2x2 (or GlobalAveragePool) → Flatten → Gemm."""
    c = 8
    feat = c if global_pool else c * 8 * 8
    inits = [
        ("w", rng.standard_normal((c, 3, 3, 3)).astype(np.float32) * 0.3),
        ("b", rng.standard_normal(c).astype(np.float32)),
        ("gamma", rng.uniform(0.5, 1.5, c).astype(np.float32)),
        ("beta", rng.standard_normal(c).astype(np.float32)),
        ("mean", rng.standard_normal(c).astype(np.float32) * 0.1),
        ("var", rng.uniform(0.5, 2.0, c).astype(np.float32)),
        ("fc_w", rng.standard_normal((10, feat)).astype(np.float32) * 0.1),
        ("fc_b", rng.standard_normal(10).astype(np.float32)),
    ]
    pool = (helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool") if global_pool
            else helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], name="pool"))
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["n"], name="bn"),
        helper.make_node("Relu", ["n"], ["r"], name="relu"),
        pool,
        helper.make_node("Flatten", ["p"], ["f"], axis=1, name="flatten"),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["y"], transB=1, name="fc"),
    ]
    return make_model(nodes, [("x", [1, 3, 16, 16])], [("y", [1, 10])], inits)


def ir_vs_ort(model: onnx.ModelProto, feeds: dict[str, np.ndarray], optimize: bool = True, **kw):
    """Import + run the pass pipeline; return (graph, max abs error of the IR vs ONNX Runtime)."""
    import onnxruntime as ort

    from mote.converter.evaluate import run_graph
    from mote.converter.importers.onnx import import_onnx
    from mote.converter.passes import run_pipeline

    ref = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)
    graph = run_pipeline(import_onnx(model, **kw), optimize=optimize)
    got = run_graph(graph, feeds)
    err = max(float(np.max(np.abs(got[o] - r))) if r.size else 0.0 for o, r in zip(graph.outputs, ref))
    for o, r in zip(graph.outputs, ref):
        assert got[o].shape == r.shape, (o, got[o].shape, r.shape)
    return graph, err


def typed_model(nodes, inputs: dict, outputs, inits=(), opset: int = 17) -> onnx.ModelProto:
    """Inputs {name: (shape, numpy dtype)}; output types and shapes come from ONNX shape inference."""
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, helper.np_dtype_to_tensor_dtype(np.dtype(dt)), s)
         for n, (s, dt) in inputs.items()],
        [helper.make_value_info(n, onnx.TypeProto()) for n in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in dict(inits).items()],
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    return onnx.shape_inference.infer_shapes(m, strict_mode=True)


def random_inputs(model: onnx.ModelProto, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Normal floats, small non-negative ints, random bools for every graph input."""
    init = {i.name for i in model.graph.initializer}
    feeds = {}
    for vi in model.graph.input:
        if vi.name in init:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        dt = np.dtype(helper.tensor_dtype_to_np_dtype(vi.type.tensor_type.elem_type))
        if dt.kind == "f":
            feeds[vi.name] = rng.standard_normal(shape).astype(dt)
        elif dt.kind == "b":
            feeds[vi.name] = rng.random(shape) < 0.5
        else:
            feeds[vi.name] = rng.integers(0, 5, shape).astype(dt)
    return feeds


def check_ir_vs_ort(model: onnx.ModelProto, feeds: dict[str, np.ndarray], rel: float = 1e-5, **kw):
    """Import + passes, run the IR in numpy and compare every output with ONNX Runtime: same shape and
    dtype, floats within rel·max|ref| (floor 1e-6), everything else exact. Returns the graph."""
    import onnxruntime as ort

    from mote.converter.evaluate import run_graph
    from mote.converter.importers.onnx import import_onnx
    from mote.converter.passes import run_pipeline

    ref = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)
    graph = run_pipeline(import_onnx(model, **kw))
    got = run_graph(graph, feeds)
    for o, r in zip(graph.outputs, ref):
        g = got[o]
        assert g.shape == r.shape and g.dtype == r.dtype, (o, g.shape, g.dtype, r.shape, r.dtype)
        if r.dtype.kind == "f" and r.size:
            bound = max(rel * float(np.max(np.abs(r))), 1e-6)
            err = float(np.max(np.abs(g.astype(np.float64) - r)))
            assert err <= bound, f"{o}: max diff {err} > {bound}"
        else:
            np.testing.assert_array_equal(g, r, err_msg=o)
    return graph


def runtime_available() -> bool:
    """Whether libmote can be loaded here (the converter unit tests also run without it)."""
    try:
        import mote

        return hasattr(mote, "load")
    except Exception:  # noqa: BLE001  (no libmote built in this environment)
        return False
