"""``python -m scorecard.cli``: the same as the ``scorecard`` command."""

import sys

from scorecard.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
