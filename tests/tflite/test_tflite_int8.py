"""int8 .tflite models (built with the flatbuffer builder: per-channel and per-tensor weights,
int32 biases, asymmetric activations) converted by mote and compared with LiteRT: bit-exact
against its reference kernels (TFLite's integer arithmetic is mote's), within 1 LSB of its
default kernels (XNNPACK requantizes differently). TensorFlow-made int8 models:
tf_int8_check.py (tox env tflite-tf)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter, OpResolverType
from builder import ModelBuilder, options, s

import mote
from mote.converter import ConversionError, convert


def _litert(data: bytes, x: np.ndarray, kind: OpResolverType) -> np.ndarray:
    it = Interpreter(model_content=data, experimental_op_resolver_type=kind)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


def _weights(rng: np.random.Generator, shape: tuple[int, ...], axis: int | None) -> tuple[np.ndarray, tuple]:
    """Symmetric int8 weights and their quantization: per channel along `axis` (None: per tensor)."""
    w = rng.integers(-127, 128, shape).astype(np.int8)
    if axis is None:
        return w, (0.004, 0)
    n = shape[axis]
    return w, (list(rng.uniform(0.002, 0.01, n)), [0] * n, axis)


def _bias(rng: np.random.Generator, n: int, in_scale: float, w_quant: tuple) -> tuple[np.ndarray, tuple]:
    scales = np.asarray(w_quant[0] if len(w_quant) == 3 else [w_quant[0]] * n, np.float64) * in_scale
    b = rng.integers(-2000, 2000, n).astype(np.int32)
    return b, (list(scales), [0] * n, 0) if len(w_quant) == 3 else (float(scales[0]), 0)


X_Q = (0.05, -3)  # input activations: scale, zero point


def conv_model(rng, *, depthwise=False, per_channel=True, stride=1, padding="SAME", act=0, bias=True,
               shape=(1, 9, 10, 4), out_c=6, mult=2, k=3) -> bytes:
    b = ModelBuilder()
    b.input("x", shape, np.int8, quant=X_Q)
    c = shape[3]
    if depthwise:
        out_c = c * mult
        w, wq = _weights(rng, (1, k, k, out_c), 3 if per_channel else None)
    else:
        w, wq = _weights(rng, (out_c, k, k, c), 0 if per_channel else None)
    b.tensor("w", w.shape, np.int8, data=w, quant=wq)
    ins = ["x", "w"]
    if bias:
        bias_v, bq = _bias(rng, out_c, X_Q[0], wq)
        b.tensor("b", bias_v.shape, np.int32, data=bias_v, quant=bq)
        ins.append("b")
    pad = s.Padding.SAME if padding == "SAME" else s.Padding.VALID
    oh = -(-shape[1] // stride) if padding == "SAME" else (shape[1] - k) // stride + 1
    ow = -(-shape[2] // stride) if padding == "SAME" else (shape[2] - k) // stride + 1
    b.tensor("y", (1, oh, ow, out_c), np.int8, quant=(0.08, 5))
    if depthwise:
        opts = options("DepthwiseConv2DOptions", strideH=stride, strideW=stride, padding=pad, depthMultiplier=mult,
                       fusedActivationFunction=act)
        b.op("DEPTHWISE_CONV_2D", ins, ["y"], opts, version=3)
    else:
        opts = options("Conv2DOptions", strideH=stride, strideW=stride, padding=pad, fusedActivationFunction=act)
        b.op("CONV_2D", ins, ["y"], opts, version=3)
    b.output("y")
    return b.build()


def fc_model(rng, *, per_channel=False, act=0, rows=3, n_in=20, n_out=7) -> bytes:
    b = ModelBuilder()
    b.input("x", (rows, n_in), np.int8, quant=X_Q)
    w, wq = _weights(rng, (n_out, n_in), 0 if per_channel else None)
    b.tensor("w", w.shape, np.int8, data=w, quant=wq)
    bias_v, bq = _bias(rng, n_out, X_Q[0], wq)
    b.tensor("b", bias_v.shape, np.int32, data=bias_v, quant=bq)
    b.tensor("y", (rows, n_out), np.int8, quant=(0.1, -2))
    b.op("FULLY_CONNECTED", ["x", "w", "b"], ["y"], options("FullyConnectedOptions", fusedActivationFunction=act),
         version=5 if per_channel else 4)
    b.output("y")
    return b.build()


def add_model(rng, *, sub=False, b_shape=(1, 4, 5, 3), act=0) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 4, 5, 3), np.int8, quant=X_Q)
    other = rng.integers(-128, 128, b_shape).astype(np.int8)
    b.tensor("c", b_shape, np.int8, data=other, quant=(0.03, 10))
    b.tensor("y", (1, 4, 5, 3), np.int8, quant=(0.07, -1))
    b.op("SUB" if sub else "ADD", ["x", "c"], ["y"],
         options("SubOptions" if sub else "AddOptions", fusedActivationFunction=act), version=2)
    b.output("y")
    return b.build()


def pool_model(rng, *, kind="MAX_POOL_2D", padding="VALID", f=2, stride=2, act=0) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 7, 9, 3), np.int8, quant=X_Q)
    pad = s.Padding.SAME if padding == "SAME" else s.Padding.VALID
    oh = -(-7 // stride) if padding == "SAME" else (7 - f) // stride + 1
    ow = -(-9 // stride) if padding == "SAME" else (9 - f) // stride + 1
    b.tensor("y", (1, oh, ow, 3), np.int8, quant=X_Q)
    b.op(kind, ["x"], ["y"], options("Pool2DOptions", strideH=stride, strideW=stride, filterHeight=f, filterWidth=f,
                                     padding=pad, fusedActivationFunction=act), version=2)
    b.output("y")
    return b.build()


def quant_chain_model(rng, *, uint8=False) -> bytes:
    """float -> QUANTIZE -> RESHAPE -> (requantize) -> DEQUANTIZE -> float."""
    b = ModelBuilder()
    b.input("x", (2, 6), np.float32)
    dt, zp = (np.uint8, 120) if uint8 else (np.int8, -4)
    b.tensor("q", (2, 6), dt, quant=(0.02, zp))
    b.op("QUANTIZE", ["x"], ["q"], version=2)
    b.const("shape", np.array([3, 4], np.int32))
    b.tensor("r", (3, 4), dt, quant=(0.02, zp))
    b.op("RESHAPE", ["q", "shape"], ["r"], options("ReshapeOptions", newShape=[3, 4]))
    b.tensor("r2", (3, 4), np.int8, quant=(0.03, 7))
    b.op("QUANTIZE", ["r"], ["r2"], version=2)
    b.tensor("y", (3, 4), np.float32)
    b.op("DEQUANTIZE", ["r2"], ["y"], version=2)
    b.output("y")
    return b.build()


def mean_model(rng, *, keep_dims=False, axes=(1, 2)) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 5, 6, 4), np.int8, quant=X_Q)
    b.const("axes", np.array(axes, np.int32))
    shape = [1, 5, 6, 4]
    out = [1 if i in axes else d for i, d in enumerate(shape)] if keep_dims else \
        [d for i, d in enumerate(shape) if i not in axes]
    b.tensor("y", out, np.int8, quant=(0.04, 3))
    b.op("MEAN", ["x", "axes"], ["y"], options("ReducerOptions", keepDims=keep_dims), version=2)
    b.output("y")
    return b.build()


def softmax_model(rng, *, beta=1.0) -> bytes:
    b = ModelBuilder()
    b.input("x", (2, 10), np.int8, quant=(0.1, 4))
    b.tensor("y", (2, 10), np.int8, quant=(1 / 256, -128))
    b.op("SOFTMAX", ["x"], ["y"], options("SoftmaxOptions", beta=beta), version=2)
    b.output("y")
    return b.build()


def pad_model(rng) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 4, 5, 3), np.int8, quant=X_Q)
    b.const("pads", np.array([[0, 0], [1, 2], [0, 1], [0, 0]], np.int32))
    b.tensor("y", (1, 7, 6, 3), np.int8, quant=X_Q)
    b.op("PAD", ["x", "pads"], ["y"], version=2)
    b.output("y")
    return b.build()


def activation_model(rng, op: str, out_q: tuple, opts=None, version: int = 2) -> bytes:
    b = ModelBuilder()
    b.input("x", (2, 3, 40), np.int8, quant=(0.06, 7))
    b.tensor("y", (2, 3, 40), np.int8, quant=out_q)
    b.op(op, ["x"], ["y"], opts, version=version)
    b.output("y")
    return b.build()


def mul_model(rng, *, b_shape=(1, 1, 5, 3), act=0) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 4, 5, 3), np.int8, quant=X_Q)
    other = rng.integers(-128, 128, b_shape).astype(np.int8)
    b.tensor("c", b_shape, np.int8, data=other, quant=(0.02, -6))
    b.tensor("y", (1, 4, 5, 3), np.int8, quant=(0.015, 3))
    b.op("MUL", ["x", "c"], ["y"], options("MulOptions", fusedActivationFunction=act), version=2)
    b.output("y")
    return b.build()


def concat_model(rng, *, same_params=True) -> bytes:
    b = ModelBuilder()
    b.input("x", (1, 4, 5, 3), np.int8, quant=X_Q)
    other = rng.integers(-128, 128, (1, 4, 5, 2)).astype(np.int8)
    b.tensor("c", other.shape, np.int8, data=other, quant=X_Q if same_params else (0.09, 12))
    b.tensor("y", (1, 4, 5, 5), np.int8, quant=X_Q if same_params else (0.07, -5))
    b.op("CONCATENATION", ["x", "c"], ["y"], options("ConcatenationOptions", axis=3))
    b.output("y")
    return b.build()


CASES: dict[str, Callable[[np.random.Generator], bytes]] = {
    "conv_same_per_channel": lambda r: conv_model(r),
    "conv_stride2_relu6": lambda r: conv_model(r, stride=2, act=3),
    "conv_valid_per_tensor_relu": lambda r: conv_model(r, per_channel=False, padding="VALID", act=1),
    "conv_1x1": lambda r: conv_model(r, k=1, out_c=9),
    "depthwise_mult2": lambda r: conv_model(r, depthwise=True),
    "depthwise_stride2_relu6": lambda r: conv_model(r, depthwise=True, mult=1, stride=2, act=3),
    "fc_per_tensor": lambda r: fc_model(r),
    "fc_per_channel_relu": lambda r: fc_model(r, per_channel=True, act=1),
    "add_same_shape": lambda r: add_model(r),
    "add_broadcast_relu": lambda r: add_model(r, b_shape=(1, 1, 5, 3), act=1),
    "sub": lambda r: add_model(r, sub=True),
    "maxpool": lambda r: pool_model(r),
    "maxpool_same_relu": lambda r: pool_model(r, padding="SAME", f=3, act=1),
    "avgpool": lambda r: pool_model(r, kind="AVERAGE_POOL_2D", f=3, stride=2),
    "avgpool_same": lambda r: pool_model(r, kind="AVERAGE_POOL_2D", padding="SAME", f=3, stride=2),
    "quantize_reshape_requantize_dequantize": lambda r: quant_chain_model(r),
    "uint8_quantize_chain": lambda r: quant_chain_model(r, uint8=True),
    "mean_hw": lambda r: mean_model(r),
    "mean_hw_keep_dims": lambda r: mean_model(r, keep_dims=True),
    "mean_last_axis": lambda r: mean_model(r, axes=(3,)),
    "softmax": lambda r: softmax_model(r),
    "softmax_beta": lambda r: softmax_model(r, beta=0.7),
    "pad_with_zero_point": lambda r: pad_model(r),
    "mul_broadcast": lambda r: mul_model(r),
    "mul_relu": lambda r: mul_model(r, b_shape=(1, 4, 5, 3), act=1),
    "concat_same_params": lambda r: concat_model(r),
    "logistic": lambda r: activation_model(r, "LOGISTIC", (1 / 256, -128)),
    "tanh": lambda r: activation_model(r, "TANH", (1 / 128, 0)),
    "hard_swish": lambda r: activation_model(r, "HARD_SWISH", (0.03, -20), version=1),
    "relu": lambda r: activation_model(r, "RELU", (0.04, -128)),
    "relu6": lambda r: activation_model(r, "RELU6", (6 / 255, -128)),
    "leaky_relu": lambda r: activation_model(r, "LEAKY_RELU", (0.05, 10), options("LeakyReluOptions", alpha=0.2)),
}

# ops whose LiteRT int8 kernels compute in their own fixed point: mote's table of the float function
# is checked within 1 LSB of them rather than bit-exact
APPROXIMATE = {"logistic", "tanh", "hard_swish", "leaky_relu", "relu", "relu6"}


@pytest.mark.parametrize("name", list(CASES))
def test_int8_op_matches_litert(name: str, rng: np.random.Generator) -> None:
    data = CASES[name](rng)
    model = mote.load(bytes(convert(data)))
    spec = model.inputs[0]
    for _ in range(3):
        if spec.dtype == np.int8:
            x = rng.integers(-128, 128, spec.shape).astype(np.int8)
        else:
            x = (rng.standard_normal(spec.shape) * 2).astype(np.float32)
        got = model.run({spec.name: x})[model.outputs[0].name]
        ref = _litert(data, x, OpResolverType.BUILTIN_REF)
        assert got.dtype == ref.dtype and got.shape == ref.shape
        if name in APPROXIMATE:
            assert np.abs(got.astype(int) - ref.astype(int)).max() <= 1, f"{name} vs LiteRT's reference kernels"
        else:
            np.testing.assert_array_equal(got, ref, err_msg=f"{name}: not bit-exact with LiteRT's reference kernels")
        fast = _litert(data, x, OpResolverType.AUTO)
        step = 1.0 if got.dtype == np.int8 else 0.03
        assert np.abs(got.astype(np.float64) - fast).max() <= step * (1 + 1e-6), f"{name} vs LiteRT (XNNPACK)"


def test_int8_concat_requantizes_inputs(rng: np.random.Generator) -> None:
    """LiteRT's int8 concat insists on equal parameters; mote requantizes an input whose differ
    (its --quantize int8 can produce them) as TFLite's concat with scaling does:
    round(q * s_in/s_out - zp_in * s_in/s_out) + zp_out, half away from zero."""
    data = concat_model(np.random.default_rng(3), same_params=False)
    other = np.random.default_rng(3).integers(-128, 128, (1, 4, 5, 2)).astype(np.int8)  # the model's constant
    model = mote.load(bytes(convert(data)))
    x = rng.integers(-128, 128, (1, 4, 5, 3)).astype(np.int8)
    got = model.run({model.inputs[0].name: x})[model.outputs[0].name]

    def requant(q, s_in, z_in, s_out=0.07, z_out=-5):
        scale = np.float32(s_in) * (np.float32(1) / np.float32(s_out))
        v = np.asarray(q, np.float32) * scale + np.float32(-z_in) * scale
        return np.clip(np.sign(v) * np.floor(np.abs(v) + 0.5) + z_out, -128, 127).astype(np.int8)

    np.testing.assert_array_equal(got[..., :3], requant(x, X_Q[0], X_Q[1]))
    np.testing.assert_array_equal(got[..., 3:], requant(other, 0.09, 12))


def test_int16_activations_are_refused() -> None:
    b = ModelBuilder()
    b.input("x", (1, 4), np.int16, quant=(0.1, 0))
    b.tensor("y", (1, 4), np.int16, quant=(0.1, 0))
    b.op("RELU", ["x"], ["y"])
    b.output("y")
    with pytest.raises(ConversionError, match="INT16 .*mote runs int8 models"):
        convert(b.build())


def test_int8_op_without_kernel_fails_at_load_naming_it(rng: np.random.Generator) -> None:
    b = ModelBuilder()
    b.input("x", (1, 4), np.int8, quant=X_Q)
    b.tensor("y", (1, 4), np.int8, quant=(0.1, 0))
    b.op("EXP", ["x"], ["y"], version=2)
    b.output("y")
    with pytest.raises(mote.MoteError, match="EXP"):
        mote.load(bytes(convert(b.build())))
