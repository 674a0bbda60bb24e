"""Weight-only quantization (`convert(..., quantize="dynamic" | "fp16")`, `mote convert --quantize`):
the runtime's dynamic-range FULLY_CONNECTED against an exact numpy model of the scheme
(docs/quantization-format.md) and against float; float16 weights against float32 weights
rounded to float16; a model trained on scikit-learn's digits keeps its accuracy within
0.5 point with both modes and its int8 file is under 0.3x the float one."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import mote
from mote.converter import ConversionError, convert
from mote.quantize.weights import quantize_int8_symmetric


def _gemm_model(w: np.ndarray, b: np.ndarray, batch: int) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, w.shape[1]])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, w.shape[0]])
    g = helper.make_graph([helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1)], "fc", [x], [y],
                          [helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.ravel()),
                           helper.make_tensor("b", TensorProto.FLOAT, b.shape, b.ravel())])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _hybrid_oracle(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The dynamic-range scheme in float64: rows quantized asymmetrically over [min, max] with 0
    inside, weights symmetric per output feature, int32 products scaled back."""
    q, sw = quantize_int8_symmetric(w, 0)
    out = np.empty((x.shape[0], w.shape[0]))
    for r, row in enumerate(x):
        lo, hi = min(0.0, float(row.min())), max(0.0, float(row.max()))
        s = np.float32((np.float32(hi) - np.float32(lo)) / np.float32(255.0)) if hi > lo else np.float32(1.0)
        zp = int(np.clip(np.round(np.float32(-128.0) - np.float32(lo) / s), -128, 127))
        xq = np.clip(np.round(row / s) + zp, -128, 127)
        out[r] = (xq - zp) @ q.astype(np.float64).T * (np.float64(s) * sw) + b
    return out


@pytest.mark.parametrize("batch,k,n", [(1, 20, 7), (3, 64, 33), (5, 300, 10)])
def test_dynamic_fc_matches_the_scheme(batch, k, n):
    rng = np.random.default_rng(k)
    w = rng.standard_normal((n, k)).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32)
    x = (rng.standard_normal((batch, k)) * 3 + 0.5).astype(np.float32)
    model = mote.load(convert(_gemm_model(w, b, batch), quantize="dynamic"))
    got = model.run({"x": x})["y"]
    # the scheme, exactly (round-half differences between C and numpy can move one code: tiny)
    want = _hybrid_oracle(x, w, b)
    assert np.abs(got - want).max() <= 1e-3 * np.abs(want).max()
    # and close to float: int8 error, bounded by a few quantization steps per product
    ref = x @ w.T + b
    assert np.abs(got - ref).max() <= 0.03 * np.abs(ref).max()
    info = json.loads(model.metadata["quantization"])
    assert info["mode"] == "dynamic" and info["layers"] == 1
    assert info["weight_bytes_after"] * 4 == info["weight_bytes_before"]


def test_fp16_weights_equal_rounded_float_weights():
    rng = np.random.default_rng(3)
    w = rng.standard_normal((8, 3, 3, 3)).astype(np.float32)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 10, 10])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 10, 10])

    def model(weights: np.ndarray) -> onnx.ModelProto:
        g = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])], "c", [x], [y],
                              [helper.make_tensor("w", TensorProto.FLOAT, weights.shape, weights.ravel())])
        return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)

    half = mote.load(convert(model(w), quantize="fp16"))
    rounded = mote.load(convert(model(w.astype(np.float16).astype(np.float32))))
    feeds = {"x": rng.standard_normal((1, 3, 10, 10)).astype(np.float32)}
    np.testing.assert_array_equal(half.run(feeds)["y"], rounded.run(feeds)["y"])


def test_unknown_mode_is_refused():
    rng = np.random.default_rng(0)
    with pytest.raises(ConversionError, match="unknown quantization mode 'int4'"):
        convert(_gemm_model(rng.standard_normal((4, 4)).astype(np.float32), np.zeros(4, np.float32), 1),
                quantize="int4")


@pytest.fixture(scope="module")
def digits_mlp(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split((d.data / 16.0).astype(np.float32), d.target, test_size=0.25,
                                              random_state=0, stratify=d.target)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                              torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x_tr), torch.from_numpy(y_tr).long()
    for _ in range(30):
        for i in range(0, len(xt), 64):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(xt[i:i + 64]), yt[i:i + 64]).backward()
            opt.step()
    path = tmp_path_factory.mktemp("digits") / "mlp.onnx"
    torch.onnx.export(net.eval(), (torch.zeros(1, 64),), str(path), input_names=["x"], output_names=["y"],
                      opset_version=17, dynamo=False)
    return path, x_te, y_te


def _accuracy(data: bytes, x: np.ndarray, y: np.ndarray) -> float:
    m = mote.load(data)
    pred = [int(m.run({"x": row[None]})["y"].argmax()) for row in x]
    return float(np.mean(np.array(pred) == y))


def test_digits_accuracy_and_size(digits_mlp):
    path, x, y = digits_mlp
    f, d, h = convert(str(path)), convert(str(path), quantize="dynamic"), convert(str(path), quantize="fp16")
    acc = {name: _accuracy(data, x, y) for name, data in [("float", f), ("dynamic", d), ("fp16", h)]}
    assert acc["float"] > 0.9, acc
    assert abs(acc["dynamic"] - acc["float"]) <= 0.005 and abs(acc["fp16"] - acc["float"]) <= 0.005, acc
    assert len(d) <= 0.3 * len(f), (len(d), len(f))
    assert len(h) <= 0.55 * len(f), (len(h), len(f))


def test_cli_quantize_prints_a_summary(digits_mlp, tmp_path):
    path, _, _ = digits_mlp
    out = tmp_path / "q.mote"
    proc = subprocess.run([sys.executable, "-m", "mote.converter.cli", "convert", str(path), "-o", str(out),
                           "--quantize", "dynamic"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "quantized (dynamic): 3 layers" in proc.stdout, proc.stdout
    assert mote.load(str(out)).run({"x": np.zeros((1, 64), np.float32)})["y"].shape == (1, 10)
