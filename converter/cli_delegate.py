"""`--delegate NAME` and `--delegate-option KEY=VALUE` for `mote run`, `inspect` and `bench`."""

from __future__ import annotations

import argparse
from typing import Any


class DelegateUsageError(ValueError):
    pass


def add_delegate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--delegate", choices=["vulkan"],
                   help="run the ops the GPU supports on it (the rest on the CPU); without a usable GPU the "
                        "model runs on the CPU with a warning")
    p.add_argument("--delegate-option", action="append", metavar="KEY=VALUE",
                   help="a delegate option (repeatable): allow_cpu_device=true (e.g. lavapipe), device_index=N, "
                        "min_ops=N, max_partitions=N, fp16=true, library_path=PATH, pipeline_cache_path=PATH, required=true")


def _value(key: str, text: str, kind: type) -> Any:
    if kind is bool:
        low = text.lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise DelegateUsageError(f"--delegate-option {key} takes true or false, got {text!r}")
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise DelegateUsageError(f"--delegate-option {key} takes an integer, got {text!r}") from None
    return text


def delegate_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for mote.load: {} without --delegate."""
    from mote.runtime.delegate import VULKAN_OPTIONS

    items = getattr(args, "delegate_option", None) or []
    if not args.delegate:
        if items:
            raise DelegateUsageError("--delegate-option needs --delegate (e.g. --delegate vulkan)")
        return {}
    options: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise DelegateUsageError(f"--delegate-option takes KEY=VALUE, got {item!r}")
        if key not in VULKAN_OPTIONS:
            raise DelegateUsageError(f"unknown delegate option {key!r}; known: {', '.join(VULKAN_OPTIONS)}")
        options[key] = _value(key, text, VULKAN_OPTIONS[key][0])
    return {"delegate": args.delegate, "delegate_options": options}
