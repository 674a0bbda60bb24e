"""Resize (opsets 13 / 18 / 19) and Upsample vs ONNX Runtime: every mode, nearest_mode and
coordinate_transformation_mode mote supports, by scales and by sizes, up and down."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close_to_ort, make_model
from onnx import helper

IN = (1, 3, 4, 5)
# how the output size is given: ("scales", (sh, sw)) or ("sizes", (oh, ow))
SIZINGS = [
    ("scales", (2.0, 2.0)),
    ("scales", (0.5, 0.5)),
    ("scales", (1.5, 3.0)),
    ("scales", (0.75, 1.6)),
    ("sizes", (7, 9)),
    ("sizes", (3, 2)),
    ("sizes", (1, 3)),
]
CTM = ["half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"]
NEAREST_MODES = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]


def f32(rng, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def resize_model(sizing, opset=13, shape=IN, axes=None, **attrs):
    kind, (a, b) = sizing
    inits = {"roi": np.zeros((0,), np.float32)}
    lead = [] if axes is not None else [1.0, 1.0] if kind == "scales" else list(shape[:2])
    if kind == "scales":
        inits["scales"] = np.array(lead + [a, b], np.float32)
        names = ["x", "roi", "scales"]
    else:
        inits["sizes"] = np.array(lead + [a, b], np.int64)
        names = ["x", "roi", "", "sizes"]
    if axes is not None:
        attrs["axes"] = axes
    node = helper.make_node("Resize", names, ["y"], **attrs)
    return make_model([node], {"x": shape}, ["y"], inits, opset)


def sid(v) -> str:
    return f"{v[0]}{list(v[1])}" if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) else str(v)


@pytest.mark.parametrize("sizing", SIZINGS, ids=sid)
@pytest.mark.parametrize("ctm", [*CTM, "tf_half_pixel_for_nn"])
@pytest.mark.parametrize("nearest_mode", NEAREST_MODES)
def test_resize_nearest(rng, sizing, ctm, nearest_mode):
    model = resize_model(sizing, mode="nearest", coordinate_transformation_mode=ctm, nearest_mode=nearest_mode)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("sizing", SIZINGS, ids=sid)
@pytest.mark.parametrize("ctm", CTM)
def test_resize_linear(rng, sizing, ctm):
    model = resize_model(sizing, mode="linear", coordinate_transformation_mode=ctm)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("sizing", SIZINGS, ids=sid)
@pytest.mark.parametrize("ctm", CTM)
@pytest.mark.parametrize("cubic", [(-0.75, 0), (-0.5, 0), (-0.75, 1)], ids=["a-0.75", "a-0.5", "a-0.75_exclude"])
def test_resize_cubic(rng, sizing, ctm, cubic):
    a, exclude = cubic
    model = resize_model(sizing, mode="cubic", coordinate_transformation_mode=ctm, cubic_coeff_a=a,
                         exclude_outside=exclude)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("mode", ["nearest", "linear", "cubic"])
@pytest.mark.parametrize("sizing", [SIZINGS[0], SIZINGS[3], SIZINGS[5]], ids=sid)
def test_resize_opset19_half_pixel_symmetric(rng, mode, sizing):
    model = resize_model(sizing, opset=19, mode=mode, coordinate_transformation_mode="half_pixel_symmetric")
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("mode", ["nearest", "linear"])
@pytest.mark.parametrize("sizing", [SIZINGS[0], SIZINGS[3], SIZINGS[4]], ids=sid)
def test_resize_opset18_axes(rng, mode, sizing):
    """Opset 18 exporters give scales / sizes for the spatial axes only."""
    model = resize_model(sizing, opset=18, axes=[2, 3], mode=mode)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("policy", ["not_larger", "not_smaller"])
def test_resize_opset18_keep_aspect_ratio(rng, policy):
    model = resize_model(("sizes", (8, 8)), opset=18, axes=[2, 3], mode="linear", keep_aspect_ratio_policy=policy)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


def test_resize_opset18_default_attrs(rng):
    model = resize_model(("scales", (2.0, 2.0)), opset=18)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("shape", [(2, 5, 3, 3), (1, 1, 8, 8), (1, 16, 1, 1)], ids=str)
def test_resize_other_shapes(rng, shape):
    model = resize_model(("scales", (2.0, 2.0)), shape=shape, mode="linear", coordinate_transformation_mode="half_pixel")
    assert_close_to_ort(model, {"x": f32(rng, *shape)})


def test_resize_opset11_with_roi_input(rng):
    """Opset 11 requires the roi input even when unused."""
    model = resize_model(("scales", (2.0, 2.0)), opset=11, mode="nearest", coordinate_transformation_mode="asymmetric",
                         nearest_mode="floor")
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


def test_resize_opset10(rng):
    """Opset 10 Resize: [x, scales], asymmetric, nearest floor / linear."""
    for mode in ("nearest", "linear"):
        node = helper.make_node("Resize", ["x", "scales"], ["y"], mode=mode)
        model = make_model([node], {"x": IN}, ["y"], {"scales": np.array([1, 1, 2, 1.5], np.float32)}, 10)
        assert_close_to_ort(model, {"x": f32(rng, *IN)})


# ---- Upsample --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["nearest", "linear"])
@pytest.mark.parametrize("scales", [(2.0, 2.0), (3.0, 1.0), (1.5, 2.5)], ids=str)
def test_upsample_opset9(rng, mode, scales):
    node = helper.make_node("Upsample", ["x", "scales"], ["y"], mode=mode)
    model = make_model([node], {"x": IN}, ["y"], {"scales": np.array([1, 1, *scales], np.float32)}, 9)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})


@pytest.mark.parametrize("mode", ["nearest", "linear"])
def test_upsample_opset7_attribute(rng, mode):
    node = helper.make_node("Upsample", ["x"], ["y"], mode=mode, scales=[1.0, 1.0, 2.0, 2.0])
    model = make_model([node], {"x": IN}, ["y"], None, 7)
    assert_close_to_ort(model, {"x": f32(rng, *IN)})
