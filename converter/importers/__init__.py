"""Importers: parse a source model format into the converter IR."""
