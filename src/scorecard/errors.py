"""The base of every error a user can fix (a bad file, period, plan, unit, profile or store).

Each module keeps its own error class (``PeriodError``, ``PlanError``, ``ReadError``…) and also
derives it from :class:`ScorecardError`, so the command line catches them all in one place and
prints one line instead of a stack trace."""

from __future__ import annotations


class ScorecardError(Exception):
    """An error the user can fix; its message names the file, key, row or value at fault."""
