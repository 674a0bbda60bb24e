"""Models built by TensorFlow's own converter, converted by mote, compared with LiteRT.

It needs tensorflow-cpu and tf-keras (~1.6 GB), so the file name keeps the main suite from
collecting it; tox's `tflite-tf` environment installs them and runs it (part of `tox`):

    pip install tensorflow-cpu==2.21.* tf-keras==2.21.*
    pytest tests/tflite/tf_models_check.py

Keras 3 (TensorFlow's default) converts an LSTM layer to a WHILE loop; the Keras 2 LSTM
(tf-keras) is what TensorFlow's converter fuses into UNIDIRECTIONAL_SEQUENCE_LSTM.
The .tflite files are cached in pytest's cache directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tflite_check import MODEL_REL, check

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402  (after TF_CPP_MIN_LOG_LEVEL; see the docstring)

keras = tf.keras


def _conv_net():
    layers = keras.layers
    inp = keras.Input((32, 32, 3), batch_size=1)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
    y = layers.DepthwiseConv2D(3, padding="same", activation="relu6")(x)
    y = layers.UpSampling2D(interpolation="bilinear")(y)
    y = layers.MaxPooling2D()(y)
    n = layers.UpSampling2D(interpolation="nearest")(layers.AveragePooling2D(2)(x))
    z = layers.Concatenate()([x, y, n])
    z = layers.ZeroPadding2D(((1, 2), (0, 1)))(z)
    z = layers.Conv2D(6, 3, strides=2, dilation_rate=1)(z)
    g = layers.GlobalAveragePooling2D()(z)
    out = layers.Dense(10, activation="softmax")(layers.Dense(16, activation="tanh")(g))
    return keras.Model(inp, out)


def _mobilenet_block():
    """Inverted residual blocks with squeeze-and-excite and hard-swish, as in MobileNetV3."""
    layers = keras.layers
    inp = keras.Input((24, 24, 8), batch_size=1)
    x = inp
    for expand, stride in ((4, 1), (3, 2)):
        c = x.shape[-1]
        y = layers.Conv2D(c * expand, 1, use_bias=False)(x)
        y = layers.BatchNormalization()(y)
        y = layers.Activation("hard_swish")(y)
        y = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        y = layers.ReLU(6.0)(y)
        s = layers.GlobalAveragePooling2D(keepdims=True)(y)
        s = layers.Conv2D(c, 1, activation="relu")(s)
        s = layers.Conv2D(c * expand, 1, activation="hard_sigmoid")(s)
        y = layers.Multiply()([y, s])
        y = layers.Conv2D(c, 1, use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        x = layers.Add()([x, y]) if stride == 1 else y
    return keras.Model(inp, x)


def _mobilenet_v2():
    return keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.5, weights=None, classes=20)


def _decoder():
    """A segmentation-style head: transposed convolutions, resize, concat with a skip."""
    layers = keras.layers
    inp = keras.Input((8, 8, 16), batch_size=1)
    x = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(inp)
    skip = layers.Conv2D(8, 1)(layers.UpSampling2D(2, interpolation="bilinear")(inp))
    x = layers.Concatenate()([x, skip])
    x = layers.Conv2DTranspose(4, 2, strides=2, padding="valid")(x)
    x = layers.Conv2D(3, 3, padding="same")(x)
    return keras.Model(inp, layers.Softmax()(x))


def _transformer_block():
    layers = keras.layers
    inp = keras.Input((12, 16), batch_size=1)
    a = layers.MultiHeadAttention(num_heads=2, key_dim=8)(inp, inp)
    x = layers.LayerNormalization()(inp + a)
    f = layers.Dense(16)(layers.Dense(32, activation="gelu")(x))
    return keras.Model(inp, layers.LayerNormalization()(x + f))


def _lstm():
    import tf_keras

    inp = tf_keras.Input((8, 6), batch_size=2)
    x = tf_keras.layers.LSTM(12, return_sequences=True)(inp)
    return tf_keras.Model(inp, tf_keras.layers.Dense(3)(x))


def _randomize_bn(model) -> None:
    """Give BatchNormalization layers non-trivial statistics, so folding is exercised."""
    rng = np.random.default_rng(7)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([rng.uniform(0.5, 1.5, gamma.shape), rng.normal(0, 0.1, beta.shape),
                               rng.normal(0, 0.1, mean.shape), rng.uniform(0.5, 1.5, var.shape)])


def _tflite(cache: Path, name: str, build: Callable, quantize: str = "") -> bytes:
    path = cache / f"{name}{'_' + quantize if quantize else ''}.tflite"
    if not path.exists():
        keras.utils.set_random_seed(0)
        model = build()
        _randomize_bn(model)
        conv = tf.lite.TFLiteConverter.from_keras_model(model)
        if quantize == "fp16":
            conv.optimizations = [tf.lite.Optimize.DEFAULT]
            conv.target_spec.supported_types = [tf.float16]
        elif quantize == "int8":
            shape = [1 if d is None else d for d in model.inputs[0].shape]
            conv.optimizations = [tf.lite.Optimize.DEFAULT]
            conv.representative_dataset = lambda: ([np.random.default_rng(i).standard_normal(shape)
                                                    .astype(np.float32)] for i in range(8))
        path.write_bytes(conv.convert())
    return path.read_bytes()


@pytest.fixture(scope="module")
def cache(request) -> Path:
    return Path(request.config.cache.mkdir("mote-tflite-models"))


MODELS = {"conv_net": _conv_net, "mobilenet_block": _mobilenet_block, "mobilenet_v2": _mobilenet_v2,
          "decoder": _decoder, "transformer_block": _transformer_block, "lstm": _lstm}


@pytest.mark.parametrize("name", list(MODELS))
def test_float_model(cache, rng, name):
    worst = check(_tflite(cache, name, MODELS[name]), rng, rel=MODEL_REL)
    print(f"{name}: worst |mote - LiteRT| / max|LiteRT| = {worst:.2e}")


@pytest.mark.parametrize("name", ["conv_net", "mobilenet_block"])
def test_float16_weights(cache, rng, name):
    """TensorFlow's float16 quantization stores weights as fp16 behind DEQUANTIZE: float32 in mote."""
    check(_tflite(cache, name, MODELS[name], "fp16"), rng, rel=MODEL_REL)
