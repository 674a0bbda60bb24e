"""Spatial arithmetic shared by shape inference, evaluation and lowering (docs/ops.md)."""

from __future__ import annotations


def effective_kernel(k: int, dilation: int) -> int:
    return dilation * (k - 1) + 1


def out_size(
    n: int, k: int, stride: int, dilation: int, pad_before: int, pad_after: int, auto_pad: str,
    ceil_mode: bool = False,
) -> int:
    ek = effective_kernel(k, dilation)
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        return -(-n // stride)
    if auto_pad == "VALID":
        pad_before = pad_after = 0
    span = n + pad_before + pad_after - ek
    if span < 0:
        return 0
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    # the last window must start inside the input or its leading pad (onnx / pytorch rule)
    if (out - 1) * stride >= n + pad_before:
        out -= 1
    return out


def resolve_pads(
    n: int, k: int, stride: int, dilation: int, pad_before: int, pad_after: int, auto_pad: str
) -> tuple[int, int]:
    """Explicit (before, after) pads for one spatial dim."""
    if auto_pad == "VALID":
        return 0, 0
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        out = -(-n // stride)
        total = max(0, (out - 1) * stride + effective_kernel(k, dilation) - n)
        small, large = total // 2, total - total // 2
        return (small, large) if auto_pad == "SAME_UPPER" else (large, small)
    return pad_before, pad_after


def spatial_out(in_hw: tuple[int, int], attrs: dict, kernel: tuple[int, int]) -> tuple[int, int]:
    sh, sw = attrs.get("strides", (1, 1))
    dh, dw = attrs.get("dilations", (1, 1))
    pt, pl, pb, pr = attrs.get("pads", (0, 0, 0, 0))
    ap = attrs.get("auto_pad", "NOTSET")
    cm = bool(attrs.get("ceil_mode", False))
    return (
        out_size(in_hw[0], kernel[0], sh, dh, pt, pb, ap, cm),
        out_size(in_hw[1], kernel[1], sw, dw, pl, pr, ap, cm),
    )


def explicit_pads(in_hw: tuple[int, int], attrs: dict, kernel: tuple[int, int]) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) after resolving auto_pad."""
    sh, sw = attrs.get("strides", (1, 1))
    dh, dw = attrs.get("dilations", (1, 1))
    pt, pl, pb, pr = attrs.get("pads", (0, 0, 0, 0))
    ap = attrs.get("auto_pad", "NOTSET")
    t, b = resolve_pads(in_hw[0], kernel[0], sh, dh, pt, pb, ap)
    left, r = resolve_pads(in_hw[1], kernel[1], sw, dw, pl, pr, ap)
    return t, left, b, r


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


__all__ = ["ceil_div", "effective_kernel", "explicit_pads", "out_size", "resolve_pads", "spatial_out"]
