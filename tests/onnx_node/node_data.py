"""The ONNX backend node tests, as data: generated once per onnx version into a cache dir.

The onnx wheel ships the test-case definitions (onnx.backend.test.case.node) but not their
data; onnx's own generator writes `node/<test>/model.onnx` and
`node/<test>/test_data_set_0/{input,output}_<i>.pb`, the layout of the onnx repository.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

# rtol / atol of onnx's backend test runner (every node case in onnx 1.23 uses these)
ONNX_RTOL = 1e-3
ONNX_ATOL = 1e-7

_EXPANDED = re.compile(r"_expanded(_ver\d+)?$")


def cache_dir() -> Path:
    """$MOTE_ONNX_NODE_DATA, else a dir per onnx version under the system temp dir."""
    env = os.environ.get("MOTE_ONNX_NODE_DATA")
    if env:
        return Path(env)
    return Path(tempfile.gettempdir()) / f"mote-onnx-node-data-{onnx.__version__}"


def ensure_data(root: Path | None = None) -> Path:
    """The `node/` dir of generated test data, generating it first if absent. Safe when
    several processes race: each writes a private dir and one rename wins."""
    root = root or cache_dir()
    node_dir = root / "node"
    if (root / "COMPLETE").is_file():
        return node_dir
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=root.name + ".partial-", dir=root.parent))
    try:
        _generate(tmp)
        (tmp / "COMPLETE").write_text(onnx.__version__ + "\n")
        try:
            os.rename(tmp, root)
        except OSError:  # another process won the race (or a stale incomplete dir is there)
            if not (root / "COMPLETE").is_file():
                shutil.rmtree(root, ignore_errors=True)
                os.rename(tmp, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return node_dir


def _generate(out: Path) -> None:
    import onnx.backend.test.case.node as node_cases
    import onnx.backend.test.cmd_tools as ct

    # generate_data writes the cases model_test.collect_testcases returns (the "real" model
    # cases, which need downloads); point it at the node cases for the duration of the call
    saved = ct.model_test.collect_testcases
    ct.model_test.collect_testcases = node_cases.collect_testcases
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            ct.generate_data(argparse.Namespace(output=str(out)))
    finally:
        ct.model_test.collect_testcases = saved


def base_name(test: str) -> str:
    """test_softmax_axis_0_expanded_ver18 -> test_softmax_axis_0 (the function-expanded
    variants of a case test the same op through its function body)."""
    return _EXPANDED.sub("", test)


@dataclass
class NodeCase:
    name: str
    model: onnx.ModelProto
    inputs: list[np.ndarray]  # in graph-input order
    outputs: list[np.ndarray]  # in graph-output order


class UnsupportedCase(Exception):
    """The case's data is not plain tensors (sequences, optionals, maps)."""


def load_case(node_dir: Path, name: str) -> NodeCase:
    d = node_dir / name
    model = onnx.load(str(d / "model.onnx"))
    data = d / "test_data_set_0"
    for vi in list(model.graph.input) + list(model.graph.output):
        if not vi.type.HasField("tensor_type"):
            kind = vi.type.WhichOneof("value")
            raise UnsupportedCase(f"{kind} value '{vi.name}' (mote runs tensors only)")
    inputs = [_read_tensor(data / f"input_{i}.pb") for i in range(len(model.graph.input))]
    outputs = [_read_tensor(data / f"output_{i}.pb") for i in range(len(model.graph.output))]
    return NodeCase(name, model, inputs, outputs)


def _read_tensor(path: Path) -> np.ndarray:
    t = onnx.TensorProto()
    t.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(t)


def all_names(node_dir: Path) -> list[str]:
    return sorted(p.name for p in node_dir.iterdir() if (p / "model.onnx").is_file())


def op_types(model: onnx.ModelProto) -> list[str]:
    return [n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}" for n in model.graph.node]
