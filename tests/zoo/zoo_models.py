"""The zoo's architectures as PyTorch modules, each with the example inputs it is exported on.

torchvision's model definitions are used as they are (random weights, never downloaded); the
sequence models, the BERT-class encoder and the keyword-spotting net are written here in plain torch.
Inputs are kept small (96-128 pixel images, 32 tokens) so the whole zoo exports and runs in seconds.
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def _stub_torchvision_ops() -> None:
    """PyPI's torchvision wheel is built against CUDA torch and registers its C++ operators on import
    (fails next to CPU torch: `torchvision::nms does not exist`); the model definitions do not need
    them, so that module is stubbed. transformers imports torchvision too when it is installed."""
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))


def _torchvision() -> types.ModuleType:
    """torchvision's model definitions."""
    _stub_torchvision_ops()
    import torchvision

    return torchvision


@dataclass
class Spec:
    """One zoo model: how to build it, what it is exported on, what mote may keep of the layout."""

    build: Callable[[], nn.Module]
    inputs: dict[str, np.ndarray] = field(repr=False)  # name -> example array (dtype and shape of the exported input)
    # NHWC inside (DESIGN.md 2): a convnet keeps no Transpose; where the architecture itself permutes
    # (channel shuffle, attention heads, sequence-first RNN layouts) this is the most that may remain
    max_transposes: int = 0
    outputs: tuple[str, ...] = ("output",)


def _image(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, 3, size, size)).astype(np.float32)


# --- segmentation heads with Resize ------------------------------------------------------------


class TinySegNet(nn.Module):
    """U-Net style head on a small strided backbone (60x60 input: features at 30, 15 and 8 pixels):
    bilinear Resize with align_corners to a Shape-driven size at a non-integer ratio (8 -> 15),
    nearest Resize at ratio 3.75 (8 -> 30), a transposed convolution, skip connections (Concat)
    and a final bilinear half-pixel Upsample by a scale factor."""

    def __init__(self, classes: int = 5) -> None:
        super().__init__()

        def block(c_in: int, c_out: int, stride: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())

        self.enc1, self.enc2, self.enc3 = block(3, 16, 2), block(16, 32, 2), block(32, 64, 2)
        self.dec2 = block(64 + 32, 32, 1)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.ctx = nn.Conv2d(64, 8, 1)
        self.dec1 = block(16 + 16 + 8, 16, 1)
        self.head = nn.Conv2d(16, classes, 1)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e1 = self.enc1(x)
        e2 = self.enc2(e1)
        e3 = self.enc3(e2)
        d2 = self.dec2(torch.cat([F.interpolate(e3, size=e2.shape[-2:], mode="bilinear", align_corners=True), e2], 1))
        ctx = F.interpolate(self.ctx(e3), size=e1.shape[-2:], mode="nearest")
        d1 = self.dec1(torch.cat([self.up2(d2), e1, ctx], 1))
        return self.up(self.head(d1))


# --- sequence models --------------------------------------------------------------------------------


class RnnTagger(nn.Module):
    """Frame classifier over a feature sequence: 2-layer bidirectional LSTM or GRU, linear head."""

    def __init__(self, cell: str, features: int = 40, hidden: int = 64, classes: int = 12) -> None:
        super().__init__()
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn(features, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.rnn(x)
        return self.head(y)


class LstmWithState(nn.Module):
    """A streaming LSTM: initial state as inputs, final state as outputs (sequence-first layout)."""

    def __init__(self, features: int = 24, hidden: int = 48) -> None:
        super().__init__()
        self.rnn = nn.LSTM(features, hidden, num_layers=2)
        self.head = nn.Linear(hidden, 8)

    def forward(self, x: torch.Tensor, h0: torch.Tensor, c0: torch.Tensor) -> tuple[torch.Tensor, ...]:
        y, (h, c) = self.rnn(x, (h0, c0))
        return torch.log_softmax(self.head(y), dim=-1), h, c


class CrnnVad(nn.Module):
    """Voice-activity detector over a log-mel spectrogram (1 x 40 mel x 100 frames): Conv2d blocks
    pooling frequency only, the feature map turned into a frame sequence (permute + reshape), a GRU
    and a per-frame sigmoid."""

    def __init__(self, mels: int = 40, width: int = 16, hidden: int = 32) -> None:
        super().__init__()
        self.convs = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d((2, 1)),
            nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.gru = nn.GRU(width * (mels // 4), hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.convs(x)  # (n, c, mel / 4, t)
        n, c, m, t = f.shape
        y, _ = self.gru(f.permute(0, 3, 1, 2).reshape(n, t, c * m))
        return torch.sigmoid(self.head(y)).squeeze(-1)


# --- BERT-class encoder -----------------------------------------------------------------------------


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + mask_bias
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v)
        b, _, t, _ = ctx.shape
        return self.out(ctx.permute(0, 2, 1, 3).reshape(b, t, -1))


class EncoderLayer(nn.Module):
    def __init__(self, dim: int, heads: int, ff: int) -> None:
        super().__init__()
        self.attn = SelfAttention(dim, heads)
        self.norm1, self.norm2 = nn.LayerNorm(dim, eps=1e-12), nn.LayerNorm(dim, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(dim, ff), nn.Linear(ff, dim)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        x = self.norm1(x + self.attn(x, mask_bias))
        return self.norm2(x + self.ff2(F.gelu(self.ff1(x))))  # exact (erf) GELU, as BERT


class MiniBert(nn.Module):
    """BERT-style encoder: token + position + segment embeddings (Gather on int64 ids), LayerNorm,
    multi-head self-attention with a padding mask, erf-GELU MLP, pooled tanh output."""

    def __init__(self, vocab: int = 1000, dim: int = 128, heads: int = 4, layers: int = 2, ff: int = 512,
                 max_len: int = 64) -> None:
        super().__init__()
        self.tok, self.pos, self.seg = nn.Embedding(vocab, dim), nn.Embedding(max_len, dim), nn.Embedding(2, dim)
        self.norm = nn.LayerNorm(dim, eps=1e-12)
        self.layers = nn.ModuleList(EncoderLayer(dim, heads, ff) for _ in range(layers))
        self.pool = nn.Linear(dim, dim)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        positions = torch.arange(input_ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = self.norm(self.tok(input_ids) + self.pos(positions) + self.seg(token_type_ids))
        # 0 where attended, a large negative number at padding (cast from the int64 mask)
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask_bias)
        return x, torch.tanh(self.pool(x[:, 0]))


def _hf_bert() -> nn.Module:
    """transformers' own BertModel with a small config (eager attention: FIELD-NOTES)."""
    _stub_torchvision_ops()
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=512, max_position_embeddings=64, attn_implementation="eager")
    model = BertModel(config)
    model.config.return_dict = False
    return model


def _token_inputs(rng: np.random.Generator, seq: int = 32, pad: int = 7) -> dict[str, np.ndarray]:
    ids = rng.integers(1, 1000, (1, seq), dtype=np.int64)
    mask = np.ones((1, seq), np.int64)
    mask[:, seq - pad:] = 0
    ids[:, seq - pad:] = 0
    types_ = np.zeros((1, seq), np.int64)
    types_[:, seq // 2:] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types_}


# --- keyword spotting -------------------------------------------------------------------------------


class KwsConv1d(nn.Module):
    """Keyword spotting over MFCC frames (40 x 98): Conv1d stem, depthwise-separable 1-D blocks
    with BatchNorm, dilation and a residual, MaxPool1d, global average pool, linear classifier."""

    def __init__(self, features: int = 40, width: int = 64, classes: int = 12) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(features, width, 5, stride=2, padding=2, bias=False),
                                  nn.BatchNorm1d(width), nn.ReLU())

        def ds(dilation: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv1d(width, width, 3, padding=dilation, dilation=dilation, groups=width, bias=False),
                nn.BatchNorm1d(width), nn.ReLU(),
                nn.Conv1d(width, width, 1, bias=False), nn.BatchNorm1d(width), nn.ReLU())

        self.blocks = nn.ModuleList([ds(1), ds(2), ds(4)])
        self.pool = nn.MaxPool1d(2)
        self.fc = nn.Linear(width, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for i, block in enumerate(self.blocks):
            x = x + block(x)
            if i == 0:
                x = self.pool(x)
        return torch.softmax(self.fc(x.mean(dim=-1)), dim=-1)


# --- face landmarks -------------------------------------------------------------------------------


class FaceLandmarks(nn.Module):
    """A BlazeFace / MediaPipe face-mesh style landmark regressor: strided stem with PReLU,
    "Blaze" blocks (depthwise 3x3 + pointwise 1x1; on the skip path max pooling where the block
    strides and zero channel padding where it widens), then two heads on the 3x3 map: 68 (x, y)
    landmarks and face-presence scores (2 anchors per cell of the 3x3 map) through a sigmoid."""

    class Block(nn.Module):
        def __init__(self, c_in: int, c_out: int, stride: int) -> None:
            super().__init__()
            self.extra = c_out - c_in
            self.pool = nn.MaxPool2d(2, 2) if stride == 2 else None
            self.dw = nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in)
            self.pw = nn.Conv2d(c_in, c_out, 1)
            self.act = nn.PReLU(c_out)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            skip = self.pool(x) if self.pool is not None else x
            if self.extra:
                skip = F.pad(skip, (0, 0, 0, 0, 0, self.extra))
            return self.act(self.pw(self.dw(x)) + skip)

    def __init__(self, points: int = 68) -> None:
        super().__init__()
        self.points = points
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.PReLU(16))
        spec = [(16, 16, 1), (16, 32, 2), (32, 32, 1), (32, 64, 2), (64, 64, 1), (64, 96, 2), (96, 96, 2)]
        self.blocks = nn.Sequential(*[self.Block(a, b, s) for a, b, s in spec])
        self.landmarks = nn.Conv2d(96, points * 2, 3)
        self.score = nn.Conv2d(96, 2, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = self.blocks(self.stem(x))
        return self.landmarks(f).reshape(-1, self.points, 2), torch.sigmoid(self.score(f).flatten(1))


# --- the zoo ------------------------------------------------------------------------------------------


def _tv(name: str, **kwargs: object) -> Callable[[], nn.Module]:
    def build() -> nn.Module:
        return getattr(_torchvision().models, name)(weights=None, **kwargs)

    return build


def _tv_seg(name: str, **kwargs: object) -> Callable[[], nn.Module]:
    class Out(nn.Module):
        """torchvision's segmentation models return a dict; export its 'out' tensor."""

        def __init__(self) -> None:
            super().__init__()
            self.net = getattr(_torchvision().models.segmentation, name)(weights=None, weights_backbone=None,
                                                                         **kwargs)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.net(x)["out"]

    return Out


def zoo_specs() -> dict[str, Spec]:
    rng = np.random.default_rng(2024)
    img96, img128 = _image(1, 96, rng), _image(1, 128, rng)
    tokens = _token_inputs(rng)
    return {
        "mobilenet_v2": Spec(_tv("mobilenet_v2"), {"input": img96}),
        "mobilenet_v3_small": Spec(_tv("mobilenet_v3_small"), {"input": img96}),
        "mobilenet_v3_large": Spec(_tv("mobilenet_v3_large"), {"input": img96}),
        "resnet18": Spec(_tv("resnet18"), {"input": img96}),
        "resnet50": Spec(_tv("resnet50"), {"input": img96}),
        "efficientnet_b0": Spec(_tv("efficientnet_b0"), {"input": img96}),
        # flattening the 2x3x3 score map in NCHW order is one permutation of the NHWC map
        "face_landmarks": Spec(FaceLandmarks, {"input": img96}, max_transposes=1, outputs=("landmarks", "score")),
        "squeezenet1_1": Spec(_tv("squeezenet1_1"), {"input": img128}),
        # channel shuffle is view(n, g, c/g, h, w).transpose(1, 2): one 5-D permutation per block
        "shufflenet_v2_x1_0": Spec(_tv("shufflenet_v2_x1_0"), {"input": img96}, max_transposes=16),
        "lraspp_mobilenet_v3_large": Spec(_tv_seg("lraspp_mobilenet_v3_large", num_classes=6), {"input": img128}),
        "tiny_segnet": Spec(TinySegNet, {"input": _image(1, 60, rng)}),
        "kws_conv1d": Spec(KwsConv1d, {"input": rng.standard_normal((1, 40, 98)).astype(np.float32)}),
        # ONNX LSTM/GRU are sequence-first: the batch-first export permutes around each layer, which
        # at batch 1 moves no data (a reshape)
        "lstm_bidir_2l": Spec(lambda: RnnTagger("lstm"), {"input": rng.standard_normal((1, 50, 40)).astype(np.float32)}),
        "gru_bidir_2l": Spec(lambda: RnnTagger("gru"), {"input": rng.standard_normal((1, 50, 40)).astype(np.float32)}),
        "lstm_stateful": Spec(LstmWithState, {
            "input": rng.standard_normal((20, 1, 24)).astype(np.float32),
            "h0": (0.5 * rng.standard_normal((2, 1, 48))).astype(np.float32),
            "c0": (0.5 * rng.standard_normal((2, 1, 48))).astype(np.float32)}, outputs=("output", "h", "c")),
        # frames from the conv map: one permutation of the NHWC map into (time, channel, mel)
        "crnn_vad": Spec(CrnnVad, {"input": rng.standard_normal((1, 1, 40, 100)).astype(np.float32)},
                         max_transposes=1),
        # attention splits and merges heads: 4 permutations per layer (q, k^T, v, context), as exported
        "mini_bert": Spec(MiniBert, tokens, max_transposes=8, outputs=("hidden", "pooled")),
        "hf_bert": Spec(_hf_bert, tokens, max_transposes=8, outputs=("hidden", "pooled")),
    }
