"""The ``qa`` command's entry point: read the bot's configuration, then run the offline CLI.

The core (qa.cli) never reads the environment; this front-end shim reads it exactly as
``qa-bot`` does (process environment over ``.env`` in the working directory), so an admin's
``qa add`` writes into the folder the bot answers from (QA_REPORTS_DIR).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from qa.cli import main as cli_main
from qa_bot.config import load_env


def main(argv: Sequence[str] | None = None, dotenv_path: Path | None = None) -> int:
    """Run ``qa`` with QA_REPORTS_DIR (and the rest of the bot's settings) as defaults."""
    return cli_main(sys.argv[1:] if argv is None else argv, load_env(dotenv_path))


if __name__ == "__main__":
    sys.exit(main())
