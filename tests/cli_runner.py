"""Run the `qa` CLI in-process with a given standard input; return (code, stdout, stderr)."""

from __future__ import annotations

import io
import sys

import pytest

from qa.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str,
            stdin: str = "") -> tuple[int, str, str]:
    """Run ``qa argv…`` reading ``stdin``; a prompt that reads more gets end of input."""
    old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err
