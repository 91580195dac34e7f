"""Section 1 of a report: the plan's targets for one unit, as Vietnamese display frames.

A unit's evaluation rows (``scorecard.evaluate``) come in five scopes; a report shows each in
its own table (:func:`target_sections`):

- verdicts on the unit: a leaf's rows; a parent's whole-tree rows (``tree``) then its own
  (``own``);
- verdicts on a whole level (``level``, on the page of the unit heading the plan's scope): one
  pooled figure, or the share of units meeting a condition, judged once;
- tallies (``tally``, on a parent's page where its pooled figure may not be judged): "Đạt a/b
  đơn vị cấp xã" per target and level;
- contributions (``member``): a unit's own figure in a level's verdict, without a verdict of
  its own.

Which rows count (tiles, rankings) is :mod:`scorecard.evaluate.tally`; this module only picks
the rows of each table and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from scorecard.report.format import (
    LEVEL_VI,
    fmt_int,
    fmt_pct,
    fmt_threshold,
    fmt_value,
    fmt_window,
    indicator_kind,
    is_missing,
    status_vi,
)
from scorecard.scorecard_data.unit import UnitReport

_kind = indicator_kind

#: Words for the two scopes of a parent's figures.
WHOLE_VI = "toàn đơn vị (gồm các đơn vị trực thuộc)"
OWN_VI = "riêng đơn vị"

#: Columns of a verdict table (``_status`` colours the Kết quả cell).
TARGET_COLUMNS = ["Chỉ tiêu", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu", "Căn cứ",
                  "Thời gian số liệu", "Ghi chú", "_status"]
LEVEL_COLUMNS = ["Chỉ tiêu", "Cấp", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu", "Căn cứ",
                 "Thời gian số liệu", "Ghi chú", "_status"]
TALLY_COLUMNS = ["Chỉ tiêu", "Cấp", "Đơn vị đạt", "Yêu cầu", "Căn cứ", "Ghi chú"]
MEMBER_COLUMNS = ["Chỉ tiêu", "Cấp", "Số liệu của đơn vị", "Yêu cầu chung của cấp", "Căn cứ",
                  "Thời gian số liệu", "Ghi chú"]
#: What a gap in a target counts, by the indicator's unit (catalogue ``unit``).
GAP_UNIT_VI = {"cases": "hồ sơ", "procedures": "TTHC", "feedback": "PAKN", "tasks": "nhiệm vụ"}
#: A note on the window column, shown under the tables that have it.
WINDOW_NOTE = ("Thời gian số liệu: ghi khi số liệu không phải của riêng kỳ báo cáo (lũy kế từ "
               "đầu năm, lũy kế đến hạn, hoặc phần kỳ chỉ tiêu còn hiệu lực).")


def _scope(t: pd.DataFrame) -> pd.Series:
    return t["scope"] if "scope" in t.columns else pd.Series("own", index=t.index)


def headline_targets(rep: UnitReport) -> pd.DataFrame:
    """A parent's whole-tree rows (``scope='tree'``: the unit and everything below it, judged
    against each target's threshold), plan order; empty for a leaf."""
    t = rep.targets
    if not rep.is_parent or "scope" not in t.columns:
        return t.iloc[0:0]
    return t[t["scope"] == "tree"].reset_index(drop=True)


def judged_itself(rep: UnitReport) -> bool:
    """True for a leaf, and for a parent whose own level the plan judges: some own row of a
    target that also has a whole-tree row applies to it (a district of Bắc Giang 2025, not its
    province)."""
    from scorecard.evaluate.tally import judged_units

    t = rep.targets
    if not rep.is_parent or "scope" not in t.columns:
        return True
    return rep.unit["unit_id"] in judged_units(t)


def own_targets(rep: UnitReport) -> pd.DataFrame:
    """The unit's own verdict rows: a leaf's verdicts (``own``, and ``tree`` for a target whose
    scope is the tree, which for a leaf is its own cases; every row of a frame without
    scopes); a parent's ``own`` rows (only those that apply to it when the plan does not judge
    its level, e.g. a province's own task)."""
    t = rep.targets
    if "scope" not in t.columns:
        return t
    if not rep.is_parent:
        return t[t["scope"].isin(("own", "tree"))].reset_index(drop=True)
    own = t[t["scope"] == "own"]
    if not judged_itself(rep):
        own = own[own["status"] != "not_applicable"]
    return own.reset_index(drop=True)


def level_targets(rep: UnitReport) -> pd.DataFrame:
    """Verdicts on whole levels (``scope='level'``): on the page of the unit heading the plan's
    scope only."""
    t = rep.targets
    return t[_scope(t) == "level"].reset_index(drop=True)


def tally_rows(rep: UnitReport) -> pd.DataFrame:
    """A parent's tallies (``scope='tally'``): per target and level covered below it, how many
    units pass, where its pooled figure is not judged."""
    t = rep.targets
    return t[_scope(t) == "tally"].reset_index(drop=True)


def member_rows(rep: UnitReport) -> pd.DataFrame:
    """The unit's contributions (``scope='member'``) to verdicts on its level."""
    t = rep.targets
    return t[_scope(t) == "member"].reset_index(drop=True)


def counted_targets(rep: UnitReport) -> pd.DataFrame:
    """The row per target that the summary boxes and rankings count (see
    :func:`scorecard.evaluate.tally.counted_mask`)."""
    from scorecard.evaluate.tally import counted_rows

    return rep.memo("counted", lambda: counted_rows(rep.targets).reset_index(drop=True))


@dataclass
class TargetSection:
    """One table of section 1.

    ``kind``: ``verdicts`` (:func:`targets_table`), ``levels`` (:func:`level_table`),
    ``tallies`` (:func:`tally_table`) or ``members`` (:func:`member_table`). ``scope``: whose
    figures the rows are (``tree``, ``own``, ``level``, ``tally``, ``member``). ``charts``:
    draw a bullet chart per judged row."""

    title: str
    notes: list[str]
    rows: pd.DataFrame
    table_id: str
    charts: bool
    kind: str = "verdicts"
    scope: str = "own"


def target_sections(rep: UnitReport) -> list[TargetSection]:
    """The tables of section 1, in order: a leaf's own verdicts; a parent's headline (whole
    tree, with charts against the thresholds) then its own rows when the plan judges it itself
    or gives it a task of its own; verdicts on whole levels (the unit heading the plan's
    scope); tallies per level; the unit's contributions to verdicts on its level."""
    out = []
    head = headline_targets(rep)
    if len(head):
        out.append(TargetSection(
            "Toàn đơn vị (gồm các đơn vị trực thuộc)",
            ["Số liệu của đơn vị cộng với mọi đơn vị trực thuộc, so với yêu cầu của từng chỉ "
             "tiêu."], head, "targets", True, "verdicts", "tree"))
    own = own_targets(rep)
    if len(own):
        if not rep.is_parent:
            out.append(TargetSection("", [], own, "targets", True, "verdicts", "own"))
        else:
            note = ("Số liệu riêng của đơn vị (không gồm các đơn vị trực thuộc)."
                    if judged_itself(rep) else "Chỉ tiêu kế hoạch giao riêng cho đơn vị.")
            out.append(TargetSection("Riêng đơn vị", [note], own, "targets-own", not len(head),
                                     "verdicts", "own"))
    levels = level_targets(rep)
    if len(levels):
        out.append(TargetSection(
            "Chỉ tiêu chung của từng cấp",
            ["Kế hoạch giao chỉ tiêu cho cả một cấp: một số liệu chung (cộng số liệu của mọi "
             "đơn vị trong cấp), hoặc tỷ lệ đơn vị trong cấp đạt điều kiện, được đánh giá một "
             "lần. Báo cáo của từng đơn vị trong cấp ghi phần số liệu của đơn vị đó."],
            levels, "targets-level", True, "levels", "level"))
    tallies = tally_rows(rep)
    if len(tallies):
        out.append(TargetSection(
            "Số đơn vị đạt theo cấp",
            ["Không đánh giá số liệu gộp của đơn vị khi các cấp bên dưới có yêu cầu khác nhau "
             "(hoặc có cấp mà chỉ tiêu không giao): mỗi cấp ghi số đơn vị đạt trên số đơn vị "
             "được đánh giá."], tallies, "tallies", False, "tallies", "tally"))
    members = member_rows(rep)
    if len(members):
        out.append(TargetSection(
            "Phần của đơn vị trong chỉ tiêu chung của cấp",
            ["Chỉ tiêu giao cho cả cấp được đánh giá một lần trên số liệu chung (ở báo cáo của "
             "đơn vị đứng đầu phạm vi kế hoạch); đơn vị không có kết quả riêng cho các chỉ tiêu "
             "này. Bảng ghi số liệu của đơn vị góp vào số liệu chung."],
            members, "contributions", False, "members", "member"))
    return out


def section_table(rep: UnitReport, section: TargetSection) -> pd.DataFrame:
    """The display frame of one section of :func:`target_sections`."""
    table = {"verdicts": targets_table, "levels": level_table, "tallies": tally_table,
             "members": member_table}[section.kind]
    return table(rep, section.rows)


def section_notes(rep: UnitReport, section: TargetSection) -> list[str]:
    """The section's sentences, with the note on the window column when a row has one."""
    table = section_table(rep, section)
    has_window = ("Thời gian số liệu" in table.columns
                  and table["Thời gian số liệu"].astype(bool).any())
    return [*section.notes, *([WINDOW_NOTE] if has_window else [])]


def status_counts(rep: UnitReport) -> dict[str, int]:
    """How many targets of the unit have each status (the rows that count, one per target)."""
    from scorecard.evaluate.statuses import STATUSES

    vc = counted_targets(rep)["status"].value_counts()
    return {s: int(vc.get(s, 0)) for s in STATUSES}


# ------------------------------------------------------------------ cells
def _get(r: dict[str, Any], key: str) -> Any:
    return r.get(key)


def _value_cell(r: dict[str, Any], kind: str) -> str:
    """A value with its cases (3/4) when it is a rate with a value and a denominator."""
    value = fmt_value(r["value"], kind)
    den = _get(r, "denominator")
    if kind == "rate" and not is_missing(den) and not is_missing(r["value"]) and den:
        value += f" ({fmt_int(r['numerator'])}/{fmt_int(den)})"
    return value


def _is_share(r: dict[str, Any]) -> bool:
    return _get(r, "basis") == "share_of_units"


def _gap_unit(r: dict[str, Any]) -> str:
    """What a gap counts: units for a share of units, else the indicator's items."""
    from scorecard.indicators import CATALOGUE

    if _is_share(r):
        return "đơn vị"
    ind = CATALOGUE.get(str(r["indicator"]))
    return GAP_UNIT_VI.get(ind.unit if ind is not None else "", "")


def _gap_cell(r: dict[str, Any]) -> str:
    gap = _get(r, "gap_cases")
    if is_missing(gap) or r["status"] != "fail":
        return ""
    return f"{fmt_int(gap)} {_gap_unit(r)}".strip()


def _window_cell(r: dict[str, Any], period_window: tuple[date, date] | None) -> str:
    """The dates the value covers, when they are not the report's period."""
    a, b = _get(r, "window_first"), _get(r, "window_last")
    if is_missing(a) or is_missing(b):
        return ""
    first, last = pd.Timestamp(a).date(), pd.Timestamp(b).date()
    if period_window is not None and (first, last) == period_window:
        return ""
    return fmt_window(first, last)


def _note_cell(r: dict[str, Any]) -> str:
    note = _get(r, "note")
    return "" if is_missing(note) else str(note)


def _level_words(level: Any) -> str:
    """``commune`` → "cấp xã", ``department`` → "sở, ngành"."""
    word = LEVEL_VI.get(str(level), str(level))
    return word[:1].lower() + word[1:]


def _requirement(r: dict[str, Any], kind: str) -> str:
    if is_missing(r.get("threshold")):
        return ""
    return fmt_threshold(str(r["comparator"]), r["threshold"], kind)


def _period_window(rep: UnitReport) -> tuple[date, date] | None:
    return rep.window if "window" in rep.meta else None


def targets_table(rep: UnitReport, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The verdict table of ``targets`` (default the unit's own verdict rows; see
    :func:`target_sections`): status word, value (with cases), threshold, gap in cases, clause,
    the dates the value covers when they are not the period's, and the evaluation's note (why
    a row has no verdict, or how its value was taken)."""
    rows = []
    src = own_targets(rep) if targets is None else targets
    window = _period_window(rep)
    for r in src.to_dict("records"):
        kind = _kind(r["indicator"])
        rows.append({
            "Chỉ tiêu": r["label"],
            "Kết quả": status_vi(r["status"]),
            "Giá trị": _value_cell(r, kind),
            "Yêu cầu": _requirement(r, kind),
            "Còn thiếu": _gap_cell(r),
            "Căn cứ": r["clause"] or "",
            "Thời gian số liệu": _window_cell(r, window),
            "Ghi chú": _note_cell(r),
            "_status": r["status"],
        })
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _share_value(r: dict[str, Any]) -> str:
    """A share of units: "76,67% (92/120 đơn vị)"."""
    value = fmt_pct(r["value"])
    if not is_missing(_get(r, "denominator")) and not is_missing(r["value"]):
        value += f" ({fmt_int(r['numerator'])}/{fmt_int(r['denominator'])} đơn vị)"
    return value


def level_table(rep: UnitReport, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Verdicts on whole levels: the level, its pooled value (or its share of units meeting
    the condition), the threshold, the gap (cases, or units for a share), clause, window and
    note."""
    src = level_targets(rep) if rows is None else rows
    window = _period_window(rep)
    out = []
    for r in src.to_dict("records"):
        kind = _kind(r["indicator"])
        out.append({
            "Chỉ tiêu": r["label"],
            "Cấp": LEVEL_VI.get(r["level"], r["level"]),
            "Kết quả": status_vi(r["status"]),
            "Giá trị": _share_value(r) if _is_share(r) else _value_cell(r, kind),
            "Yêu cầu": _requirement(r, "rate" if _is_share(r) else kind),
            "Còn thiếu": _gap_cell(r),
            "Căn cứ": r["clause"] or "",
            "Thời gian số liệu": _window_cell(r, window),
            "Ghi chú": _note_cell(r),
            "_status": r["status"],
        })
    return pd.DataFrame(out, columns=LEVEL_COLUMNS)


def tally_words(units_met: Any, units_judged: Any, level: Any) -> str:
    """"Đạt 9/15 đơn vị sở, ngành"; "Chưa có đơn vị cấp xã nào được đánh giá" for 0 judged."""
    met = 0 if is_missing(units_met) else int(units_met)
    judged = 0 if is_missing(units_judged) else int(units_judged)
    if not judged:
        return f"Chưa có đơn vị {_level_words(level)} nào được đánh giá"
    return f"Đạt {fmt_int(met)}/{fmt_int(judged)} đơn vị {_level_words(level)}"


def tally_table(rep: UnitReport, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """A parent's tallies: per target and level, "Đạt a/b đơn vị cấp xã", the level's
    threshold, clause and the evaluation's note."""
    src = tally_rows(rep) if rows is None else rows
    out = [{
        "Chỉ tiêu": r["label"],
        "Cấp": LEVEL_VI.get(r["level"], r["level"]),
        "Đơn vị đạt": tally_words(r.get("units_met"), r.get("units_judged"), r["level"]),
        "Yêu cầu": _requirement(r, _kind(r["indicator"])),
        "Căn cứ": r["clause"] or "",
        "Ghi chú": _note_cell(r),
    } for r in src.to_dict("records")]
    return pd.DataFrame(out, columns=TALLY_COLUMNS)


def _member_value(r: dict[str, Any], kind: str) -> str:
    """A contribution: the unit's own value; for a share of units, whether it meets the
    condition (units_met/units_judged 1/1 met, 0/1 not met, 0/0 no data), with its value and
    cases when they are computed ("Chưa đạt điều kiện: 50% (2/4)")."""
    if not _is_share(r):
        return _value_cell(r, kind)
    judged = _get(r, "units_judged")
    if is_missing(judged) or not int(judged):
        return "Chưa có dữ liệu"
    word = "Đạt điều kiện" if int(_get(r, "units_met") or 0) else "Chưa đạt điều kiện"
    if is_missing(_get(r, "denominator")) or is_missing(r["value"]):
        return word  # a manual yes/no: the word says it all
    return f"{word}: {_value_cell(r, kind)}"


def member_table(rep: UnitReport, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """The unit's contributions to verdicts on its level: its own value (or whether it meets a
    share-of-units condition), the level's threshold, clause, window and note; no status."""
    src = member_rows(rep) if rows is None else rows
    window = _period_window(rep)
    out = []
    for r in src.to_dict("records"):
        kind = _kind(r["indicator"])
        out.append({
            "Chỉ tiêu": r["label"],
            "Cấp": LEVEL_VI.get(r["level"], r["level"]),
            "Số liệu của đơn vị": _member_value(r, kind),
            "Yêu cầu chung của cấp": _requirement(r, "rate" if _is_share(r) else kind),
            "Căn cứ": r["clause"] or "",
            "Thời gian số liệu": _window_cell(r, window),
            "Ghi chú": _note_cell(r),
        })
    return pd.DataFrame(out, columns=MEMBER_COLUMNS)


def chart_targets(rep: UnitReport, targets: pd.DataFrame | None = None
                  ) -> list[tuple[str, dict[str, Any], str]]:
    """Targets worth a chart (judged: pass or fail): (chart id, row, kind). Verdicts on a
    level are named ``<target>-<level>`` (one target may be judged at several levels)."""
    src = own_targets(rep) if targets is None else targets
    t = src[src["status"].isin(["pass", "fail"])]
    out = []
    for r in t.to_dict("records"):
        name = f"{r['target_id']}-{r['level']}" if _get(r, "scope") == "level" else r["target_id"]
        out.append((name, r, "rate" if _is_share(r) else _kind(r["indicator"])))
    return out
