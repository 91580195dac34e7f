"""The progress metric's rule: which received cases count as on time (one replaceable piece).

The progress metric (``on_time_cases / received_cases``) and case satisfaction (a late case is not
satisfied) both take the per-case judgement from *one* rule, chosen by the profile key
``progress_rule`` (default ``period_end``). A rule is any object with:

* ``name`` (str) and ``description`` (one line, English, for docs and the CLI);
* ``judge_sql(profile) -> (sql, params)``: a DuckDB ``SELECT`` over the relation ``received``
  (every column of ``cases`` for the cases received in the period window) that returns **each
  row of received once, with all its columns** (``received.*``) **plus a boolean** ``on_time``.
  It may use the named parameters ``$first`` and ``$last`` (the window's dates) and any
  parameters it returns in ``params`` (each must appear in its SQL; prefix their names with the
  rule's to avoid clashes). It may read other store tables (e.g. ``case_supplements``).

Rules are looked up by name in :data:`PROGRESS_RULES` (``name -> "module:attribute"``, imported
lazily, so a rule may live in another package), or given directly as ``"module:attribute"``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard.index766.profile import Profile


class ProgressRule(Protocol):
    """What the index needs of a progress rule (see the module docstring)."""

    name: str
    description: str

    def judge_sql(self, profile: Profile) -> tuple[str, dict[str, Any]]:
        """``(SELECT received.*, <bool> AS on_time FROM received ..., params)``."""
        ...


#: The rule of the profiles shipped today: a received case is judged by its state at the
#: period's last day ``$last``: finished (resolved, withdrawn, refused) on or before ``$last`` by
#: its finishing date, otherwise by ``$last``; on time when that date is on or before its due
#: date and, with the profile's supplement rule on, it had at most ``max_requests`` supplement
#: requests.
_PERIOD_END_SQL = """
SELECT received.*,
    (COALESCE(CASE WHEN resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= $last
                   THEN CAST(resolved_at AS DATE) END, $last) <= CAST(due_at AS DATE)
     AND (CAST($period_end_max_supp AS INTEGER) IS NULL
          OR supplement_requests <= CAST($period_end_max_supp AS INTEGER))) AS on_time
FROM received
"""


@dataclass(frozen=True)
class PeriodEndRule:
    """Finished cases by their finishing date, unfinished ones at the period's last day, against
    the due date; more than the profile's ``max_requests`` supplement requests is late."""

    name: str = "period_end"
    description: str = ("finished cases by their finishing date, unfinished ones at the "
                        "period's last day, against the due date; more than max_requests "
                        "supplement requests is late")

    def judge_sql(self, profile: Profile) -> tuple[str, dict[str, Any]]:
        """The default judgement (see :data:`_PERIOD_END_SQL`)."""
        max_supp = profile.max_supplement_requests if profile.supplement_rule else None
        return _PERIOD_END_SQL, {"period_end_max_supp": max_supp}


PERIOD_END = PeriodEndRule()

#: Known rules: name -> "module:attribute" (imported when first used). Add a line here to ship
#: a new rule, then name it in a profile's ``progress_rule``.
PROGRESS_RULES: dict[str, str] = {
    "period_end": "scorecard.index766.progress:PERIOD_END",
    # the portal's published formula (issue 16.3): supplement histories from case_supplements
    "portal": "scorecard.portal_progress:PORTAL",
}

DEFAULT_PROGRESS_RULE = "period_end"


class ProgressRuleError(ScorecardError, ValueError):
    """A progress rule that does not return each received case once with an on_time value."""


class UnknownProgressRule(LookupError):
    """A progress rule name that is neither registered nor an importable ``module:attribute``."""


def resolve_progress_rule(ref: str) -> ProgressRule:
    """The rule registered as ``ref``, or the object at ``ref = "module:attribute"``."""
    target = PROGRESS_RULES.get(ref, ref)
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        known = ", ".join(sorted(PROGRESS_RULES))
        raise UnknownProgressRule(f"unknown progress rule {ref!r} (known: {known}; or give "
                                  f"module:attribute)")
    try:
        rule = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UnknownProgressRule(f"progress rule {ref!r}: cannot load {target} ({exc})") from exc
    if not callable(getattr(rule, "judge_sql", None)):
        raise UnknownProgressRule(f"progress rule {ref!r}: {target} has no judge_sql(profile)")
    return rule
