"""ONNX Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9) → the IR Resize op, which scales
H and W of a 4-D NCHW tensor (the layout pass makes it NHWC). Output sizes and the scales
the coordinate transform uses are resolved here, as ONNX Runtime resolves them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .context import NodeContext

_MODES = ("nearest", "linear", "cubic")
_COORDS = ("half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn",
           "half_pixel_symmetric")
_NEAREST = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


def _resize(ctx: NodeContext, x: str, scales: list[float] | None, sizes: list[int] | None, *,
            axes: Sequence[int] | None = None, mode: str = "nearest", coord: str = "half_pixel",
            nearest_mode: str = "round_prefer_floor", cubic_coeff_a: float = -0.75, exclude_outside: int = 0,
            extrapolation_value: float = 0.0, keep_aspect_ratio_policy: str = "stretch",
            antialias: int = 0) -> None:
    shape = ctx.shape(x)
    rank = len(shape)
    if mode == "bilinear":  # Upsample-7's name for it
        mode = "linear"
    if mode not in _MODES:
        raise ctx.error(f"unknown mode '{mode}'")
    if coord == "tf_crop_and_resize":
        raise ctx.error("coordinate_transformation_mode 'tf_crop_and_resize' is not supported")
    if coord not in _COORDS:
        raise ctx.error(f"unknown coordinate_transformation_mode '{coord}'")
    if nearest_mode not in _NEAREST:
        raise ctx.error(f"unknown nearest_mode '{nearest_mode}'")
    axes = list(range(rank)) if axes is None else [int(a) % rank for a in axes]
    out, coord_scale = list(shape), [0.0] * rank
    if scales is not None:
        if len(scales) != len(axes):
            raise ctx.error(f"{len(scales)} scales for {len(axes)} axes")
        for a, s in zip(axes, scales):
            # float32 product, truncated: what ONNX Runtime computes
            out[a] = int(np.floor(np.float32(s) * np.float32(shape[a])))
            coord_scale[a] = float(np.float32(s))
    elif sizes is not None:
        if len(sizes) != len(axes):
            raise ctx.error(f"{len(sizes)} sizes for {len(axes)} axes")
        if keep_aspect_ratio_policy not in ("stretch", "not_larger", "not_smaller"):
            raise ctx.error(f"unknown keep_aspect_ratio_policy '{keep_aspect_ratio_policy}'")
        if keep_aspect_ratio_policy == "stretch":
            for a, s in zip(axes, sizes):
                out[a] = int(s)
        else:
            ratios = [int(s) / shape[a] for a, s in zip(axes, sizes)]
            scale = min(ratios) if keep_aspect_ratio_policy == "not_larger" else max(ratios)
            for a in axes:
                out[a] = int(np.floor(scale * shape[a] + 0.5))
                coord_scale[a] = scale
    else:
        raise ctx.error("neither scales nor sizes is given")
    if rank != 4 or out[0] != shape[0] or out[1] != shape[1] or any(coord_scale[a] not in (0.0, 1.0) for a in (0, 1)):
        raise ctx.error(f"only resizing H and W of a 4-D NCHW tensor is supported ({tuple(shape)} -> {tuple(out)})")
    if out[2] <= 0 or out[3] <= 0:
        raise ctx.error(f"empty output {tuple(out)}")
    if antialias and mode != "nearest" and (out[2] < shape[2] or out[3] < shape[3]):
        raise ctx.error("antialias=1 when downsampling is not supported")
    ctx.emit("Resize", [x], ctx.out(), size=(out[2], out[3]), mode=mode, coordinate_transform=coord,
             nearest_mode=nearest_mode, cubic_coeff_a=float(cubic_coeff_a), exclude_outside=bool(exclude_outside),
             extrapolation_value=float(extrapolation_value), scale_h=coord_scale[2], scale_w=coord_scale[3],
             data_format="NCHW")


def _legacy(ctx: NodeContext, x: str, scales: list[float], mode: str) -> None:
    """Upsample and Resize-10: asymmetric coordinates; nearest rounds down when enlarging and
    up when shrinking (ONNX Runtime's 'simple' nearest mode)."""
    if len(scales) == 4:
        shrink = [s < 1 for s in scales[2:]]
        grow = [s > 1 for s in scales[2:]]
        if mode == "nearest" and any(shrink) and any(grow):
            raise ctx.error(f"nearest resize that grows one axis and shrinks the other (scales {scales})")
        nearest = "ceil" if any(shrink) else "floor"
    else:
        nearest = "floor"
    _resize(ctx, x, scales, None, mode=mode, coord="asymmetric", nearest_mode=nearest)


def _float_list(ctx: NodeContext, name: str | None, what: str) -> list[float] | None:
    if name is None:
        return None
    v = ctx.require_const(name, what).reshape(-1)
    return None if v.size == 0 else [float(s) for s in v]


def Upsample_7(ctx: NodeContext, x: str, *, scales: Sequence[float], mode: str = "nearest") -> None:
    _legacy(ctx, x, [float(s) for s in scales], mode)


def Upsample_9(ctx: NodeContext, x: str, scales: str, *, mode: str = "nearest") -> None:
    _legacy(ctx, x, _float_list(ctx, scales, "Upsample scales") or [], mode)


def Resize_10(ctx: NodeContext, x: str, scales: str, *, mode: str = "nearest") -> None:
    _legacy(ctx, x, _float_list(ctx, scales, "Resize scales") or [], mode)


def Resize_11(ctx: NodeContext, x: str, roi: str | None = None, scales: str | None = None, sizes: str | None = None,
              *, antialias: int = 0, axes: Sequence[int] | None = None,
              coordinate_transformation_mode: str = "half_pixel", cubic_coeff_a: float = -0.75,
              exclude_outside: int = 0, extrapolation_value: float = 0.0, keep_aspect_ratio_policy: str = "stretch",
              mode: str = "nearest", nearest_mode: str = "round_prefer_floor") -> None:
    sc = _float_list(ctx, scales, "Resize scales")
    sz = None if sizes is None else [int(v) for v in ctx.require_const(sizes, "Resize sizes").reshape(-1)]
    if sz is not None and len(sz) == 0:
        sz = None
    _resize(ctx, x, sc, sz, axes=axes, mode=mode, coord=coordinate_transformation_mode, nearest_mode=nearest_mode,
            cubic_coeff_a=cubic_coeff_a, exclude_outside=exclude_outside, extrapolation_value=extrapolation_value,
            keep_aspect_ratio_policy=keep_aspect_ratio_policy, antialias=antialias)


HANDLERS = {
    "Upsample": {7: Upsample_7, 9: Upsample_9},
    "Resize": {10: Resize_10, 11: Resize_11},
}
