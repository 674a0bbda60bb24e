"""Coverage-guided importer fuzzing with atheris (libFuzzer for Python); optional, by hand:

    pip install atheris
    python tests/fuzz/atheris_importers.py -runs=100000 [-max_len=4096] [CORPUS_DIR]

The first byte picks the target: 0 raw bytes to the ONNX importer, 1 raw bytes to the TFLite
importer (TFL3 identifier forced), 2 / 3 a structured mutation (mutate.py) of an ONNX / TFLite seed
whose index and random seed come from the next bytes. The converter's Python code is instrumented,
so libFuzzer keeps inputs that reach new lines. An exception other than ConversionError (see
harness.py) stops the run with the input saved as crash-<sha1>.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

import mote.converter.api  # noqa: E402,F401  (imports both importers)

ONNX = [m.SerializeToString() for m in seeds.onnx_seeds()]
ONNX_PROTOS = seeds.onnx_seeds()
TFLITE = seeds.tflite_seeds()


def one_input(data: bytes) -> None:
    if not data:
        return
    mode, rest = data[0] % 4, data[1:]
    if mode == 0:
        harness.check(rest)
    elif mode == 1:
        harness.check(rest[:4].ljust(4, b"\0") + b"TFL3" + rest[8:])
    else:
        r = random.Random(rest)
        if mode == 2:
            harness.check(mutate.mutate_onnx(ONNX_PROTOS[len(rest) % len(ONNX_PROTOS)], r))
        else:
            harness.check(mutate.mutate_tflite(TFLITE[len(rest) % len(TFLITE)], r))


def main() -> None:
    import warnings
    warnings.simplefilter("ignore")
    args = list(sys.argv)
    corpus = [a for a in args[1:] if not a.startswith("-")]
    if corpus:  # seed an empty corpus directory with the valid models
        d = Path(corpus[0])
        d.mkdir(parents=True, exist_ok=True)
        if not any(d.iterdir()):
            for i, b in enumerate(ONNX):
                (d / f"onnx-{i}").write_bytes(b"\0" + b)
            for i, b in enumerate(TFLITE):
                (d / f"tflite-{i}").write_bytes(b"\1" + b)
    atheris.instrument_all()  # every loaded Python function (the converter, onnx's helpers)
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
