"""Resizing inputs at run time (Model.resize_input, the LiteRT flow): ONNX models with
symbolic dims, converted at one shape, resized to others and compared with ONNX Runtime
at every shape; ops that cannot follow fail clearly and leave the model usable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import onnx
import pytest
from helpers import assert_outputs_close, convert, ort_run
from onnx import TensorProto, helper, numpy_helper

import mote
from mote import Interpreter
from mote.runtime import InputNameError, InputShapeError

Dims = Sequence[object]  # ints and symbolic names


def symbolic_model(nodes: list[onnx.NodeProto], inputs: Mapping[str, Dims], outputs: Sequence[str],
                   inits: Mapping[str, np.ndarray]) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes, "resize",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(d)) for n, d in inputs.items()],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    return model


def fcn_model() -> onnx.ModelProto:
    """A fully convolutional net with a symbolic batch and spatial size: conv / pool / concat /
    residual add / channel softmax / average pool."""
    rng = np.random.default_rng(3)
    inits = {
        "w1": (0.4 * rng.standard_normal((8, 3, 3, 3))).astype(np.float32),
        "b1": (0.1 * rng.standard_normal(8)).astype(np.float32),
        "w2": (0.3 * rng.standard_normal((8, 8, 1, 1))).astype(np.float32),
        "w3": (0.2 * rng.standard_normal((6, 16, 3, 3))).astype(np.float32),
        "b3": (0.1 * rng.standard_normal(6)).astype(np.float32),
        "s": rng.uniform(0.5, 1.5, (1, 6, 1, 1)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], kernel_shape=[1, 1]),
        helper.make_node("Add", ["c2", "r1"], ["res"]),
        helper.make_node("Concat", ["res", "r1"], ["cat"], axis=1),
        helper.make_node("MaxPool", ["cat"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p", "w3", "b3"], ["c3"], kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["c3", "s"], ["m"]),
        helper.make_node("Softmax", ["m"], ["probs"], axis=1),
        helper.make_node("AveragePool", ["m"], ["ap"], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1],
                         count_include_pad=0),
    ]
    return symbolic_model(nodes, {"x": ["N", 3, "H", "W"]}, ["probs", "ap"], inits)


def flatten_gemm_model() -> onnx.ModelProto:
    """conv -> relu -> Flatten -> Gemm: the Gemm weights fix C*H*W."""
    rng = np.random.default_rng(5)
    inits = {
        "cw": (0.3 * rng.standard_normal((4, 3, 3, 3))).astype(np.float32),
        "fw": (0.1 * rng.standard_normal((5, 4 * 8 * 8))).astype(np.float32),
        "fb": (0.1 * rng.standard_normal(5)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "cw"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Flatten", ["r"], ["f"]),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["y"], transB=1),
    ]
    return symbolic_model(nodes, {"x": ["N", 3, 8, 8]}, ["y"], inits)


def sequence_model() -> onnx.ModelProto:
    """Token features [B, S, 16]: projection, relu, self-similarity x·xᵀ, softmax over keys, mix."""
    rng = np.random.default_rng(9)
    inits = {"wq": (0.3 * rng.standard_normal((16, 16))).astype(np.float32),
             "bq": (0.1 * rng.standard_normal(16)).astype(np.float32)}
    nodes = [
        helper.make_node("MatMul", ["x", "wq"], ["q0"]),
        helper.make_node("Add", ["q0", "bq"], ["q1"]),
        helper.make_node("Relu", ["q1"], ["q"]),
        helper.make_node("Transpose", ["q"], ["qt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "qt"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["attn"], axis=-1),
        helper.make_node("MatMul", ["attn", "x"], ["y"]),
    ]
    return symbolic_model(nodes, {"x": ["B", "S", 16]}, ["y"], inits)


def two_input_model() -> onnx.ModelProto:
    nodes = [helper.make_node("Add", ["a", "b"], ["s"]), helper.make_node("Mul", ["s", "b"], ["y"])]
    return symbolic_model(nodes, {"a": ["N", 4], "b": ["N", 4]}, ["y"], {})


def feeds_for(rng: np.random.Generator, shapes: Mapping[str, Sequence[int]]) -> dict[str, np.ndarray]:
    return {n: rng.standard_normal(s).astype(np.float32) for n, s in shapes.items()}


def check_at(model: mote.Model, onnx_model: onnx.ModelProto, feeds: Mapping[str, np.ndarray]) -> None:
    expected = ort_run(onnx_model, feeds)
    assert [s.shape for s in model.outputs] == [expected[s.name].shape for s in model.outputs]
    assert_outputs_close(model.run(dict(feeds)), expected, f"mote vs ORT at {[a.shape for a in feeds.values()]}")


# -- resizing follows the ops -----------------------------------------------


@pytest.mark.parametrize("threads", [1, 2])
def test_fcn_resized_matches_ort(rng, threads):
    onnx_model = fcn_model()
    data = convert(onnx_model, input_shapes={"x": (1, 3, 16, 16)})
    model = mote.load(data, num_threads=threads)
    file_arena = model.arena_size
    check_at(model, onnx_model, feeds_for(rng, {"x": (1, 3, 16, 16)}))
    for shape in [(2, 3, 16, 16), (1, 3, 24, 20), (3, 3, 9, 13), (1, 3, 64, 48), (1, 3, 4, 4), (1, 3, 16, 16)]:
        model.resize_input("x", shape)
        assert model.inputs[0].shape == shape
        check_at(model, onnx_model, feeds_for(rng, {"x": shape}))
    # back at the file's shape, the C planner lays the arena out exactly as the converter did
    assert model.arena_size == file_arena


def test_runtime_plan_equals_converter_plan(rng):
    """Resized to S, the runtime plans the same arena size as the converter does for S."""
    onnx_model = fcn_model()
    model = mote.load(convert(onnx_model, input_shapes={"x": (1, 3, 16, 16)}))
    for shape in [(2, 3, 20, 12), (1, 3, 33, 17)]:
        model.resize_input(0, shape)
        direct = mote.load(convert(onnx_model, input_shapes={"x": shape}))
        assert model.arena_size == direct.arena_size, shape
        direct.close()


def test_sequence_length_resize(rng):
    onnx_model = sequence_model()
    model = mote.load(convert(onnx_model, input_shapes={"x": (1, 8, 16)}))
    for shape in [(1, 8, 16), (1, 3, 16), (2, 21, 16), (1, 1, 16), (4, 64, 16)]:
        model.resize_input("x", shape)
        check_at(model, onnx_model, feeds_for(rng, {"x": shape}))
    with pytest.raises(mote.MoteError, match="cannot take that shape") as exc:
        model.resize_input("x", (1, 8, 12))  # the weights fix the feature size
    assert exc.value.status_name == "MOTE_ERROR_INVALID_ARGUMENT"
    assert "(node '" in str(exc.value)
    check_at(model, onnx_model, feeds_for(rng, {"x": (4, 64, 16)}))  # still the previous shape


def test_flatten_gemm_spatial_change_fails_clearly(rng):
    onnx_model = flatten_gemm_model()
    model = mote.load(convert(onnx_model, input_shapes={"x": (1, 3, 8, 8)}))
    arena = model.arena_size
    with pytest.raises(mote.MoteError) as exc:
        model.resize_input("x", (1, 3, 10, 10))
    msg = str(exc.value)
    assert "cannot resize input 0 ('x') to [1,3,10,10]" in msg and "cannot take that shape" in msg, msg
    assert "RESHAPE (node '" in msg or "FULLY_CONNECTED (node '" in msg, msg
    # nothing changed: same shapes, same arena, still runs and matches
    assert model.inputs[0].shape == (1, 3, 8, 8) and model.outputs[0].shape == (1, 5)
    assert model.arena_size == arena
    check_at(model, onnx_model, feeds_for(rng, {"x": (1, 3, 8, 8)}))


def test_flatten_gemm_batch_change(rng):
    """Flatten is lowered to a RESHAPE whose new_shape copies the batch dim (0): a model
    converted at batch 1 runs at batch 3 and back."""
    onnx_model = flatten_gemm_model()
    model = mote.load(convert(onnx_model, input_shapes={"x": (1, 3, 8, 8)}))
    model.resize_input("x", (3, 3, 8, 8))
    assert model.outputs[0].shape == (3, 5)
    check_at(model, onnx_model, feeds_for(rng, {"x": (3, 3, 8, 8)}))
    model.resize_input("x", (1, 3, 8, 8))
    check_at(model, onnx_model, feeds_for(rng, {"x": (1, 3, 8, 8)}))
    # converted at batch 3, it runs at batch 3
    model3 = mote.load(convert(onnx_model, input_shapes={"x": (3, 3, 8, 8)}))
    check_at(model3, onnx_model, feeds_for(rng, {"x": (3, 3, 8, 8)}))


def test_global_pool_head_takes_new_spatial_size(cnn, rng):
    """conv -> GAP -> flatten -> gemm: H and W vanish at the global pool, so they may change."""
    onnx_model = cnn.onnx_model
    model = mote.load(cnn.data)
    for shape in [(1, 3, 12, 10), (1, 3, 31, 7)]:
        model.resize_input("x", shape)
        feeds = feeds_for(rng, {"x": shape})
        expected = ort_run(_free_input_dims(onnx_model, [2, 3]), feeds)
        assert_outputs_close(model.run(feeds), expected)


def test_global_pool_head_batch_change(cnn, rng):
    """The RESHAPEs of the head (layout back to NCHW, flatten) copy the batch dim: batch 2 runs."""
    model = mote.load(cnn.data)
    shape = (2, 3, 8, 8)
    model.resize_input("x", shape)
    feeds = feeds_for(rng, {"x": shape})
    assert_outputs_close(model.run(feeds), ort_run(_free_input_dims(cnn.onnx_model, [0]), feeds))


def _free_input_dims(model: onnx.ModelProto, axes: Sequence[int]) -> onnx.ModelProto:
    """A copy whose first input has symbolic dims at `axes` (and no stale value_info)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    del m.graph.value_info[:]
    for a in axes:
        m.graph.input[0].type.tensor_type.shape.dim[a].dim_param = f"d{a}"
    for o in m.graph.output:
        o.type.tensor_type.ClearField("shape")
    return m


def test_several_inputs_all_or_nothing(rng):
    onnx_model = two_input_model()
    model = mote.load(convert(onnx_model, input_shapes={"a": (2, 4), "b": (2, 4)}))
    with pytest.raises(mote.MoteError, match="cannot take that shape"):
        model.resize_input("a", (3, 4))  # [3,4] + [2,4] does not broadcast
    assert [s.shape for s in model.inputs] == [(2, 4), (2, 4)]
    model.resize_inputs({"a": (5, 4), 1: (5, 4)})
    assert [s.shape for s in model.inputs] == [(5, 4), (5, 4)] and model.outputs[0].shape == (5, 4)
    check_at(model, onnx_model, feeds_for(rng, {"a": (5, 4), "b": (5, 4)}))


# -- the Python side: specs, views, errors ------------------------------------


def test_views_rebuilt_and_old_shape_refused(affine, rng):
    model = mote.load(affine.data)
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    before = model.run(x)["y"]
    model.resize_input(0, (2, 3, 5, 7))
    assert model.outputs[0].shape == (2, 3, 5, 7)
    with pytest.raises(InputShapeError, match=r"expects shape \(2, 3, 5, 7\), got \(1, 3, 8, 8\)"):
        model.run(x)
    x2 = rng.standard_normal((2, 3, 5, 7)).astype(np.float32)
    # many runs through the rebuilt views: the old arena is gone
    for _ in range(3):
        assert_outputs_close(model.run(x2), ort_run(_free_input_dims(affine.onnx_model, [0, 2, 3]), {"x": x2}))
    model.resize_input("x", (1, 3, 8, 8))
    np.testing.assert_array_equal(model.run(x)["y"], before)


def test_shape_error_hints_at_resize(affine, rng):
    model = mote.load(affine.data)
    with pytest.raises(InputShapeError, match=r"model.resize_input\('x', \(1, 3, 9, 9\)\)"):
        model.run(np.zeros((1, 3, 9, 9), np.float32))


def test_clone_keeps_shapes_and_is_independent(affine, rng):
    model = mote.load(affine.data)
    model.resize_input("x", (4, 3, 6, 6))
    twin = model.clone()
    assert twin.inputs[0].shape == (4, 3, 6, 6)
    twin.resize_input("x", (1, 3, 2, 2))
    assert model.inputs[0].shape == (4, 3, 6, 6)
    x = rng.standard_normal((4, 3, 6, 6)).astype(np.float32)
    assert model.run(x)["y"].shape == (4, 3, 6, 6)
    assert twin.run(x[:1, :, :2, :2])["y"].shape == (1, 3, 2, 2)


def test_load_with_input_shapes(affine):
    model = mote.load(affine.data, input_shapes={"x": (2, 3, 4, 4)})
    assert model.inputs[0].shape == (2, 3, 4, 4)
    with pytest.raises(InputNameError, match="no input named 'nope'"):
        mote.load(affine.data, input_shapes={"nope": (1, 3, 4, 4)})


def test_resize_argument_errors(affine):
    model = mote.load(affine.data)
    with pytest.raises(InputNameError, match="no input named 'z'; its inputs are: 'x'"):
        model.resize_input("z", (1, 3, 8, 8))
    with pytest.raises(IndexError, match="input index 3 out of range"):
        model.resize_input(3, (1, 3, 8, 8))
    with pytest.raises(InputShapeError, match=r"has rank 4 .* cannot resize it to \(3, 8, 8\)"):
        model.resize_input("x", (3, 8, 8))
    with pytest.raises(InputShapeError, match="dimensions must be >= 1"):
        model.resize_input("x", (0, 3, 8, 8))
    with pytest.raises(TypeError, match="must hold ints"):
        model.resize_input("x", (1, 3, 8.5, 8))
    with pytest.raises(TypeError):
        model.resize_input(None, (1, 3, 8, 8))  # type: ignore[arg-type]
    with pytest.raises(mote.MoteError, match="too many elements"):
        model.resize_input("x", (2**31 - 1, 3, 2**31 - 1, 2**31 - 1))
    model.resize_input("x", (1, 3, 8, 8))  # the current shape: nothing to do
    model.close()
    with pytest.raises(mote.runtime.ModelClosedError):
        model.resize_input("x", (1, 3, 8, 8))


# -- LiteRT-style flow ----------------------------------------------------------


def test_litert_resize_flow(rng):
    onnx_model = fcn_model()
    it = Interpreter(model_content=convert(onnx_model, input_shapes={"x": (1, 3, 16, 16)}))
    it.allocate_tensors()
    index = it.get_input_details()[0]["index"]
    it.resize_tensor_input(index, [2, 3, 12, 20])
    assert list(it.get_input_details()[0]["shape"]) == [2, 3, 12, 20]
    x = rng.standard_normal((2, 3, 12, 20)).astype(np.float32)
    with pytest.raises(RuntimeError, match="allocate_tensors"):
        it.set_tensor(index, x)
    with pytest.raises(RuntimeError, match="allocate_tensors"):
        it.invoke()
    it.allocate_tensors()
    it.set_tensor(index, x)
    it.invoke()
    expected = ort_run(onnx_model, {"x": x})
    details = it.get_output_details()
    got = {d["name"]: it.get_tensor(d["index"]) for d in details}
    assert {d["name"]: tuple(d["shape"]) for d in details} == {k: v.shape for k, v in expected.items()}
    assert_outputs_close(got, expected)
    np.testing.assert_array_equal(it.get_tensor(index), x)


def test_litert_allocate_failure_keeps_previous_shapes(rng):
    onnx_model = flatten_gemm_model()
    it = Interpreter(model_content=convert(onnx_model, input_shapes={"x": (1, 3, 8, 8)}))
    it.resize_tensor_input(0, [1, 3, 9, 9])
    with pytest.raises(mote.MoteError, match="cannot take that shape"):
        it.allocate_tensors()
    assert list(it.get_input_details()[0]["shape"]) == [1, 3, 8, 8]
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    it.set_tensor(0, x)
    it.invoke()
    assert_outputs_close({"y": it.get_tensor(it.get_output_details()[0]["index"])}, ort_run(onnx_model, {"x": x}))


def test_litert_strict_and_errors(affine):
    it = Interpreter(model_path=str(affine.path))
    it.resize_tensor_input(0, [1, 3, 8, 8], strict=True)  # the current shape
    with pytest.raises(ValueError, match="no dynamic dims"):
        it.resize_tensor_input(0, [2, 3, 8, 8], strict=True)
    with pytest.raises(ValueError, match="not an input tensor index"):
        it.resize_tensor_input(1, [1, 3, 8, 8])
    with pytest.raises(ValueError, match="rank 4"):
        it.resize_tensor_input(0, [3, 8, 8])
    it.resize_tensor_input(0, [2, 3, 8, 8])
    it.resize_tensor_input(0, [1, 3, 8, 8])  # back to the current shape: nothing pending
    it.invoke()


def test_signature_runner_resizes(affine, rng):
    it = Interpreter(model_content=affine.data)
    runner = it.get_signature_runner()
    x = rng.standard_normal((3, 3, 5, 5)).astype(np.float32)
    out = runner(x=x)
    assert_outputs_close(out, ort_run(_free_input_dims(affine.onnx_model, [0, 2, 3]), {"x": x}))
    assert list(it.get_input_details()[0]["shape"]) == [3, 3, 5, 5]


def test_litert_resizes_several_inputs_at_once(rng):
    """Two inputs that must change together: resize_tensor_input each, one allocate_tensors."""
    onnx_model = two_input_model()
    it = Interpreter(model_content=convert(onnx_model, input_shapes={"a": (2, 4), "b": (2, 4)}))
    it.resize_tensor_input(0, [6, 4])
    it.resize_tensor_input(1, [6, 4])
    it.allocate_tensors()
    feeds = feeds_for(rng, {"a": (6, 4), "b": (6, 4)})
    for d in it.get_input_details():
        it.set_tensor(d["index"], feeds[d["name"]])
    it.invoke()
    out = it.get_output_details()[0]
    assert tuple(out["shape"]) == (6, 4)
    assert_outputs_close({"y": it.get_tensor(out["index"])}, ort_run(onnx_model, feeds))
