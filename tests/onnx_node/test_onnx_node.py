"""ONNX backend node conformance: every test named in enabled.txt converts with mote and
reproduces onnx's reference outputs (node_runner.py states the bound). The data is generated from
the installed onnx package on first use and cached (node_data.py)."""

from __future__ import annotations

from pathlib import Path

import enabled_list
import pytest
from node_data import ensure_data, load_case
from node_runner import run_case

ENTRIES = enabled_list.read()


@pytest.fixture(scope="session")
def node_dir() -> Path:
    return ensure_data()


def test_enabled_list_is_substantial():
    """The issue asks for at least 400 enabled node tests."""
    assert len(ENTRIES) >= 400, f"only {len(ENTRIES)} node tests enabled"


def test_enabled_names_exist(node_dir):
    """A name that the installed onnx no longer generates is an error, not a silent skip."""
    missing = [e.name for e in ENTRIES if not (node_dir / e.name / "model.onnx").is_file()]
    assert not missing, f"enabled.txt names tests onnx does not generate: {missing}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_node(node_dir, entry):
    run_case(load_case(node_dir, entry.name), entry.dynamic, entry.onnx_tol)
