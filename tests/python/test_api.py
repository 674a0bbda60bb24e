"""The Python API: mote.load / Model.run, errors a caller can make, lifetime."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pytest
from helpers import assert_outputs_close, ort_run

import mote
from mote.runtime import (
    InputDtypeError,
    InputNameError,
    InputShapeError,
    MissingInputError,
    ModelClosedError,
)


def feeds_for(conv, rng) -> dict[str, np.ndarray]:
    feeds = {}
    for vi in conv.onnx_model.graph.input:
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        feeds[vi.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


def test_specs_from_path(binary):
    with mote.load(binary.path) as model:
        assert [s.name for s in model.inputs] == ["a", "b"]
        assert [s.name for s in model.outputs] == ["sum", "prod"]
        for s in model.inputs + model.outputs:
            assert s.shape == (2, 3)
            assert s.dtype == np.dtype(np.float32)
            assert s.quantization is None


def test_nchw_input_keeps_source_layout(affine):
    with mote.load(str(affine.path)) as model:
        assert model.inputs[0].shape == (1, 3, 8, 8)
        assert model.outputs[0].shape == (1, 3, 8, 8)


def test_run_dict_matches_ort(binary, rng):
    feeds = feeds_for(binary, rng)
    with mote.load(binary.path) as model:
        got = model.run(feeds)
    assert list(got) == ["sum", "prod"]
    assert_outputs_close(got, ort_run(binary.onnx_model, feeds))


def test_load_from_bytes_equals_path(cnn, rng):
    feeds = feeds_for(cnn, rng)
    with mote.load(cnn.data) as from_bytes, mote.load(cnn.path) as from_path:
        a, b = from_bytes.run(feeds), from_path.run(feeds)
    np.testing.assert_array_equal(a["probs"], b["probs"])
    assert_outputs_close(a, ort_run(cnn.onnx_model, feeds))
    with mote.load(bytearray(cnn.data)) as m:
        np.testing.assert_array_equal(m.run(feeds)["probs"], a["probs"])


def test_single_array_and_call(affine, rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    with mote.load(affine.path) as model:
        by_dict = model.run({"x": x})
        by_array = model.run(x)
        by_call = model(x)
    ref = ort_run(affine.onnx_model, {"x": x})
    assert_outputs_close(by_dict, ref)
    np.testing.assert_array_equal(by_array["y"], by_dict["y"])
    np.testing.assert_array_equal(by_call["y"], by_dict["y"])


def test_outputs_are_copies(affine, rng):
    x1 = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    x2 = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    with mote.load(affine.path) as model:
        first = model.run(x1)["y"]
        keep = first.copy()
        first[...] = 123.0  # writing into a result must not touch the model
        second = model.run(x2)["y"]
        assert first is not second
        np.testing.assert_array_equal(model.run(x1)["y"], keep)
    assert not np.array_equal(keep, second)
    assert second.flags.writeable and second.flags.owndata


def test_non_contiguous_input(affine, rng):
    big = rng.standard_normal((1, 3, 8, 16)).astype(np.float32)
    x = big[..., ::2]
    assert not x.flags.c_contiguous
    fortran = np.asfortranarray(rng.standard_normal((1, 3, 8, 8)).astype(np.float32))
    with mote.load(affine.path) as model:
        np.testing.assert_array_equal(model.run(x)["y"], model.run(np.ascontiguousarray(x))["y"])
        np.testing.assert_array_equal(model.run(fortran)["y"], model.run(np.ascontiguousarray(fortran))["y"])
    assert_outputs_close({"y": model_y(affine, x)}, ort_run(affine.onnx_model, {"x": np.ascontiguousarray(x)}))


def test_byte_swapped_input_is_the_same_type(affine, rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    with mote.load(affine.path) as model:
        np.testing.assert_array_equal(model.run(x.astype(">f4"))["y"], model.run(x)["y"])


def model_y(conv, x):
    with mote.load(conv.path) as model:
        return model.run({"x": x})["y"]


def test_threads_option(cnn, rng):
    feeds = feeds_for(cnn, rng)
    with mote.load(cnn.path, num_threads=2) as m2, mote.load(cnn.path, num_threads=1) as m1:
        assert m2.num_threads == 2
        assert_outputs_close(m2.run(feeds), m1.run(feeds))
    with pytest.raises(ValueError, match="num_threads must be >= 1"):
        mote.load(cnn.path, num_threads=0)
    with pytest.raises(TypeError, match="num_threads must be an int"):
        mote.load(cnn.path, num_threads=1.5)


def test_model_counts_and_metadata(cnn):
    with mote.load(cnn.path) as model:
        assert model.operator_count >= 3
        assert model.tensor_count >= model.operator_count
        assert model.arena_size > 0
        meta = model.metadata
        assert "converter_version" in meta, dict(meta)
        assert meta["converter_version"] == meta.get("converter_version")
        assert meta.get("no-such-key") is None
        with pytest.raises(KeyError):
            meta["no-such-key"]
        assert "Model" in repr(model)
        # libmote's enumeration agrees with the converter's reader and with libmote's lookup by key
        from mote.converter.reader import read
        from mote.runtime._ffi import ffi

        assert meta == read(cnn.path)["metadata"]
        assert len(meta) >= 3
        for k, v in meta.items():
            assert ffi.string(model._lib.mote_model_metadata(model._native_model(), k.encode())).decode() == v


# -- caller mistakes ----------------------------------------------------


def test_unknown_input_name_lists_valid_names(binary):
    x = np.zeros((2, 3), np.float32)
    with mote.load(binary.path) as model, pytest.raises(KeyError) as info:
        model.run({"a": x, "c": x})
    assert isinstance(info.value, InputNameError)
    msg = str(info.value)
    assert "'c'" in msg and "'a'" in msg and "'b'" in msg, msg


def test_missing_input(binary):
    with mote.load(binary.path) as model, pytest.raises(MissingInputError, match=r"missing input\(s\) 'b'"):
        model.run({"a": np.zeros((2, 3), np.float32)})


def test_wrong_shape(affine):
    with mote.load(affine.path) as model:
        with pytest.raises(InputShapeError) as info:
            model.run({"x": np.zeros((1, 3, 8, 9), np.float32)})
        assert str(info.value) == ("input 'x' expects shape (1, 3, 8, 8), got (1, 3, 8, 9) (to run on "
                                   "(1, 3, 8, 9), first call model.resize_input('x', (1, 3, 8, 9)))")
        assert isinstance(info.value, ValueError)
        with pytest.raises(InputShapeError, match=r"expects shape \(1, 3, 8, 8\), got \(3, 8, 8\)"):
            model.run(np.zeros((3, 8, 8), np.float32))


def test_wrong_dtype_is_not_cast(affine):
    with mote.load(affine.path) as model, pytest.raises(TypeError) as info:
        model.run({"x": np.zeros((1, 3, 8, 8), np.float64)})
    assert isinstance(info.value, InputDtypeError)
    assert isinstance(info.value, ValueError)
    assert "input 'x' expects dtype float32, got float64" in str(info.value)


def test_non_array_input(affine):
    with mote.load(affine.path) as model, pytest.raises(TypeError, match="must be a numpy.ndarray.*got list"):
        model.run({"x": [[0.0] * 8] * 8})


def test_single_array_for_two_inputs(binary):
    with mote.load(binary.path) as model, pytest.raises(TypeError, match="2 inputs.*'a'.*'b'"):
        model.run(np.zeros((2, 3), np.float32))


def test_feeds_of_wrong_type(binary):
    with mote.load(binary.path) as model, pytest.raises(TypeError, match="feeds must be a dict"):
        model.run([np.zeros((2, 3), np.float32)] * 2)


def test_closed_model(affine):
    model = mote.load(affine.path)
    model.close()
    model.close()  # idempotent
    assert model.closed
    with pytest.raises(ModelClosedError, match="closed"):
        model.run(np.zeros((1, 3, 8, 8), np.float32))
    with pytest.raises(ModelClosedError):
        _ = model.metadata
    with mote.load(affine.path) as m2:
        pass
    with pytest.raises(ValueError, match="closed"):
        m2(np.zeros((1, 3, 8, 8), np.float32))


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.mote"
    with pytest.raises(FileNotFoundError) as info:
        mote.load(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(IsADirectoryError):
        mote.load(tmp_path)


def test_not_a_path_or_bytes():
    with pytest.raises(TypeError, match="path or bytes"):
        mote.load(42)


@pytest.mark.parametrize("how", ["garbage", "truncated", "onnx"])
def test_not_a_mote_file(tmp_path, cnn, how):
    data = {"garbage": b"this is not a model at all" * 10, "truncated": cnn.data[: len(cnn.data) // 2],
            "onnx": cnn.onnx_path.read_bytes()}[how]
    path = tmp_path / "bad.mote"
    path.write_bytes(data)
    for source in (path, data):
        with pytest.raises(mote.MoteError) as info:
            mote.load(source)
        err = info.value
        assert err.status_name == "MOTE_ERROR_INVALID_MODEL", err
        assert err.message, "libmote should say what is wrong"
        assert err.message in str(err)
        assert isinstance(err, RuntimeError)


def test_empty_bytes():
    with pytest.raises(mote.MoteError):
        mote.load(b"")


# -- threads and lifetime -------------------------------------------------


def test_one_model_shared_by_threads(cnn, rng):
    inputs = [rng.standard_normal((1, 3, 8, 8)).astype(np.float32) for _ in range(8)]
    with mote.load(cnn.path) as model:
        expected = [model.run(x)["probs"] for x in inputs]
        errors: list[str] = []

        def work(k: int) -> None:
            for j in range(50):
                i = (k + j) % len(inputs)
                got = model.run(inputs[i])["probs"]
                if not np.array_equal(got, expected[i]):
                    errors.append(f"thread {k} iteration {j}")

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors[:5]


def test_clones_share_the_model_and_run_in_parallel(cnn, rng):
    inputs = [rng.standard_normal((1, 3, 8, 8)).astype(np.float32) for _ in range(4)]
    base = mote.load(cnn.path)
    expected = [base.run(x)["probs"] for x in inputs]
    clones = [base.clone() for _ in range(3)]
    assert clones[0].num_threads == 1 and base.clone(num_threads=2).num_threads == 2
    assert clones[0].inputs == base.inputs and clones[0].metadata == base.metadata
    base.close()  # the clones keep the shared model alive
    errors: list[str] = []

    def work(k: int, m: mote.Model) -> None:
        for j in range(100):
            i = (k + j) % len(inputs)
            if not np.array_equal(m.run(inputs[i])["probs"], expected[i]):
                errors.append(f"clone {k} iteration {j}")

    threads = [threading.Thread(target=work, args=(k, m)) for k, m in enumerate(clones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:5]
    for m in clones:
        m.close()
    with pytest.raises(ModelClosedError):
        base.clone()


def test_garbage_collected_without_close(affine):
    # the finalizer frees the native objects; a fresh load afterwards still works
    for _ in range(20):
        m = mote.load(affine.path)
        m.run(np.zeros((1, 3, 8, 8), np.float32))
        del m
    with mote.load(affine.path) as m:
        assert m.run(np.zeros((1, 3, 8, 8), np.float32))["y"].shape == (1, 3, 8, 8)


# -- package surface ----------------------------------------------------


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_import_mote_does_not_import_onnx():
    r = run_python("import sys, mote; mote.load; mote.Interpreter; "
                   "print('onnx' in sys.modules, 'mote.converter' in sys.modules)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "False"]


def test_lazy_convert_export():
    from mote.converter import ConversionError, convert

    assert mote.convert is convert
    assert mote.ConversionError is ConversionError
    assert isinstance(mote.__version__, str) and mote.__version__
    with pytest.raises(AttributeError):
        _ = mote.no_such_thing


def test_library_not_found_message(tmp_path):
    r = run_python("import mote; mote.runtime_version()", MOTE_LIBRARY=str(tmp_path / "libmissing.so"))
    assert r.returncode != 0
    assert "libmote" in r.stderr and "libmissing.so" in r.stderr


def test_runtime_version():
    v = mote.runtime_version()
    assert v and v[0].isdigit()
