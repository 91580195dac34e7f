"""Exact judging of one value against one threshold, and how many cases short it is.

Comparisons are exact (numerator/denominator as a Fraction, the threshold through Decimal), so
exactly 95% fails "> 95%" and 19/20 passes ">= 95%".
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from scorecard.plans import Target, exact

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt, ">=": operator.ge, "==": operator.eq, "<=": operator.le, "<": operator.lt,
}


def compare(value: Fraction, comparator: str, threshold: Fraction) -> bool:
    """``value <comparator> threshold``, exactly."""
    return _OPS[comparator](value, threshold)


def gap_rate(numerator: int, denominator: int, comparator: str, threshold: Fraction) -> int | None:
    """Least whole number of cases that would make ``numerator/denominator`` meet the target.

    ``>``/``>=`` (higher is better): cases moved from the rest of the denominator into the
    numerator, at most ``denominator - numerator``; ``<``/``<=`` (lower is better): cases taken
    out of the numerator (a late case that would have been on time), at most ``numerator``;
    ``==``: whichever direction reaches the threshold exactly. 0 when already met, None when no
    such number exists (e.g. "> 100%"). Example: 90 of 100 against "> 95%" → 6; ">= 95%" → 5.
    """
    if denominator <= 0:
        return None
    num, den, t = Fraction(numerator), Fraction(denominator), threshold
    if compare(num / den, comparator, t):
        return 0
    if comparator in (">", ">="):
        need = t * den - num  # k must satisfy k > need (">") or k >= need (">=")
        k = math.floor(need) + 1 if comparator == ">" else math.ceil(need)
        return k if 0 <= k <= den - num else None
    if comparator in ("<", "<="):
        need = num - t * den
        k = math.floor(need) + 1 if comparator == "<" else math.ceil(need)
        return k if 0 <= k <= num else None
    # "==": reachable only when threshold × denominator is a whole number of cases
    target = t * den
    if target.denominator != 1 or not 0 <= target <= den:
        return None
    return abs(int(target) - numerator)


def gap_count(value: Fraction, comparator: str, threshold: Fraction) -> int | None:
    """Least whole number of cases to add (``>``, ``>=``) or remove (``<``, ``<=``, ``==``) from a
    count to meet the target; 0 when met, None when impossible (a count below 0)."""
    if compare(value, comparator, threshold):
        return 0
    if comparator in (">", ">="):
        need = threshold - value
        return math.floor(need) + 1 if comparator == ">" else math.ceil(need)
    if comparator in ("<", "<="):
        need = value - threshold
        k = math.floor(need) + 1 if comparator == "<" else math.ceil(need)
        return k if k <= value else None
    diff = threshold - value
    return abs(int(diff)) if diff.denominator == 1 and threshold >= 0 else None


def exact_or_none(x: Any) -> Fraction | None:
    """A number as an exact Fraction; None for missing values (None, NaN, NA)."""
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, Fraction):
        return x
    if hasattr(x, "item"):  # numpy scalar
        x = x.item()
    if isinstance(x, float) and x.is_integer():
        return Fraction(int(x))
    return exact(x)


@dataclass
class Judgement:
    """The verdict on one value (``status``) with the figures it was made on."""

    status: str
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    gap_cases: int | None = None


def judge_value(row: Mapping[str, Any] | None, comparator: str, threshold: Fraction, kind: str,
                manual: bool = False) -> Judgement:
    """Judge one tidy row (``numerator, denominator, value``) or manual row (``value``) of an
    indicator of ``kind`` (rate, count, ratio); None = nothing measured → no_data."""
    if row is None:
        return Judgement("no_data")
    num = exact_or_none(row.get("numerator"))
    den = exact_or_none(row.get("denominator"))
    val = exact_or_none(row.get("value"))
    num_i = int(num) if num is not None and num.denominator == 1 else None
    den_i = int(den) if den is not None and den.denominator == 1 else None
    if manual or kind not in ("rate", "ratio"):
        # counts (value = numerator) and manual measurements: judged on the value
        if val is None:
            val = num if kind == "count" else None
        if val is None:
            return Judgement("no_data", numerator=num_i, denominator=den_i)
        ok = compare(val, comparator, threshold)
        gap = gap_count(val, comparator, threshold) if kind == "count" else None
        return Judgement("pass" if ok else "fail", float(val), num_i, den_i, gap)
    # rates and ratios: exact numerator / denominator when both are known
    if den is not None:
        if den == 0 or num is None:
            return Judgement("no_data", None, num_i, den_i)
        exact_value = num / den
    elif val is not None:
        exact_value = val
    else:
        return Judgement("no_data", None, num_i, den_i)
    ok = compare(exact_value, comparator, threshold)
    gap = None
    if kind == "rate" and num_i is not None and den_i is not None:
        gap = gap_rate(num_i, den_i, comparator, threshold)
    return Judgement("pass" if ok else "fail", float(exact_value), num_i, den_i,
                     0 if ok else gap)


def judge(target: Target, row: Mapping[str, Any] | None) -> Judgement:
    """Judge ``target`` on one row of its indicator (for a share-of-units target: the
    condition a unit must meet)."""
    if target.condition is not None:
        c = target.condition
        return judge_value(row, c.comparator, c.threshold_exact, c.kind or "rate",
                           target.measure == "manual")
    return judge_value(row, target.comparator, target.threshold_exact, target.kind or "rate",
                       target.measure == "manual")
