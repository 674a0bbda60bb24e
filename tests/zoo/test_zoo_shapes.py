"""Zoo models exported with symbolic dimensions: fixed at convert time (`input_shapes`), and a
convnet resized at run time (`resize_input`), against ONNX Runtime at the new shape."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from zoo_export import ZOO_REL, compare, ort_run

IMAGE = {"input": {0: "batch", 2: "height", 3: "width"}}
TOKENS = {k: {0: "batch", 1: "sequence"} for k in ("input_ids", "attention_mask", "token_type_ids")}
FRAMES = {"input": {0: "batch", 1: "frames"}}

SYMBOLIC = {"mobilenet_v3_small": IMAGE, "lraspp_mobilenet_v3_large": IMAGE, "mini_bert": TOKENS,
            "lstm_bidir_2l": FRAMES}


def _symbolic_dims(model: onnx.ModelProto) -> list[str]:
    return [d.dim_param for vi in model.graph.input for d in vi.type.tensor_type.shape.dim if d.dim_param]


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
def test_symbolic_export_converts_with_input_shapes(zoo, name):
    import mote
    from mote.converter import convert

    model, path = zoo.symbolic(name, SYMBOLIC[name])
    assert _symbolic_dims(model), f"{name}: the export kept no symbolic dimension"
    feeds = zoo.specs[name].inputs
    data = bytes(convert(model, input_shapes={k: v.shape for k, v in feeds.items()}))
    with mote.load(data) as m:
        assert {s.name: tuple(s.shape) for s in m.inputs} == {k: v.shape for k, v in feeds.items()}
        got = m.run(dict(feeds))
    result = compare(name, data, ort_run(path, feeds), got)
    assert result.worst_ratio <= ZOO_REL, f"{name}: max |diff| / max |ref| = {result.worst_ratio:.3g}"


@pytest.mark.parametrize("shape", [(1, 3, 128, 112), (1, 3, 64, 64)])
def test_convnet_resized_at_run_time(zoo, rng, shape):
    """MobileNetV3-Small converted at 96x96 runs at other image sizes after resize_input (its
    squeeze-excite pools and broadcast multiplies follow the new spatial size)."""
    import mote
    from mote.converter import convert

    model, path = zoo.symbolic("mobilenet_v3_small", IMAGE)
    data = bytes(convert(model, input_shapes={"input": (1, 3, 96, 96)}))
    feeds = {"input": rng.standard_normal(shape).astype(np.float32)}
    with mote.load(data) as m:
        m.resize_input("input", shape)
        assert tuple(m.inputs[0].shape) == shape
        got = m.run(feeds)
    result = compare("mobilenet_v3_small", data, ort_run(path, feeds), got)
    assert result.worst_ratio <= ZOO_REL, f"resized to {shape}: max |diff| / max |ref| = {result.worst_ratio:.3g}"
