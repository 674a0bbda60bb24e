"""No sequence of public Python calls may crash the process or fail unclearly.

A hypothesis state machine drives mote.load (paths, bytes), Model.run with valid and invalid feeds,
resize_input, clone, close (twice, then use), the properties, and the LiteRT-style Interpreter
(allocate_tensors / set_tensor / invoke / get_tensor / resize_tensor_input / signature runner, with
wrong indices). Every call must succeed or raise a clear exception: one of mote's errors or
TypeError / ValueError / KeyError / IndexError / RuntimeError / FileNotFoundError /
IsADirectoryError, with a non-empty message. Valid runs are checked against numpy.

The machine runs in a subprocess, so a segfault fails the test instead of killing pytest.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

COUNTS: collections.Counter = collections.Counter()  # calls made by name, printed by the child
pytestmark = pytest.mark.filterwarnings("ignore:onnx.checker")
ALLOWED = (TypeError, ValueError, KeyError, IndexError, RuntimeError, FileNotFoundError, IsADirectoryError)


def test_call_sequences_in_a_subprocess(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    proc = subprocess.run([sys.executable, __file__, str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=300)
    tail = (proc.stdout + proc.stderr)[-6000:]
    assert proc.returncode == 0, f"exit status {proc.returncode} (negative: killed by a signal)\n{tail}"
    assert "call sequences: ok" in proc.stdout, tail


# ---------------------------------------------------------------------------------------------
# argument checks the machine found missing (each was an OverflowError from cffi, a TypeError from a
# comparison, or a path taken for bytes): direct regression tests

@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("callseq")
    _build(tmp)
    return tmp


@pytest.mark.parametrize("shape", [(2**31, 3), (2, 2**40)])
def test_resize_to_dims_beyond_int32(files: Path, shape: tuple) -> None:
    import mote
    from mote.runtime import InputShapeError
    with mote.load(files / "binary.mote") as m:
        with pytest.raises(InputShapeError, match="< 2\\^31"):
            m.resize_input("a", shape)
        assert m.inputs[0].shape == (2, 3)
        with pytest.raises(InputShapeError, match="< 2\\^31"):
            mote.load(files / "binary.mote", input_shapes={"a": shape})


def test_interpreter_resize_beyond_int32_then_allocate(files: Path) -> None:
    from mote import Interpreter
    it = Interpreter(model_path=str(files / "binary.mote"))
    with pytest.raises(ValueError, match="< 2\\^31"):
        it.resize_tensor_input(0, (2**40, 3))
    it.allocate_tensors()
    it.invoke()


@pytest.mark.parametrize("threads", [2**31, 2**40])
def test_thread_counts_beyond_int32(files: Path, threads: int) -> None:
    import mote
    with pytest.raises(ValueError, match="num_threads"):
        mote.load(files / "unary.mote", num_threads=threads)
    with mote.load(files / "unary.mote") as m, pytest.raises(ValueError, match="num_threads"):
        m.clone(threads)
    with pytest.raises(ValueError, match="num_threads"):
        mote.Interpreter(model_path=str(files / "unary.mote"), num_threads=threads)


def test_interpreter_num_threads_of_the_wrong_type(files: Path) -> None:
    from mote import Interpreter
    with pytest.raises(TypeError, match="num_threads must be an int"):
        Interpreter(model_path=str(files / "unary.mote"), num_threads="2")


def test_interpreter_model_content_must_be_bytes(files: Path) -> None:
    from mote import Interpreter
    with pytest.raises(TypeError, match="model_content must be the model's bytes"):
        Interpreter(model_content=str(files / "unary.mote"))  # a path string, not taken as a path


def test_interpreter_resize_after_close(files: Path) -> None:
    from mote import Interpreter
    from mote.runtime import ModelClosedError
    it = Interpreter(model_path=str(files / "binary.mote"))
    it.close()
    with pytest.raises(ModelClosedError):
        it.resize_tensor_input(0, (3, 3))


def test_wrong_file_kinds_and_paths(files: Path) -> None:
    import mote
    with pytest.raises(mote.MoteError, match="not a mote model"):
        mote.load(files / "unary.onnx")
    with pytest.raises(IsADirectoryError):
        mote.load(files / "dir.mote")
    with pytest.raises(FileNotFoundError):
        mote.load(files / "missing.mote")
    with pytest.raises(mote.ConversionError, match="not an ONNX model"):
        mote.convert(files / "unary.mote")
    with pytest.raises(mote.ConversionError, match="is a directory"):
        mote.convert(files / "dir.mote")
    with pytest.raises(mote.ConversionError, match="no such file"):
        mote.convert(files / "missing.onnx")


@pytest.mark.parametrize("dims", ["ab", None, (1.5, 4), (-1, 4), (2**40, 4)])
def test_convert_input_shapes_checked(files: Path, dims: object) -> None:
    import mote
    with pytest.raises(mote.ConversionError, match=r"input_shapes\['x'\]"):
        mote.convert(files / "unary.onnx", input_shapes={"x": dims})


# ---------------------------------------------------------------------------------------------
# the machine (runs in the child process)

def _build(tmp: Path) -> dict:
    """Two .mote models (two inputs: sum and product; one input: relu(x * 2)) and wrong-kind files."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    import mote

    def model(nodes: list, inputs: dict, outputs: list, inits: list) -> onnx.ModelProto:
        g = helper.make_graph(nodes, "m", [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s))
                                           for n, s in inputs.items()],
                              [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
                              initializer=inits)
        return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)

    binary = model([helper.make_node("Add", ["a", "b"], ["sum"]), helper.make_node("Mul", ["a", "b"], ["prod"])],
                   {"a": (2, 3), "b": (2, 3)}, ["sum", "prod"], [])
    unary = model([helper.make_node("Mul", ["x", "two"], ["t"]), helper.make_node("Relu", ["t"], ["y"])],
                  {"x": (1, 4)}, ["y"], [numpy_helper.from_array(np.full((1, 1), 2, np.float32), "two")])
    files = {}
    for name, m in (("binary", binary), ("unary", unary)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the outputs have no declared shape
            data = mote.convert(m)
        (tmp / f"{name}.mote").write_bytes(data)
        files[name] = data
    onnx.save(unary, tmp / "unary.onnx")
    (tmp / "dir.mote").mkdir(exist_ok=True)
    (tmp / "empty.mote").write_bytes(b"")
    (tmp / "truncated.mote").write_bytes(files["binary"][:100])
    return files


def _oracle(name: str, feeds: dict) -> dict:
    if name == "binary":
        return {"sum": feeds["a"] + feeds["b"], "prod": feeds["a"] * feeds["b"]}
    return {"y": np.maximum(feeds["x"] * 2, 0)}


def _machine(tmp: Path):  # noqa: C901  (one rule per public call)
    from hypothesis import strategies as st
    from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule

    import mote
    from mote import Interpreter, MoteError

    files = _build(tmp)
    allowed = ALLOWED + (MoteError,)

    def call(fn, *args, **kwargs):
        """(True, result) or (False, exception) for an allowed exception with a message."""
        COUNTS[getattr(fn, "__name__", type(fn).__name__)] += 1
        try:
            return True, fn(*args, **kwargs)
        except allowed as e:
            assert str(e).strip() and str(e) not in ("''", '""'), f"{type(e).__name__} with no message"
            return False, e

    def expect_fail(fn, *args, **kwargs):
        ok, res = call(fn, *args, **kwargs)
        assert not ok, f"{getattr(fn, '__name__', fn)}{args} succeeded, should have been refused"
        return res

    names = st.sampled_from(["binary", "unary"])
    dims = st.integers(1, 4)

    def valid_feeds(model, rng):
        return {s.name: rng.standard_normal(s.shape).astype(np.float32) for s in model.inputs}

    def bad_feeds(model, kind: int, rng):
        specs = model.inputs
        good = valid_feeds(model, rng)
        first = specs[0].name
        if kind == 0:
            return {**good, "nope": good[first]}
        if kind == 1:
            return {k: v for k, v in good.items() if k != first}
        if kind == 2:
            return {**good, first: good[first].astype(np.float64)}
        if kind == 3:
            return {**good, first: np.zeros(specs[0].shape + (1,), np.float32)}
        if kind == 4:
            return {**good, first: good[first].tolist()}
        if kind == 5:
            return {**good, first: np.zeros((0,), np.float32)}
        if kind == 6:
            return {**good, first: None}
        if kind == 7:
            return [good[first]]
        if kind == 8:
            return "x"
        if kind == 9:
            return {**good, first: np.zeros(specs[0].shape, object)}
        if kind == 10:
            return {**good, 3: good[first]}
        return {**good, first: np.float32(1.0)}

    class Calls(RuleBasedStateMachine):
        models = Bundle("models")
        interps = Bundle("interps")

        def __init__(self) -> None:
            super().__init__()
            self.rng = np.random.default_rng(0)
            self.owned: list = []
            self.kind: dict[int, str] = {}

        def teardown(self) -> None:
            for obj in self.owned:
                obj.close()

        # -- loading -----------------------------------------------------------
        @rule(target=models, name=names, how=st.sampled_from(["path", "pathlib", "bytes", "bytearray", "memoryview"]),
              threads=st.sampled_from([None, 1, 2]))
        def load(self, name, how, threads):
            src = {"path": str(tmp / f"{name}.mote"), "pathlib": tmp / f"{name}.mote", "bytes": files[name],
                   "bytearray": bytearray(files[name]), "memoryview": memoryview(files[name])}[how]
            m = mote.load(src, num_threads=threads)
            self.owned.append(m)
            self.kind[id(m)] = name
            return m

        @rule(src=st.sampled_from(["missing.mote", "dir.mote", "unary.onnx", "empty.mote", "truncated.mote",
                                   b"", b"\x00" * 64, b"MOTE" * 10, 3, None, 1.5, ["a"]]),
              threads=st.sampled_from([1, 0, -1, "2", 1.5, True]))
        def load_bad(self, src, threads):
            src = tmp / src if isinstance(src, str) else src
            ok, m = call(mote.load, src, num_threads=threads)
            assert not ok, f"mote.load({src!r}, num_threads={threads!r}) succeeded"

        @rule(name=names, how=st.sampled_from(["path", "bytes"]),
              limit=st.sampled_from(["max_arena_bytes", "max_model_bytes"]),
              value=st.sampled_from([None, 0, 1, 64, 10**9, 2**63, 2**70, -1, 1.5, "x", True]))
        def load_with_limits(self, name, how, limit, value):
            src = tmp / f"{name}.mote" if how == "path" else files[name]
            ok, m = call(mote.load, src, **{limit: value})
            if ok:
                if m.inputs:
                    call(m.resize_input, 0, (3, 3))
                m.close()

        @rule(name=names, shapes=st.sampled_from([{0: (2, 2)}, {"zz": (1, 1)}, {0: (0, 3)}, "x", {0: "ab"}]))
        def load_with_input_shapes(self, name, shapes):
            ok, m = call(mote.load, tmp / f"{name}.mote", input_shapes=shapes)
            if ok:
                m.close()

        # -- running -----------------------------------------------------------
        @rule(m=models, layout=st.sampled_from(["dict", "single", "fortran", "strided", "bigendian"]))
        def run_valid(self, m, layout):
            feeds = valid_feeds(m, self.rng) if not m.closed else {"x": np.zeros(1, np.float32)}
            expected = _oracle(self.kind[id(m)], feeds) if not m.closed else None
            if layout == "fortran":
                feeds = {k: np.asfortranarray(v) for k, v in feeds.items()}
            elif layout == "strided":
                feeds = {k: np.repeat(v, 2, axis=-1)[..., ::2] for k, v in feeds.items()}
            elif layout == "bigendian":
                feeds = {k: v.astype(">f4") for k, v in feeds.items()}
            arg = next(iter(feeds.values())) if layout == "single" else feeds
            ok, out = call(m.run, arg)
            if m.closed:
                assert not ok and isinstance(out, mote.runtime.ModelClosedError), out
                return
            if layout == "single" and len(feeds) != 1:
                assert not ok
                return
            assert ok, out
            assert set(out) == set(expected)
            for k, v in expected.items():
                np.testing.assert_allclose(out[k], v, rtol=1e-6, atol=1e-6)

        @rule(m=models, kind=st.integers(0, 11))
        def run_invalid(self, m, kind):
            expect_fail(m.run, bad_feeds(m, kind, self.rng) if not m.closed else {})

        @rule(m=models, key=st.sampled_from([0, 1, -1, 5, "a", "x", "nope", None, 1.0, True]),
              shape=st.one_of(st.tuples(dims, dims), st.sampled_from([
                  (1, 2, 3), (0, 3), (-1, 3), (2**40, 1), (2**31, 1), (1, 2**31 - 1), "ab", None, (1.5, 2),
                  (True, 2), 7])))
        def resize(self, m, key, shape):
            ok, _ = call(m.resize_input, key, shape)
            if ok:
                spec = m.inputs[key if isinstance(key, int) else [s.name for s in m.inputs].index(key)]
                assert spec.shape == tuple(shape)

        @rule(m=models, shapes=st.sampled_from([{}, [], None, {0: (2, 3), 1: (2, 3)}, {"a": (3, 3), "b": (3, 3)},
                                                {"a": (3, 3), "b": (4, 4)}]))
        def resize_many(self, m, shapes):
            call(m.resize_inputs, shapes)

        @rule(target=models, m=models, threads=st.sampled_from([None, 1, 2]))
        def clone(self, m, threads):
            ok, c = call(m.clone, threads)
            if m.closed:
                assert not ok
            if not ok:
                return m
            assert [s.shape for s in c.inputs] == [s.shape for s in m.inputs]
            self.owned.append(c)
            self.kind[id(c)] = self.kind[id(m)]
            return c

        @rule(m=models, threads=st.sampled_from([0, -2, "3", 2.0]))
        def clone_bad_threads(self, m, threads):
            expect_fail(m.clone, threads)

        @rule(m=models)
        def close(self, m):
            m.close()
            m.close()
            assert m.closed
            repr(m)

        @rule(m=models, prop=st.sampled_from(["inputs", "outputs", "metadata", "operator_count", "tensor_count",
                                              "arena_size", "closed", "num_threads"]))
        def read_property(self, m, prop):
            ok, value = call(getattr, m, prop)
            if m.closed and prop in ("metadata", "operator_count", "tensor_count", "arena_size"):
                assert not ok
            elif not m.closed:
                assert ok, value

        # -- the LiteRT-style Interpreter ----------------------------------------
        @rule(target=interps, name=names, how=st.sampled_from(["path", "content"]))
        def interpreter(self, name, how):
            kwargs = {"model_path": str(tmp / f"{name}.mote")} if how == "path" else {"model_content": files[name]}
            it = Interpreter(**kwargs)
            self.owned.append(it)
            self.kind[id(it)] = name
            return it

        @rule(kwargs=st.sampled_from([{}, {"model_path": "a", "model_content": b"b"},
                                      {"model_path": "missing.mote"}, {"model_path": "dir.mote"},
                                      {"model_path": "unary.onnx"}, {"model_content": b"junk"},
                                      {"model_content": 5}, {"model_path": 5}]))
        def interpreter_bad(self, kwargs):
            kwargs = {k: (str(tmp / v) if k == "model_path" and isinstance(v, str) else v) for k, v in kwargs.items()}
            expect_fail(Interpreter, **kwargs)

        @rule(it=interps)
        def allocate(self, it):
            call(it.allocate_tensors)

        @rule(it=interps, index=st.sampled_from([0, 1, 2, 3, -1, 99, "0", None, 1.0]),
              value=st.sampled_from(["good", "wrong_shape", "wrong_dtype", "list", "none"]))
        def set_tensor(self, it, index, value):
            details = {d["index"]: d for d in it.get_input_details()}
            d = details.get(index) if isinstance(index, int) else None
            shape = tuple(d["shape"]) if d is not None else (1,)
            v = {"good": np.ones(shape, np.float32), "wrong_shape": np.ones(shape + (2,), np.float32),
                 "wrong_dtype": np.ones(shape, np.int32), "list": np.ones(shape, np.float32).tolist(),
                 "none": None}[value]
            ok, _ = call(it.set_tensor, index, v)
            if d is None or value in ("wrong_shape", "wrong_dtype", "none"):
                assert not ok

        @rule(it=interps)
        def invoke(self, it):
            call(it.invoke)

        @rule(it=interps, index=st.sampled_from([0, 1, 2, 3, 4, -1, 99, "1", None]),
              sub=st.sampled_from([0, 0, 1]))
        def get_tensor(self, it, index, sub):
            ok, v = call(it.get_tensor, index, sub)
            if ok:
                assert isinstance(v, np.ndarray)

        @rule(it=interps, index=st.sampled_from([0, 1, 5, -1, "a"]),
              shape=st.sampled_from([(2, 3), (1, 4), (3, 3), (2, 4), (0, 4), (1, 4, 1), (2**40, 4), "x", None]),
              strict=st.booleans())
        def resize_tensor_input(self, it, index, shape, strict):
            call(it.resize_tensor_input, index, shape, strict)

        @rule(it=interps, key=st.sampled_from([None, "serving_default", "other"]))
        def signature(self, it, key):
            ok, runner = call(it.get_signature_runner, key)
            if not ok:
                return
            feeds = {s.name: np.ones(s.shape, np.float32) for s in it.model.inputs} if not it.model.closed else {}
            ok, out = call(runner, **feeds)
            if ok:
                assert set(out) == {s.name for s in it.model.outputs}

        @rule(it=interps)
        def details(self, it):
            it.get_input_details()
            it.get_output_details()
            it.get_signature_list()

        @rule(it=interps)
        def close_interpreter(self, it):
            it.close()
            it.close()
            expect_fail(it.invoke)
            expect_fail(it.get_tensor, 0)

    return Calls


def main(tmp: Path) -> None:
    from hypothesis import HealthCheck, settings

    Calls = _machine(tmp)
    Calls.TestCase.settings = settings(max_examples=int(os.environ.get("MOTE_CALLSEQ_EXAMPLES", "300")),
                                       stateful_step_count=40, derandomize=True, deadline=None, database=None,
                                       suppress_health_check=list(HealthCheck))
    import unittest
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Calls.TestCase))
    if not result.wasSuccessful():
        sys.exit(1)
    print(f"call sequences: ok ({sum(COUNTS.values())} checked calls: {dict(COUNTS.most_common())})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
