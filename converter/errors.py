"""Errors the converter raises."""


class ConversionError(Exception):
    """A model cannot be converted; the message says what and where."""
