"""Accuracy-guarded mixed precision: the most sensitive layers stay float until the target holds
(output SQNR on the calibration data, or top-1 accuracy on labelled held-out data)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import make_model
from onnx import helper
from test_static_int8 import digits_cnn  # noqa: F401  (the fixture)

import mote
from mote.converter import ConversionError, convert
from mote.quantize.mixed import sqnr_db


def _deep_cnn(rng):
    """Eight 3x3 conv-relu layers; layer 3 puts one channel 50x above the others (the next layer
    scales it back), so its per-tensor int8 output drowns the small channels: a layer that matters."""
    nodes, inits, x = [], {}, "x"
    for k in range(8):
        inits[f"w{k}"] = (rng.standard_normal((8, 8 if k else 3, 3, 3)) / np.sqrt(8 * 9)).astype(np.float32)
        nodes += [helper.make_node("Conv", [x, f"w{k}"], [f"c{k}"], pads=[1, 1, 1, 1]),
                  helper.make_node("Relu", [f"c{k}"], [f"r{k}"])]
        x = f"r{k}"
    inits["w3"][0] *= 50.0
    inits["w4"][:, 0] /= 50.0
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["y"]))
    return make_model(nodes, {"x": (1, 3, 12, 12)}, ["y"], inits)


def _sqnr(a: bytes, b: bytes, feeds: list) -> float:
    ma, mb = mote.load(a), mote.load(b)
    return sqnr_db([ma.run(dict(f)) for f in feeds], [mb.run(dict(f)) for f in feeds])


def test_min_sqnr_keeps_the_fewest_sensitive_layers_float(rng):
    model = _deep_cnn(rng)
    calib = rng.standard_normal((24, 1, 3, 12, 12)).astype(np.float32)
    held_out = [{"x": rng.standard_normal((1, 3, 12, 12)).astype(np.float32)} for _ in range(8)]
    f32 = convert(model)
    pure = convert(model, quantize="int8", calibration={"x": calib})
    base = _sqnr(f32, pure, [{"x": c} for c in calib])
    target = base + 6.0
    mixed = convert(model, quantize="int8", calibration={"x": calib}, min_sqnr=target)
    assert _sqnr(f32, mixed, [{"x": c} for c in calib]) >= target
    meta = json.loads(mote.load(mixed).metadata["quantization"])
    kept = meta["kept_float_for_accuracy"]
    assert 0 < len(kept) < 11 and meta["int8_ops"] > 0, meta
    assert meta["target"] == pytest.approx(target)
    # the gain holds on data the search did not see
    assert _sqnr(f32, mixed, held_out) > _sqnr(f32, pure, held_out) + 3.0
    assert len(pure) < len(mixed) < len(f32)


def test_max_accuracy_drop_is_honored_on_held_out_data(digits_cnn):  # noqa: F811
    path, x_tr, x_te, y_te = digits_cnn
    half = len(x_te) // 2
    eval_x, eval_y, check_x, check_y = x_te[:half], y_te[:half], x_te[half:], y_te[half:]

    def acc(data, x, y):
        m = mote.load(data)
        return float(np.mean([int(m.run({"x": x[i:i + 1]})["logits"].argmax()) == y[i] for i in range(len(x))]))

    f32 = convert(str(path))
    q = convert(str(path), quantize="int8", calibration={"x": x_tr[:100]}, max_accuracy_drop=0.0,
                eval_data=({"x": eval_x}, eval_y))
    assert acc(q, eval_x, eval_y) >= acc(f32, eval_x, eval_y)  # the target, on the data it was given
    assert acc(q, check_x, check_y) >= acc(f32, check_x, check_y) - 0.01  # and on data it never saw
    assert "kept_float_for_accuracy" in json.loads(mote.load(q).metadata["quantization"])


def test_guard_errors(rng):
    model = _deep_cnn(rng)
    calib = {"x": rng.standard_normal((4, 1, 3, 12, 12)).astype(np.float32)}
    with pytest.raises(ConversionError, match="eval_data"):
        convert(model, quantize="int8", calibration=calib, max_accuracy_drop=0.01)
    with pytest.raises(ConversionError, match="one of"):
        convert(model, quantize="int8", calibration=calib, min_sqnr=10.0, max_accuracy_drop=0.01)


def test_cli_min_sqnr(rng, tmp_path):
    model = _deep_cnn(rng)
    src = tmp_path / "deep.onnx"
    src.write_bytes(model.SerializeToString())
    npz = tmp_path / "calib.npz"
    np.savez(npz, x=rng.standard_normal((16, 1, 3, 12, 12)).astype(np.float32))
    proc = subprocess.run([sys.executable, "-m", "mote.converter.cli", "convert", str(src), "-o",
                           str(tmp_path / "q.mote"), "--quantize", "int8", "--calibration", str(npz),
                           "--min-sqnr", "30"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "mixed precision:" in proc.stdout and "kept in float to reach 30" in proc.stdout, proc.stdout
