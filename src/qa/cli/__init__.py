"""The ``qa`` command line: argument parsing and plain-text wording only."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
