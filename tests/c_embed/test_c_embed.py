"""Embedding libmote in a C app: runtime_c installed into a temporary prefix (headers, static
and shared libraries, CMake package, pkg-config file), demos/c_embed built against it with
find_package(mote) and with pkg-config, run on a PGM image; its top classes must be the
Python bindings' on the same preprocessed input. The same again cross-built for aarch64 and
run under qemu-aarch64 (the Raspberry Pi 4 CPU)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mote
from mote.converter import convert

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from model_zoo import lenet  # noqa: E402

AARCH64_TOOLCHAIN = ROOT / "runtime_c" / "cmake" / "toolchains" / "aarch64-linux-gnu.cmake"


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _install(tmp: Path, name: str, extra: list[str]) -> Path:
    build, prefix = tmp / f"build-{name}", tmp / f"prefix-{name}"
    _run(["cmake", "-S", str(ROOT / "runtime_c"), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
          "-DMOTE_BUILD_TESTS=OFF", f"-DCMAKE_INSTALL_PREFIX={prefix}", *extra])
    _run(["cmake", "--build", str(build), "-j2"])
    _run(["cmake", "--install", str(build)])
    return prefix


def _build_demo(tmp: Path, name: str, prefix: Path, extra: list[str]) -> Path:
    build = tmp / f"demo-{name}"
    _run(["cmake", "-S", str(ROOT / "demos" / "c_embed"), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}",
          "-DCMAKE_BUILD_TYPE=Release", *extra])
    _run(["cmake", "--build", str(build)])
    return build / "classify"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("c_embed")
    rng = np.random.default_rng(5)
    model = tmp / "lenet.mote"
    convert(lenet(rng), model)
    # a 40x36 grey image; the demo resizes it to 28x28 by nearest neighbour and scales to [0, 1]
    pixels = rng.integers(0, 256, (36, 40), dtype=np.uint8)
    image = tmp / "digit.pgm"
    image.write_bytes(b"P5\n# made by the test\n40 36\n255\n" + pixels.tobytes())
    ys, xs = (np.arange(28) * 36) // 28, (np.arange(28) * 40) // 28
    x = (pixels[ys][:, xs].astype(np.float32) / 255.0)[None, None]
    logits = mote.load(model).run({"x": x})["logits"][0]
    top3 = [int(i) for i in np.argsort(-logits, kind="stable")[:3]]
    return tmp, model, image, top3


def _top_classes(stdout: str) -> list[int]:
    return [int(line.split()[2]) for line in stdout.splitlines() if line.startswith("top")]


def test_find_package_native(case):
    tmp, model, image, top3 = case
    prefix = _install(tmp, "native", [])
    for f in ["include/mote/mote.h", "lib/libmote.a", "lib/cmake/mote/moteConfig.cmake", "lib/pkgconfig/mote.pc"]:
        assert (prefix / f).is_file(), f
    assert (prefix / "lib" / "libmote.so").exists()
    exe = _build_demo(tmp, "native", prefix, [])
    out = _run([str(exe), str(model), str(image), "3"]).stdout
    assert _top_classes(out) == top3, out


def test_pkg_config_native(case):
    tmp, model, image, top3 = case
    prefix = tmp / "prefix-native"
    if not prefix.exists():
        prefix = _install(tmp, "native", [])
    env = dict(os.environ, PKG_CONFIG_PATH=str(prefix / "lib" / "pkgconfig"))
    flags = _run(["pkg-config", "--cflags", "--libs", "--static", "mote"], env=env).stdout.split()
    assert f"-I{prefix}/include" in flags and "-lmote" in flags
    exe = tmp / "classify-pc"
    # static link against libmote.a: pkg-config's -L points at it; -static keeps the shared one out
    _run(["cc", "-std=c11", "-O2", str(ROOT / "demos" / "c_embed" / "classify.c"), "-o", str(exe), "-static", *flags])
    out = _run([str(exe), str(model), str(image), "3"]).stdout
    assert _top_classes(out) == top3, out


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-gcc") is None or shutil.which("qemu-aarch64") is None,
                    reason="needs gcc-aarch64-linux-gnu and qemu-user (installed by .ci/run)")
def test_find_package_aarch64_under_qemu(case):
    tmp, model, image, top3 = case
    extra = [f"-DCMAKE_TOOLCHAIN_FILE={AARCH64_TOOLCHAIN}"]
    prefix = _install(tmp, "aarch64", extra)
    exe = _build_demo(tmp, "aarch64", prefix, extra + ["-DCMAKE_EXE_LINKER_FLAGS=-static"])
    header = exe.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == 183, "not an AArch64 ELF"
    env = dict(os.environ, QEMU_CPU="cortex-a72")
    out = _run(["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", str(exe), str(model), str(image), "3"], env=env).stdout
    assert _top_classes(out) == top3, out
