"""Malone content editor: authoring, checking and reviewing the Malone help library."""

__version__ = "0.1.0"
