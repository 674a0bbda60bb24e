"""Print the stripped size of a built libmote (CI output; issue 'Reach' tracks the budget).

Usage: python runtime_c/tools/report_size.py BUILD_DIR/libmote.so [STRIP]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def stripped_size(lib: Path, strip: str = "strip") -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / lib.name
        shutil.copyfile(lib, copy)
        subprocess.run([strip, "--strip-unneeded", str(copy)], check=True)
        return copy.stat().st_size


def main() -> int:
    lib = Path(sys.argv[1]).resolve()
    strip = sys.argv[2] if len(sys.argv) > 2 else "strip"
    size = stripped_size(lib, strip)
    print(f"libmote size: {lib.parent.name}/{lib.name} {lib.stat().st_size} bytes, stripped {size} bytes ({size / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
