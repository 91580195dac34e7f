"""Scoring a lead (pure): each unit against the other units of its province, case mix allowed for.

Input: per unit and stratum, ``n`` cases examined and ``k`` showing the pattern (and ``groups``).
For a unit ``u`` and a stratum ``s`` of its province, the rate of the *other* units is
``p = (K_s - k_us) / (N_s - n_us)`` (leave-one-out, so a unit never sets its own yardstick; a
stratum no other unit has is left out of the comparison; units flagged in a first pass are left
out of every yardstick in the second). Then

    expected  e = sum_s n_us * p          (cases expected had the unit behaved like the others)
    variance  v = sum_s n_us * p * (1 - p)
    score       = k_cmp / max(e, 0.5)     (k_cmp: flagged cases in compared strata)
    z           = (k_cmp - e - 0.5) / sqrt(v), or for rare patterns (v < 5) the normal score
                  of P(X >= k_cmp), X ~ Poisson(e) (see excess_z)

with expected counts and variances below half a case counted as half a case (a unit is never
divided by nothing).

Units of one province differ more than chance alone would make them (their case mix and habits
differ), so the z of a unit is read against the spread of the province's z values: the
dispersion ``phi = max(1, (1.4826 * MAD(z))^2)`` over the province's units with ``n >=
min_unit_cases`` (a robust quasi-binomial dispersion), and ``z_adj = z / sqrt(phi)``. A unit is
flagged when ``n >= min_unit_cases``, ``k_cmp >= min_flagged_cases``, ``score >= min_ratio`` and
``z_adj >= min_z``: clearly above its peers, and further above them than the province's units
usually are from one another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.leads.settings import Comparison

#: Expected counts and variances are floored at this many cases.
FLOOR = 0.5
#: Below this variance (in cases) the normal approximation is not trusted (see excess_z).
NORMAL_MIN_VARIANCE = 5.0

SCORE_COLUMNS = ["unit_id", "root_id", "cases_examined", "cases_flagged", "share",
                 "cases_compared", "flagged_compared", "expected", "peer_share", "score", "z",
                 "dispersion", "z_adj", "groups", "flagged"]


def score_units(agg: pd.DataFrame, comparison: Comparison,
                model: str = "binomial") -> pd.DataFrame:
    """One row per unit of ``agg`` (``unit_id, root_id, stratum, n, k, groups``) with
    :data:`SCORE_COLUMNS`: ``share = k/n``; ``peer_share = expected / exposure`` (the others'
    rate for this unit's case mix); ``dispersion`` the province's phi.

    ``model='binomial'``: ``k`` of ``n`` cases show the pattern (exposure ``n``). ``'poisson'``:
    ``k`` flagged cases against ``n - k`` reference cases (exposure ``n - k``; e.g. results on the
    due date against results on the days around it), the others' rate is flagged per reference
    case and may exceed 1; the variance is the expected count.

    Two passes: the units flagged in the first are left out of everyone's yardstick in the
    second, so a few units showing the pattern do not raise the bar for one another.
    """
    if model not in ("binomial", "poisson"):
        raise ValueError(f"unknown model {model!r}")
    if agg.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    a = agg.copy()
    a["x"] = a["n"] if model == "binomial" else a["n"] - a["k"]  # exposure
    first = _score(a, comparison, model, frozenset())
    return _score(a, comparison, model, frozenset(first.loc[first["flagged"], "unit_id"]))


def _score(a: pd.DataFrame, comparison: Comparison, model: str,
           left_out: frozenset[str]) -> pd.DataFrame:
    ref = a[~a["unit_id"].isin(left_out)]
    tot = (ref.groupby(["root_id", "stratum"])[["x", "k"]].sum()
           .rename(columns={"x": "tx", "k": "tk"}))
    a = a.join(tot, on=["root_id", "stratum"])
    own = ~a["unit_id"].isin(left_out)  # a unit in the reference is taken out of its own
    others_x = a["tx"].fillna(0) - a["x"].where(own, 0)
    others_k = a["tk"].fillna(0) - a["k"].where(own, 0)
    compared = others_x > 0
    p = (others_k / others_x.where(compared)).fillna(0.0)
    a["x_cmp"] = a["x"].where(compared, 0)
    a["n_cmp"] = a["n"].where(compared, 0)
    a["k_cmp"] = a["k"].where(compared, 0)
    a["e"] = a["x_cmp"] * p
    a["v"] = a["e"] * (1 - p) if model == "binomial" else a["e"]
    u = a.groupby(["unit_id", "root_id"], as_index=False).agg(
        cases_examined=("n", "sum"), cases_flagged=("k", "sum"), cases_compared=("n_cmp", "sum"),
        flagged_compared=("k_cmp", "sum"), exposure=("x_cmp", "sum"), expected=("e", "sum"),
        v=("v", "sum"), groups=("groups", "sum"))
    u["share"] = u["cases_flagged"] / u["cases_examined"]
    u["peer_share"] = u["expected"] / u["exposure"].where(u["exposure"] > 0)
    u["score"] = u["flagged_compared"] / np.maximum(u["expected"], FLOOR)
    u["z"] = excess_z(u["flagged_compared"].to_numpy(float), u["expected"].to_numpy(float),
                      u["v"].to_numpy(float))
    big = u["cases_examined"] >= comparison.min_unit_cases
    u["dispersion"] = u["root_id"].map(_dispersion(u[big])).fillna(1.0).astype(float)
    u["z_adj"] = u["z"] / np.sqrt(u["dispersion"])
    u["flagged"] = (big & (u["flagged_compared"] >= comparison.min_flagged_cases)
                    & (u["score"] >= comparison.min_ratio) & (u["z_adj"] >= comparison.min_z))
    for col in ("cases_examined", "cases_flagged", "cases_compared", "flagged_compared", "groups"):
        u[col] = u[col].astype("int64")
    return u[SCORE_COLUMNS].sort_values(["root_id", "unit_id"]).reset_index(drop=True)


def excess_z(k: np.ndarray, e: np.ndarray, v: np.ndarray) -> np.ndarray:
    """How surprising ``k`` is when ``e`` is expected (variance ``v``), as a normal score.

    With a variance of at least :data:`NORMAL_MIN_VARIANCE` cases the normal approximation with
    a continuity correction, ``(k - e - 0.5) / sqrt(v)``. Below it (rare patterns), when ``k >
    e``: ``P(X >= k)`` for ``X ~ Poisson(e)`` through ``P(chi2(2k) <= 2e)`` and the
    Wilson-Hilferty cube-root approximation (the normal approximation would call 5 cases where
    0.6 are expected a 5-sigma event; the tail says about 3.3).
    """
    e = np.maximum(e, FLOOR)
    v = np.maximum(v, FLOOR)
    normal = (k - e - 0.5 * np.sign(k - e)) / np.sqrt(v)
    nu = np.maximum(2 * k, 1.0)
    c = 2.0 / (9.0 * nu)
    tail = -(np.cbrt(2 * e / nu) - (1 - c)) / np.sqrt(c)
    return np.where((v < NORMAL_MIN_VARIANCE) & (k > e), tail, normal)


def _dispersion(u: pd.DataFrame) -> dict[str, float]:
    """Per province: ``max(1, (1.4826 * MAD(z))^2)`` over its units."""
    out = {}
    for root, z in u.groupby("root_id")["z"]:
        mad = float((z - z.median()).abs().median()) if len(z) else 0.0
        out[root] = max(1.0, (1.4826 * mad) ** 2)
    return out
