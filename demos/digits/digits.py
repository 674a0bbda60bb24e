"""mote hello world: train a small CNN on scikit-learn's digits, convert it, run it.

Steps (all offline; the 8x8 digits data set ships inside scikit-learn):
  1. train a small CNN with PyTorch on the training split,
  2. export it to ONNX,
  3. convert the ONNX file with the `mote convert` command,
  4. run the test split through mote and through the source model,
  5. print both accuracies and how closely the logits agree.

Usage: python demos/digits/digits.py [--out-dir DIR] [--epochs N]
Exit status is non-zero if mote's accuracy differs from the source model's.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

import mote


class DigitsCNN(nn.Module):
    """Conv-BN-ReLU-Pool twice, then a classifier: the classic MNIST shape, sized for 8x8."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def load_data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    digits = load_digits()
    images = (digits.images.astype(np.float32) / 16.0)[:, None, :, :]  # N,1,8,8 in [0, 1]
    return train_test_split(images, digits.target, test_size=0.25, random_state=seed, stratify=digits.target)


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, epochs: int, seed: int) -> None:
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).long()
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i : i + 64]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    model.eval()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, help="keep digits.onnx and digits.mote here")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="mote-digits-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    x_train, x_test, y_train, y_test = load_data(args.seed)

    print(f"[1/4] training a small CNN on {len(x_train)} digits ({args.epochs} epochs)")
    torch.manual_seed(args.seed)
    model = DigitsCNN()
    train(model, x_train, y_train, args.epochs, args.seed)
    with torch.no_grad():
        source_logits = model(torch.from_numpy(x_test)).numpy()

    onnx_path, mote_path = out_dir / "digits.onnx", out_dir / "digits.mote"
    print(f"[2/4] exporting to {onnx_path}")
    with warnings.catch_warnings():  # the TorchScript exporter is deprecated, but needs no onnxscript
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            model, (torch.zeros(1, 1, 8, 8),), str(onnx_path), input_names=["image"], output_names=["logits"],
            opset_version=17, dynamo=False,
        )

    print(f"[3/4] mote convert {onnx_path.name} -o {mote_path.name}")
    mote_cli = shutil.which("mote")
    cmd = [mote_cli] if mote_cli else [sys.executable, "-m", "mote.converter.cli"]
    subprocess.run([*cmd, "convert", str(onnx_path), "-o", str(mote_path)], check=True)

    print(f"[4/4] running {len(x_test)} test images through mote")
    runner = mote.load(str(mote_path))
    runner.run(x_test[:1])  # warm-up
    start = time.perf_counter()
    mote_logits = np.concatenate([runner.run(x[None])["logits"] for x in x_test])
    per_image_us = (time.perf_counter() - start) / len(x_test) * 1e6

    source_acc = float(np.mean(source_logits.argmax(1) == y_test))
    mote_acc = float(np.mean(mote_logits.argmax(1) == y_test))
    max_diff = float(np.max(np.abs(mote_logits - source_logits)))
    print()
    print(f"source model (PyTorch) accuracy: {source_acc:.4f}")
    print(f"mote model accuracy:             {mote_acc:.4f}")
    print(f"max |logit difference|:          {max_diff:.2e}  (logits up to {np.abs(source_logits).max():.1f})")
    print(f"mote time per image:             {per_image_us:.1f} us (batch 1, 1 thread, from Python)")
    # quantization: int8 weights (dynamic range), float16 weights, and full int8 calibrated on
    # 200 training images
    calib = out_dir / "calibration.npz"
    np.savez(calib, image=x_train[:200])
    worst = 0.0
    for mode in ("dynamic", "fp16", "int8"):
        q_path = out_dir / f"digits-{mode}.mote"
        extra = ["--calibration", str(calib)] if mode == "int8" else []
        subprocess.run([*cmd, "convert", str(onnx_path), "-o", str(q_path), "--quantize", mode, *extra], check=True,
                       stdout=subprocess.DEVNULL)
        q_runner = mote.load(str(q_path))
        q_acc = float(np.mean(np.concatenate([q_runner.run(x[None])["logits"] for x in x_test]).argmax(1) == y_test))
        worst = max(worst, abs(q_acc - mote_acc))
        print(f"mote --quantize {mode:8s} accuracy: {q_acc:.4f}  (file {q_path.stat().st_size / 1024:.1f} KiB, "
              f"float {mote_path.stat().st_size / 1024:.1f} KiB)")
    print(f"files in {out_dir}")
    if mote_acc != source_acc:
        print("ERROR: mote's accuracy differs from the source model's", file=sys.stderr)
        return 1
    if worst > 0.005:
        print(f"ERROR: a quantized model lost {worst * 100:.2f} points of accuracy (limit 0.5)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
