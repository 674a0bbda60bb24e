"""One fuzz input through the converter: the allowed outcomes, and everything else as a bug.

Allowed: conversion succeeds and mote.load takes the bytes (or refuses them with MoteError),
or convert raises mote.converter.ConversionError with a non-empty message.
"""

from __future__ import annotations

import warnings

import mote
from mote.converter import ConversionError


class ImporterBug(AssertionError):
    """convert() did something other than succeed or raise ConversionError with a message."""


def check(data: bytes) -> str:
    """'ok', 'load_error' or 'rejected'; raises ImporterBug for anything else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = mote.convert(data)
    except ConversionError as e:
        if not str(e).strip():
            raise ImporterBug("ConversionError with an empty message") from e
        return "rejected"
    except Exception as e:  # noqa: BLE001  (that is the point: any other exception is a bug)
        raise ImporterBug(f"{type(e).__name__}: {e}") from e
    if not isinstance(out, bytes) or not out:
        raise ImporterBug(f"convert returned {type(out).__name__} of length {len(out or b'')}")
    try:
        mote.load(out).close()
    except mote.MoteError as e:
        if not str(e).strip():
            raise ImporterBug("MoteError with an empty message") from e
        return "load_error"
    return "ok"
