"""The zoo's ONNX exports and mote conversions, made once per test session in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import pytest
from zoo_export import export, ort_run
from zoo_models import Spec, zoo_specs


@dataclass
class Exported:
    name: str
    spec: Spec
    onnx_model: onnx.ModelProto
    onnx_path: Path
    expected: dict[str, np.ndarray]  # ONNX Runtime's outputs on spec.inputs
    _mote: bytes | None = None

    def mote(self) -> bytes:
        """The converted model (converted once; a failure is raised again on every call)."""
        if self._mote is None:
            from mote.converter import convert

            self._mote = bytes(convert(self.onnx_model))
        return self._mote


class Zoo:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.specs = zoo_specs()
        self._cache: dict[str, Exported] = {}
        self._symbolic: dict[str, tuple[onnx.ModelProto, Path]] = {}

    def __getitem__(self, name: str) -> Exported:
        if name not in self._cache:
            spec = self.specs[name]
            path = self.folder / f"{name}.onnx"
            model = export(name, spec, path)
            self._cache[name] = Exported(name, spec, model, path, ort_run(path, spec.inputs))
        return self._cache[name]

    def symbolic(self, name: str, axes: dict[str, dict[int, str]]) -> tuple[onnx.ModelProto, Path]:
        """The same model (same weights) exported with symbolic dims, cached by name."""
        key = f"{name}@symbolic"
        if key not in self._symbolic:
            path = self.folder / f"{name}_symbolic.onnx"
            self._symbolic[key] = (export(name, self.specs[name], path, dynamic_axes=axes), path)
        return self._symbolic[key]


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zoo]:
    folder = tmp_path_factory.mktemp("zoo")
    yield Zoo(folder)
    shutil.rmtree(folder, ignore_errors=True)  # ~250 MB of exports; pytest keeps its last few temp dirs
