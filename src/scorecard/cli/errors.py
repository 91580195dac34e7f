"""Errors → exit codes: the one place a command's failure becomes a line on stderr.

Exit codes of every sub-command:

- 0: done;
- 1: done, but some items failed (files not loaded, units not rendered); the handler reports
  them and returns 1 itself;
- 2: a usage or data error: argparse's own (bad option, missing argument) or, through
  :func:`run_command`, an error the user can fix (:class:`UserError`, any
  :class:`~scorecard.errors.ScorecardError`, a missing file), printed as
  ``scorecard <command>: <first line of the message>``, never a stack trace.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

#: A sub-command's handler: the parsed arguments → its exit code.
Handler = Callable[[argparse.Namespace], int]

#: Exit code of a usage or data error (argparse's own code for a bad command line).
USAGE_ERROR = 2


class UserError(Exception):
    """An error the user can fix; printed as one line."""


def run_command(command: str, run: Handler, args: argparse.Namespace) -> int:
    """Run ``run(args)``; an error the user can fix ends as one line on stderr and exit code 2."""
    from scorecard.errors import ScorecardError

    try:
        return int(run(args) or 0)
    except (UserError, ScorecardError, FileNotFoundError) as exc:
        # every module's user-fixable error derives from ScorecardError: one line, no trace
        message = str(exc).splitlines()[0] if str(exc) else repr(exc)
        print(f"scorecard {command}: {message}", file=sys.stderr)
        return USAGE_ERROR
