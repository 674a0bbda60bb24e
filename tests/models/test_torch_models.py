"""PyTorch-exported models against ONNX Runtime (torch comes with the `test` extra).

Export follows FIELD-NOTES.md: torch.onnx.export(..., opset_version=17, dynamo=False), and BatchNorm
statistics recalibrated on random batches so that activations do not vanish.
"""

from __future__ import annotations

import io

import numpy as np
import onnx
import pytest
import torch
from helpers import assert_close_to_ort
from torch import nn


def conv_bn(c_in: int, c_out: int, k: int = 3, stride: int = 1, groups: int = 1, act: bool = True) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(c_out)]
    if act:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int, expand: int) -> None:
        super().__init__()
        hidden = c_in * expand
        self.use_res = stride == 1 and c_in == c_out
        self.block = nn.Sequential(
            conv_bn(c_in, hidden, 1),
            conv_bn(hidden, hidden, 3, stride, groups=hidden),
            conv_bn(hidden, c_out, 1, act=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.block(x)
        return x + y if self.use_res else y


class TinyMobileNetV2(nn.Module):
    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 16, 3, 2),
            InvertedResidual(16, 16, 1, 1),
            InvertedResidual(16, 24, 2, 6),
            InvertedResidual(24, 24, 1, 6),
            InvertedResidual(24, 32, 2, 6),
            InvertedResidual(32, 32, 1, 6),
            conv_bn(32, 64, 1),
        )
        self.classifier = nn.Linear(64, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)


class PoolNet(nn.Module):
    """Pooling variants PyTorch users write: ceil_mode, count_include_pad, padding, LeakyReLU."""

    def __init__(self) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 5, padding=2)
        self.p1 = nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)
        self.c2 = nn.Conv2d(8, 12, 3, padding=1, dilation=1)
        self.p2 = nn.AvgPool2d(3, 2, padding=1, count_include_pad=False)
        self.p3 = nn.AvgPool2d(2, 2, ceil_mode=True)
        self.act = nn.LeakyReLU(0.1)
        self.fc = nn.Linear(12 * 3 * 3, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.p1(self.act(self.c1(x)))
        x = self.p3(self.p2(torch.tanh(self.c2(x))))
        return torch.softmax(self.fc(x.flatten(1)), dim=-1)


class Mlp(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(32, 64), nn.Hardswish(), nn.Linear(64, 64), nn.Sigmoid(), nn.Linear(64, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def export(model: nn.Module, shape: tuple[int, ...], seed: int) -> onnx.ModelProto:
    torch.manual_seed(seed)
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = None  # cumulative average over the calibration batches
        model.train()
        with torch.no_grad():
            for _ in range(4):
                model(torch.randn(8, *shape[1:]))
    model.eval()
    buf = io.BytesIO()
    torch.onnx.export(model, (torch.randn(*shape),), buf, opset_version=17, dynamo=False,
                      input_names=["input"], output_names=["output"])
    return onnx.load_from_string(buf.getvalue())


CASES = {
    "tiny_mobilenet_v2": (TinyMobileNetV2, (1, 3, 64, 64)),
    "tiny_mobilenet_v2_b2": (TinyMobileNetV2, (2, 3, 48, 48)),
    "pool_net": (PoolNet, (1, 3, 21, 21)),
    "mlp": (Mlp, (4, 32)),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("threads", [1, 2])
def test_torch_export_vs_ort(rng, name, threads):
    cls, shape = CASES[name]
    model = export(cls(), shape, seed=len(name))
    feeds = {"input": rng.standard_normal(shape).astype(np.float32)}
    out = assert_close_to_ort(model, feeds, num_threads=threads)
    assert float(np.std(out["output"])) > 1e-4, "degenerate outputs: the comparison would mean little"
