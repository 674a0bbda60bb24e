"""TFLite import tests: the oracle is LiteRT (ai-edge-litert, in the test extra)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # builder.py, tflite_check.py
