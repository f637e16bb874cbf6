"""``python -m qa.cli``: the same as the ``qa`` command."""

import sys

from .main import main

sys.exit(main())
