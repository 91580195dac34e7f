"""Task reports of the demo province (DỮ LIỆU MẪU): unit roles and a ``task_status`` file.

Called by :func:`scorecard.demo.generate_demo`. Its own random stream (``[seed, 10]``), so the
values every other demo file gets are unchanged. The reports follow the demo plan's register
(Bắc Giang 2025): occurrences due by the end of the demo data (30/06/2025) are done on time, done
late or missing; a few later ones are done early; continuous tasks get activity reports, so a
2025Q2 render shows every status.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from scorecard.config import DEFAULT_DEMO_PLAN
from scorecard.plans import load_plan
from scorecard.tasks.occurrences import expand_occurrences
from scorecard.tasks.owners import scope_units, task_owners
from scorecard.tasks.register import find_register

#: Roles the demo units carry (``units.roles``): the province stands for its office and its
#: one-stop centre; three departments are the Sở the registers name.
DEMO_ROLES: dict[str, str] = {
    "DEMO-TINH": "van_phong_ubnd;trung_tam_hcc",
    "DEMO-S01": "so_tu_phap",
    "DEMO-S13": "so_tttt",
    "DEMO-S14": "so_noi_vu",
}

#: Last day of the demo data; reports are never dated after it.
DEMO_END = date(2025, 6, 30)
#: The plan's signing day: nothing is done before it.
DEMO_START = date(2025, 1, 16)

TASK_STATUS_COLUMNS = ["plan_id", "task_id", "unit_id", "occurrence", "done_on", "document", "note"]


def with_roles(units: pd.DataFrame) -> pd.DataFrame:
    """The units frame with a ``roles`` column (empty for units without a role)."""
    out = units.copy()
    out["roles"] = out["unit_id"].map(DEMO_ROLES).fillna("")
    return out


def build_task_status(units: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The demo's ``task_status`` rows for the demo plan (pure: same seed, same rows)."""
    rng = np.random.default_rng([seed, 10])
    if not DEFAULT_DEMO_PLAN.is_file():  # a parameter folder without the demo plan: no reports
        return pd.DataFrame(columns=TASK_STATUS_COLUMNS)
    plan = load_plan(DEFAULT_DEMO_PLAN)
    register = find_register(plan)
    if register is None:
        return pd.DataFrame(columns=TASK_STATUS_COLUMNS)
    scope = scope_units(with_roles(units), plan.root_unit)
    occ = expand_occurrences(register, plan, task_owners(register, scope), scope)
    occ = occ[occ["unit_id"].notna()]
    rows = []
    for rec in occ.to_dict("records"):
        due = rec["due"].date() if pd.notna(rec["due"]) else None
        cap = rec["level_valid_to"].date() if pd.notna(rec["level_valid_to"]) else None
        done_on, note = _draw(rng, due, cap)
        if done_on is None:
            continue
        number = int(rng.integers(10, 999))
        rows.append({"plan_id": register.plan_id, "task_id": rec["task_id"],
                     "unit_id": rec["unit_id"], "occurrence": _occurrence(rec, done_on),
                     "done_on": done_on.isoformat(),
                     "document": f"Số {number}/BC (DỮ LIỆU MẪU)", "note": note})
    return pd.DataFrame(rows, columns=TASK_STATUS_COLUMNS)


def _draw(rng: np.random.Generator, due: date | None, cap: date | None) -> tuple[date | None, str]:
    """When (if ever) a demo unit reports one occurrence done, and a note."""
    u = rng.random()
    if due is None:  # continuous: an activity report for half of the units
        if u < 0.5:
            return DEMO_START + timedelta(days=int(rng.integers(0, (DEMO_END - DEMO_START).days))), ""
        return None, ""
    if cap is not None and due > cap:
        return None, ""
    if due > DEMO_END:  # not due yet: a few are done early
        return (DEMO_END - timedelta(days=int(rng.integers(0, 60))), "Hoàn thành sớm") \
            if u < 0.1 else (None, "")
    if u < 0.6:
        return max(DEMO_START, due - timedelta(days=int(rng.integers(0, 21)))), ""
    if u < 0.85:
        late = due + timedelta(days=int(rng.integers(1, 46)))
        return (late, "Hoàn thành chậm") if late <= DEMO_END else (None, "")
    return None, ""


def _occurrence(rec: dict, done_on: date) -> str:
    """A recurring occurrence keeps its id; an activity report of a continuous task names the
    quarter it was made in; a single due date takes ''."""
    if rec["occurrence"] or pd.notna(rec["due"]):
        return str(rec["occurrence"])
    return f"{done_on.year}Q{(done_on.month - 1) // 3 + 1}"
