"""A hand-made evaluation, task listing and 766 breakdown for the summary.xlsx tests.

Units: province P "Tỉnh Thử"; department S1 "Sở Tư pháp"; district H1 "Huyện Đông" with
communes X1 "Xã An" and X2 "Xã Bình". Targets (period 2025Q2, 01/04/2025 – 30/06/2025):

- ``on_time`` (on_time_rate > 95%, one threshold for every level): own S1 10/10 pass, H1 24/25
  = 96% pass, X1 8/10 fail, X2 5/5 pass; pooled H1 37/40 = 92,5% fail, P 47/50 = 94% fail.
  Headline 94% Không đạt; departments 1/1, districts 1/1, communes 1/2.
- ``apology`` (apology_rate ≥ 100%, by a deadline): in progress everywhere, X2 no data.
- ``online`` (online_rate: district ≥ 50%, commune ≥ 30%: no pooled verdict): H1 60% pass,
  X1 40% pass, X2 10% fail, S1 not applicable; P's tallies: districts 1/1, communes 1/2.
- ``digitized`` (basis level, communes ≥ 50%): one level row on P, pass at 55%; the communes'
  member rows carry no verdict.
"""

from __future__ import annotations

import pandas as pd

UNITS = {"P": ("Tỉnh Thử", "province"), "S1": ("Sở Tư pháp", "department"),
         "H1": ("Huyện Đông", "district"), "X1": ("Xã An", "commune"),
         "X2": ("Xã Bình", "commune")}
TARGETS = {  # id: (label, clause, indicator, comparator, threshold)
    "on_time": ("Tỷ lệ hồ sơ giải quyết đúng hạn", "II.6", "on_time_rate", ">", 0.95),
    "apology": ("Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi", "III.3", "apology_rate", ">=", 1.0),
    "online": ("Tỷ lệ hồ sơ trực tuyến", "II.4", "online_rate", ">=", 0.5),
    "digitized": ("Tỷ lệ hồ sơ được số hóa", "II.1", "digitized_rate", ">=", 0.5),
}


def _row(unit, scope, target, status, value=None, num=None, den=None, level=None,
         met=None, judged=None, threshold=None):  # type: ignore[no-untyped-def]
    label, clause, indicator, comparator, thr = TARGETS[target]
    return {"unit_id": unit, "unit_name": UNITS[unit][0], "level": level or UNITS[unit][1],
            "scope": scope, "period": "2025Q2", "target_id": target, "indicator": indicator,
            "label": label, "value": value, "numerator": num, "denominator": den,
            "comparator": comparator, "threshold": thr if threshold is None else threshold,
            "status": status, "clause": clause, "units_met": met, "units_judged": judged}


def evaluation() -> pd.DataFrame:
    rows = [
        _row("P", "tree", "on_time", "fail", 0.94, 47, 50),
        _row("S1", "own", "on_time", "pass", 1.0, 10, 10),
        _row("H1", "own", "on_time", "pass", 0.96, 24, 25),
        _row("H1", "tree", "on_time", "fail", 0.925, 37, 40),
        _row("X1", "own", "on_time", "fail", 0.8, 8, 10),
        _row("X2", "own", "on_time", "pass", 1.0, 5, 5),
        _row("P", "tree", "apology", "in_progress", 0.5, 1, 2),
        _row("S1", "own", "apology", "in_progress", 0.0, 0, 1),
        _row("H1", "own", "apology", "in_progress", 1.0, 1, 1),
        _row("H1", "tree", "apology", "in_progress", 1.0, 1, 1),
        _row("X1", "own", "apology", "in_progress", None, 0, 0),
        _row("X2", "own", "apology", "no_data", None, 0, 0),
        _row("P", "tally", "online", "not_applicable", level="district", met=1, judged=1),
        _row("P", "tally", "online", "not_applicable", level="commune", met=1, judged=2),
        _row("S1", "own", "online", "not_applicable"),
        _row("H1", "own", "online", "pass", 0.6, 6, 10),
        _row("H1", "tally", "online", "not_applicable", level="commune", met=1, judged=2),
        _row("X1", "own", "online", "pass", 0.4, 4, 10, threshold=0.3),
        _row("X2", "own", "online", "fail", 0.1, 1, 10, threshold=0.3),
        _row("P", "level", "digitized", "pass", 0.55, 11, 20, level="commune"),
        _row("X1", "member", "digitized", "not_applicable", 0.6, 6, 10),
        _row("X2", "member", "digitized", "not_applicable", 0.5, 5, 10),
    ]
    return pd.DataFrame(rows)


def task_listing() -> pd.DataFrame:
    """H1: T1 done on time, T2 overdue 30 days; S1: T1 done late (10 days), T3 not due, T4
    continuous. At 30/06/2025: H1 đúng hạn 1/2, quá hạn 1; S1 đúng hạn 0/1, quá hạn 0."""
    from scorecard.tasks import LISTING_COLUMNS

    def t(uid, task, text, deadline, due, status, done=None, late=None, overdue=None):  # type: ignore[no-untyped-def]
        return {"plan_id": "test-plan", "period": "2025Q2", "task_id": task, "group": "I",
                "group_title": "NHIỆM VỤ", "text": text, "unit_id": uid,
                "unit_name": UNITS[uid][0], "level": UNITS[uid][1], "lead": "Các đơn vị",
                "occurrence": "", "deadline": deadline, "deadline_kind": "date",
                "due": pd.Timestamp(due) if due else pd.NaT, "due_in_period": False,
                "status": status, "done_on": pd.Timestamp(done) if done else pd.NaT,
                "days_late": late, "days_overdue": overdue, "last_activity": pd.NaT,
                "document": None, "note": None, "flag": None}

    rows = [
        t("H1", "T1", "Ban hành kế hoạch", "Trước ngày 31/03/2025", "2025-03-31",
          "done_on_time", "2025-03-20"),
        t("H1", "T2", "Rà soát quy trình nội bộ", "Tháng 5/2025", "2025-05-31", "overdue",
          overdue=30),
        t("S1", "T1", "Ban hành kế hoạch", "Trước ngày 31/03/2025", "2025-03-31", "done_late",
          "2025-04-10", late=10),
        t("S1", "T3", "Báo cáo 9 tháng", "Tháng 9/2025", "2025-09-30", "not_due"),
        t("S1", "T4", "Tuyên truyền", "Thường xuyên", None, "continuous"),
    ]
    df = pd.DataFrame(rows, columns=LISTING_COLUMNS)
    df["days_late"] = df["days_late"].astype("Int64")
    df["days_overdue"] = df["days_overdue"].astype("Int64")
    df.attrs["has_register"] = True
    return df


def index766() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, breakdown): P (tree) 32/38, S1 (own) 16/38 in two groups.

    P: Công khai 17/18 (m1 5/6 manual, m2 12/12 manual), Tiến độ 15/20 (m3 computed) → lost
    "Đúng hạn −5,00; Công bố đúng hạn −1,00". S1: Công khai 16/18 (m1 6/6, m2 10/12, manual),
    Tiến độ: no value (m3 none) → lost "Đúng hạn −20,00; Công khai đầy đủ −2,00"."""
    summary = pd.DataFrame([
        {"unit_id": "P", "name": "Tỉnh Thử", "level": "province", "period": "2025Q2",
         "scope": "tree", "points": 32.0, "max_points": 38.0, "no_data_points": 0.0,
         "band": "Khá", "band_confirmed": True, "rank": 1, "units_ranked": 1},
        {"unit_id": "S1", "name": "Sở Tư pháp", "level": "department", "period": "2025Q2",
         "scope": "own", "points": 16.0, "max_points": 38.0, "no_data_points": 20.0,
         "band": "Yếu", "band_confirmed": True, "rank": 1, "units_ranked": 1},
    ])
    metrics = [("g1", "Công khai", 18.0, "m1", "Công bố đúng hạn", 6.0),
               ("g1", "Công khai", 18.0, "m2", "Công khai đầy đủ", 12.0),
               ("g2", "Tiến độ", 20.0, "m3", "Đúng hạn", 20.0)]
    got = {("P", "tree"): ([5.0, 12.0, 15.0], ["manual", "manual", "computed"], [17.0, 15.0]),
           ("S1", "own"): ([6.0, 10.0, None], ["manual", "manual", "none"], [16.0, 0.0])}
    rows = []
    for (uid, scope), (points, sources, groups) in got.items():
        for (g, glabel, gmax, m, label, mx), pts, src in zip(metrics, points, sources,
                                                              strict=True):
            rows.append({"unit_id": uid, "scope": scope, "period": "2025Q2", "group": g,
                         "group_label": glabel,
                         "group_points": groups[0] if g == "g1" else groups[1],
                         "group_max_points": gmax, "metric": m, "label": label,
                         "source": src, "status": src, "numerator": None,
                         "denominator": None, "rate": None, "points": pts, "max_points": mx,
                         "points_lost": round(mx - (pts or 0.0), 2), "basis": None})
    return summary, pd.DataFrame(rows)
