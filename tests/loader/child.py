"""Child process for the corruption tests: `python child.py VARIANTS.pkl START THREADS`.

For each variant from START on, prints `B <i>` before touching it and `E <i> <verdict>` after, so
the parent can name the variant that killed or hung the process and resume after it. Verdicts:
`ok` (loaded and ran on zeros), `rej <message>` (mote.MoteError with libmote's message),
`FAIL <why>` (anything else: another exception, an empty message).
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import sys

# a corrupted size must fail as an error, not take the machine's memory (under ASan, which
# reserves terabytes of shadow address space, ASAN_OPTIONS caps allocations instead)
_LIMIT = 3 << 30
if "asan" not in os.environ.get("LD_PRELOAD", ""):
    resource.setrlimit(resource.RLIMIT_AS, (_LIMIT, _LIMIT))
# a variant that runs longer than this is a hang: SIGALRM's default action ends the process
VARIANT_SECONDS = 10

import numpy as np  # noqa: E402  (after the memory limit is set)

import mote  # noqa: E402


def verdict(data: bytes, threads: int) -> str:
    try:
        model = mote.load(data, num_threads=threads)
        feeds = {s.name: np.zeros(s.shape, dtype=s.dtype) for s in model.inputs}
        outputs = model.run(feeds)
        want = {s.name for s in model.outputs}
        if set(outputs) != want:
            return f"FAIL run returned outputs {sorted(outputs)}, specs say {sorted(want)}"
        return "ok"
    except mote.MoteError as e:
        message = (getattr(e, "message", None) or "").strip()
        if not message:
            return f"FAIL MoteError without a libmote message: {e}"
        return "rej " + message.replace("\n", " ")[:200]
    except Exception as e:  # noqa: BLE001 - anything but MoteError is a failure to report
        return f"FAIL {type(e).__name__}: {str(e)[:200]}".replace("\n", " ")


def main() -> None:
    path, start, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, "rb") as f:
        datas: list[bytes] = pickle.load(f)
    out = sys.stdout
    for i in range(start, len(datas)):
        out.write(f"B {i}\n")
        out.flush()
        signal.alarm(VARIANT_SECONDS)
        v = verdict(datas[i], threads)
        signal.alarm(0)
        out.write(f"E {i} {v}\n")
        out.flush()
    out.write("DONE\n")
    out.flush()
    os._exit(0)  # skip interpreter teardown: nothing to flush, and it is not under test


if __name__ == "__main__":
    main()
