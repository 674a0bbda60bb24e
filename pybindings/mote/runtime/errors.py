"""Exceptions raised by the mote runtime bindings.

`MoteError` reports a failure inside libmote. Caller mistakes raise subclasses
of the built-in exceptions one would expect (KeyError, ValueError, TypeError),
so generic handlers keep working.
"""

from __future__ import annotations


class MoteError(RuntimeError):
    """A libmote call failed. `status` is the C status code, `status_name` its
    name (e.g. "MOTE_ERROR_INVALID_MODEL"), `message` libmote's explanation."""

    def __init__(self, status: int, status_name: str, message: str, what: str = "") -> None:
        self.status = status
        self.status_name = status_name
        self.message = message
        text = message or status_name
        if what:
            text = f"{what}: {text}"
        super().__init__(f"{text} [{status_name}]")


class InputNameError(KeyError):
    """A feed names an input the model does not have."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class MissingInputError(ValueError):
    """Not every model input was given."""


class InputShapeError(ValueError):
    """An input array's shape differs from the model's."""


class InputDtypeError(TypeError, ValueError):
    """An input array's dtype differs from the model's (never cast silently)."""


class ModelClosedError(ValueError):
    """The model or interpreter was used after close()."""
