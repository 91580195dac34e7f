"""The lines of Biểu 06 from the store, for one unit or for every unit of a period in one pass.

:class:`Form06Source` reads the period's facts once (:func:`scorecard.facts.compute_facts`: the
Biểu 06 counts and the ``residual`` measure of every unit, and the same counts per unit × field)
and then builds any unit's lines in memory by summing its subtree through the unit closure —
the sums ``compute_indicators`` makes for a tree, so the lines are those of the indicators.
``scorecard run`` writes the form of every unit of a province from one source (two queries per
period instead of one per field per unit).

Lines:

- ``by='field'``: one line per field with cases in the unit's subtree (lines with nothing to
  report left out), in field-code order; counts of units that sent only the aggregate form
  (form06 rows carry no field) get a last line :data:`~scorecard.forms.form06.NO_FIELD_LABEL`.
- ``by='unit'``: the unit's own cases (left out when it has none), then its children, each with
  its whole subtree, grouped by level in the official order (sở, ban, ngành; UBND cấp huyện;
  UBND cấp xã), by name within a level. The ``section`` column names each line's group.

Either way the lines add up to the unit's whole tree (else :class:`Form06Error`), and the form's
metadata carries the cases withdrawn or refused in the window (the ``residual`` measure: not in
column (7) nor (11), so (3) = (7) + (11) + residual) and how many units of the subtree sent only
the aggregate form (their withdrawn/refused cases are not known).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import pandas as pd
from unidecode import unidecode

from scorecard.fields import FIELD_NAMES
from scorecard.forms.form06 import (
    COUNT_COLUMNS,
    NO_FIELD_LABEL,
    ROOT_RECEIVER,
    Form06Error,
    Form06Meta,
)
from scorecard.periods import Period, parse_period

#: Columns of a lines frame (``section`` is empty for a form by field).
LINE_COLUMNS = ["unit_id", "field", "label", "section", *COUNT_COLUMNS]
#: Children's levels in the order of the official form, and their section titles.
LEVEL_ORDER = ("province", "department", "district", "commune")
SECTION_TITLES = {"province": "Cấp tỉnh", "department": "Sở, ban, ngành",
                  "district": "UBND cấp huyện", "commune": "UBND cấp xã"}
#: Section of the reporting unit's own line on a form by unit.
SELF_SECTION = "Đơn vị báo cáo trực tiếp giải quyết"
_FACTS = ["received", "received_online", "carried_over", "resolved_early", "resolved_on_time",
          "resolved_late", "pending_in_time", "pending_overdue"]


def _form_counts(f: pd.DataFrame) -> pd.DataFrame:
    """Fact columns → the form's count columns (direct/postal = received − online)."""
    out = pd.DataFrame(index=f.index)
    out["received_online"] = f["received_online"]
    out["received_direct_postal"] = f["received"] - f["received_online"]
    for c in COUNT_COLUMNS[2:]:
        out[c] = f[c]
    return out.astype("int64")


def name_key(name: str) -> tuple[str, str]:
    """Sort key of a Vietnamese name (letters before their accented forms, "Ân" with "An")."""
    return unidecode(str(name)).casefold(), str(name)


class Form06Source:
    """The facts of one period for Biểu 06 of any unit (one read of the store).

    ``units``: the units whose forms will be built (their subtrees are read; default all).
    """

    def __init__(self, con: Any, period: str | Period, *, by: Literal["field", "unit"] = "field",
                 calendar: str = "nd09", units: Iterable[str] | None = None,
                 field_labels: Mapping[str, str] | None = None) -> None:
        from scorecard.facts import compute_facts
        from scorecard.units import closure, load_units

        if by not in ("field", "unit"):
            raise Form06Error(f"by must be field or unit, not {by!r}")
        self.period = parse_period(period)
        self.by = by
        self.calendar = calendar
        self.labels = {**FIELD_NAMES, **(field_labels or {})}
        table = load_units(con)
        self.names = dict(zip(table["unit_id"], table["name"], strict=True))
        self.levels = dict(zip(table["unit_id"], table["level"], strict=True))
        self.parents = {u: (p if isinstance(p, str) else None)
                        for u, p in zip(table["unit_id"], table["parent_id"], strict=True)}
        self._kids: dict[str, list[str]] = {}
        for u, par in self.parents.items():
            if par is not None:
                self._kids.setdefault(par, []).append(u)
        wanted = set(self.names) if units is None else {str(u) for u in units}
        cl = closure(table)
        self.closure = cl[cl["ancestor_id"].isin(wanted | {c for u in wanted
                                                           for c in self.children(u)})]
        own = compute_facts(con, [self.period], calendar)
        own = own[own["unit_id"].isin(set(self.closure["descendant_id"]))]
        self.own = pd.concat([own[["unit_id"]], _form_counts(own[_FACTS].fillna(0))], axis=1)
        self.own["residual"] = own["residual"]
        self.own["aggregate_only"] = (own["source"] == "form06").astype("int64")
        self.by_field: pd.DataFrame | None = None
        if by == "field":
            fac = compute_facts(con, [self.period], calendar, by_field=True)
            fac = fac[fac["unit_id"].isin(set(self.closure["descendant_id"]))
                      & fac["field"].notna()]
            self.by_field = pd.concat([fac[["unit_id", "field"]],
                                       _form_counts(fac[_FACTS].fillna(0))], axis=1)

    def children(self, unit_id: str) -> list[str]:
        """The unit's direct children."""
        return list(self._kids.get(unit_id, []))

    def _subtree(self, unit_id: str) -> set[str]:
        return set(self.closure.loc[self.closure["ancestor_id"] == unit_id, "descendant_id"])

    def _tree_counts(self, unit_id: str) -> dict[str, int]:
        rows = self.own[self.own["unit_id"].isin(self._subtree(unit_id))]
        return {c: int(rows[c].sum()) for c in COUNT_COLUMNS}

    def _own_counts(self, unit_id: str) -> dict[str, int]:
        rows = self.own[self.own["unit_id"] == unit_id]
        return {c: int(rows[c].sum()) for c in COUNT_COLUMNS}

    def build(self, unit_id: str, *, receiving_unit: str | None = None
              ) -> tuple[pd.DataFrame, Form06Meta]:
        """The lines (:data:`LINE_COLUMNS`) and metadata of ``unit_id``'s form.

        ``receiving_unit`` defaults to the parent unit's name (:data:`ROOT_RECEIVER` for a top
        unit)."""
        if unit_id not in self.names:
            raise Form06Error(f"unknown unit {unit_id!r}")
        if self.closure[self.closure["ancestor_id"] == unit_id].empty:
            raise Form06Error(f"unit {unit_id!r} was not read by this Form06Source")
        p = self.period
        if receiving_unit is None:
            par = self.parents.get(unit_id)
            receiving_unit = self.names.get(par, "") if par is not None else ROOT_RECEIVER
        subtree = self._subtree(unit_id)
        mine = self.own[self.own["unit_id"].isin(subtree)]
        residual_known = mine["residual"].dropna()
        meta = Form06Meta(unit_id=unit_id, unit_name=self.names[unit_id], period=p.id,
                          calendar=self.calendar, by=self.by, receiving_unit=receiving_unit,
                          residual=int(residual_known.sum()),
                          aggregate_only_units=int(mine["aggregate_only"].sum()))
        total = self._tree_counts(unit_id)
        rows: list[dict[str, Any]] = []
        if self.by == "unit":
            own = self._own_counts(unit_id)
            if any(own.values()):
                rows.append({"unit_id": unit_id, "field": "", "label": self.names[unit_id],
                             "section": SELF_SECTION, **own})
            kids = self.children(unit_id)
            rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
            kids.sort(key=lambda u: (rank.get(self.levels[u], len(rank)), str(self.levels[u]),
                                     name_key(self.names[u]), u))
            for kid in kids:
                level = str(self.levels[kid])
                rows.append({"unit_id": kid, "field": "", "label": self.names[kid],
                             "section": SECTION_TITLES.get(level, level),
                             **self._tree_counts(kid)})
        else:
            assert self.by_field is not None
            fac = self.by_field[self.by_field["unit_id"].isin(subtree)]
            sums = fac.groupby("field", sort=True)[COUNT_COLUMNS].sum()
            for f, rec in sums.iterrows():
                counts = {c: int(rec[c]) for c in COUNT_COLUMNS}
                if any(counts.values()):
                    rows.append({"unit_id": "", "field": f, "label": self.labels.get(f, f),
                                 "section": "", **counts})
        lines = pd.DataFrame(rows, columns=LINE_COLUMNS)
        for c in COUNT_COLUMNS:
            lines[c] = lines[c].astype("int64")
        sums_all = {c: int(lines[c].sum()) for c in COUNT_COLUMNS}
        rest = {c: total[c] - sums_all[c] for c in COUNT_COLUMNS}
        if self.by == "field" and any(rest.values()) and min(rest.values()) >= 0:
            # units of the subtree that report only the aggregate form (form06 rows carry no
            # field): their counts get a line of their own so that the total stays the tree's
            extra = {"unit_id": "", "field": "", "label": NO_FIELD_LABEL, "section": "", **rest}
            lines = pd.concat([lines, pd.DataFrame([extra], columns=LINE_COLUMNS)],
                              ignore_index=True)
            sums_all = total
        if sums_all != total:
            diff = ", ".join(f"{c} {sums_all[c]} vs {total[c]}" for c in COUNT_COLUMNS
                             if sums_all[c] != total[c])
            raise Form06Error(
                f"the {self.by} lines of {unit_id} in {p.id} do not add up to the unit's total "
                f"({diff}); the unit tree and the counts disagree")
        return lines, meta
