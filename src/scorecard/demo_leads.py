"""The demo province's inputs for the leads, and the patterns planted in named units (pure).

Kept apart from :mod:`scorecard.demo`, with their own random streams (``[seed, 20 + i, ...]``), so
the values every existing column gets for a seed do not change:

- two case columns, added to every generated chunk (:func:`add_lead_columns`):
  ``supplement_requested_at`` (for cases with a supplement request) and ``applicant_key`` (the
  HMAC pseudonym of a made-up ID number under the published demo key :data:`DEMO_KEY_TEXT`);
- the procedures' ``statutory_days`` (:func:`statutory_days`);
- extra cases (``cases_planted.parquet``, :func:`planted_cases`), ids ``DEMO-HS-L…``.

Planted, in the units of :data:`PLANTED` (every other unit with cases is clean for that lead):

- ``supplement_near_due``: most supplement requests 0-2 working days before the due date
  (elsewhere: in the first half of the time between receipt and the due date);
- ``refile_after_withdrawal``: most withdrawn/refused cases are followed by a new case of the
  same procedure by the same applicant within days (elsewhere: 4%, honest re-filings);
- ``appointment_beyond_statutory``: the two departments' appointment dates exceed the statutory
  time of half their procedures (their published ``statutory_days`` is shorter than the time they
  give); the district gets extra cases with appointment dates 5 working days too late;
- ``due_date_spike``: extra cases resolved on their due date, about one for every on-time case;
- ``off_hours_bulk``: two batches a month of 24-30 results recorded between 22:30 and 01:30 or on
  a Sunday morning.

The demo ID numbers (:func:`applicant_ids`) start with ``099``, a province code no real CCCD has.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scorecard import demo
from scorecard.demo.timeline import _BUSDAYS, _office_minutes, _working_days
from scorecard.pseudonym import applicant_keys, key_from_text

#: The named units where each pattern is planted.
PLANTED: dict[str, tuple[str, ...]] = {
    "supplement_near_due": ("DEMO-S06", "DEMO-S08", "DEMO-H05"),
    "refile_after_withdrawal": ("DEMO-S03", "DEMO-S01", "DEMO-H02"),
    "appointment_beyond_statutory": ("DEMO-S10", "DEMO-S12", "DEMO-H07"),
    "due_date_spike": ("DEMO-S02", "DEMO-H01", "DEMO-H04"),
    "off_hours_bulk": ("DEMO-S05", "DEMO-H06", "DEMO-X0803"),
}
#: The published key of the demo's pseudonyms (not a secret: the demo IDs are made up).
DEMO_KEY_TEXT = "scorecard-demo-pseudonym-key (DU LIEU MAU, not a secret)"
PLANTED_FILE = "cases_planted.parquet"
_STREAM = 20
_NEAR_DUE_SHARE = 0.85
_REFILE_PLANTED, _REFILE_CLEAN = 0.75, 0.04
_FREQUENT_SHARE, _FREQUENT_POOL = 0.05, 50
_LEAD_FIELDS = [("supplement_requested_at", pa.timestamp("ms")), ("applicant_key", pa.string())]


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAM, *stream])


def demo_key():  # type: ignore[no-untyped-def]
    """The demo's :class:`~scorecard.pseudonym.PseudonymKey`."""
    return key_from_text(DEMO_KEY_TEXT, "demo")


def applicant_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` made-up 12-digit ID numbers: ``099`` (no real province), a century/sex digit, a
    birth year and six digits, as strings."""
    tail = rng.integers(0, 10**9, n, dtype=np.int64)
    head = 99_000 + rng.integers(0, 4, n) * 100 + rng.integers(40, 100, n)  # 099 c yy
    return np.char.add(np.char.zfill(head.astype(str), 6), np.char.zfill(
        (tail % 10**6).astype(str), 6))


def _near_due_day(rday: np.ndarray, dday: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    back = np.busday_offset(dday, -rng.integers(0, 3, len(dday)), roll="backward",
                            busdaycal=_BUSDAYS)
    return np.maximum(back, rday)


def _early_day(rday: np.ndarray, dday: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A working day in the first half of the time between receipt and the due date."""
    span = np.maximum(np.busday_count(rday, dday, busdaycal=_BUSDAYS), 0)
    k = (rng.random(len(rday)) * (span // 2 + 1)).astype(np.int64)
    return np.busday_offset(rday, k, roll="forward", busdaycal=_BUSDAYS)


def _supplement_times(t: pa.Table, planted: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """When the (last) supplement request was made: in planted units mostly 0-2 working days
    before the due date, elsewhere in the first half of the processing time; never after the
    case was finished."""
    received = t.column("received_at").to_numpy().astype("datetime64[m]")
    due = t.column("due_at").to_numpy().astype("datetime64[m]")
    res = t.column("resolved_at").to_numpy(zero_copy_only=False).astype("datetime64[m]")
    rday, dday = received.astype("datetime64[D]"), due.astype("datetime64[D]")
    near = planted & (rng.random(len(rday)) < _NEAR_DUE_SHARE)
    day = np.where(near, _near_due_day(rday, dday, rng), _early_day(rday, dday, rng))
    at = day.astype("datetime64[m]") + _office_minutes(rng, len(day))
    at = np.where(at <= received, received + np.timedelta64(30, "m"), at)
    span = np.where(np.isnat(res), np.timedelta64(0, "m"), res - received)
    before_end = received + (rng.random(len(at)) * span.astype(np.int64)).astype("timedelta64[m]")
    at = np.where(~np.isnat(res) & (at >= res), before_end, at)
    asked = t.column("supplement_requests").to_numpy() > 0
    return np.where(asked, at, np.datetime64("NaT")).astype("datetime64[ms]")


def _applicants(t: pa.Table, planted: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One made-up ID per case: mostly fresh, a few from the unit's frequent filers; a withdrawn
    or refused case passes its ID to the next case of the same unit and procedure received within
    20 days after it (in planted units mostly, elsewhere rarely)."""
    n = t.num_rows
    unit = t.column("unit_id").to_numpy(zero_copy_only=False).astype(str)
    proc = t.column("procedure_id").to_numpy(zero_copy_only=False).astype(str)
    ids = applicant_ids(rng, n)
    frequent = rng.random(n) < _FREQUENT_SHARE
    # each unit has its own pool of frequent filers (businesses, services)
    names, unit_index = np.unique(unit, return_inverse=True)
    pool = applicant_ids(rng, len(names) * _FREQUENT_POOL).reshape(len(names), _FREQUENT_POOL)
    slot = rng.integers(0, _FREQUENT_POOL, n)
    ids = np.where(frequent, pool[unit_index, slot], ids)
    received = t.column("received_at").to_numpy().astype("datetime64[m]")
    finished = t.column("resolved_at").to_numpy(zero_copy_only=False).astype("datetime64[m]")
    status = t.column("status").to_numpy(zero_copy_only=False).astype(str)
    residual = np.isin(status, ("withdrawn", "refused"))
    p_refile = np.where(planted, _REFILE_PLANTED, _REFILE_CLEAN)
    refile = np.flatnonzero(residual & (rng.random(n) < p_refile))
    group = np.char.add(np.char.add(unit, "|"), proc)
    order = np.lexsort((received, group))
    g_sorted, r_sorted = group[order], received[order]
    for i in refile:
        lo = np.searchsorted(g_sorted, group[i], side="left")
        hi = np.searchsorted(g_sorted, group[i], side="right")
        j = lo + np.searchsorted(r_sorted[lo:hi], finished[i], side="left")
        if j < hi and r_sorted[j] <= finished[i] + np.timedelta64(20 * 1440, "m"):
            ids[order[j]] = ids[i]
    return ids


def lead_values(table: pa.Table, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The supplement request times and the made-up ID numbers of a chunk of
    :func:`scorecard.demo.case_chunks` (pure: the stream is the seed and the chunk's first case
    number, so the values can be recomputed from the chunk alone)."""
    first = int(str(table.column("case_id")[0].as_py())[-10:])
    rng = _rng(seed, 1, first)
    unit = table.column("unit_id")
    supp = _supplement_times(table, pc.is_in(unit, pa.array(PLANTED["supplement_near_due"]))
                             .to_numpy(zero_copy_only=False), rng)
    ids = _applicants(table, pc.is_in(unit, pa.array(PLANTED["refile_after_withdrawal"]))
                      .to_numpy(zero_copy_only=False), rng)
    return supp, ids


def add_lead_columns(table: pa.Table, seed: int) -> pa.Table:
    """``table`` (a chunk of :func:`scorecard.demo.case_chunks`) with ``supplement_requested_at``
    and ``applicant_key`` (the demo key's pseudonym of :func:`lead_values`' IDs) appended."""
    supp, ids = lead_values(table, seed)
    keys = list(applicant_keys(ids.tolist(), demo_key()))
    return (table.append_column(pa.field(*_LEAD_FIELDS[0]), pa.array(supp, from_pandas=True))
            .append_column(pa.field(*_LEAD_FIELDS[1]), pa.array(keys, pa.string())))


def statutory_days(world: demo.World) -> np.ndarray:
    """The statutory processing time (working days) of each procedure: the time the demo gives,
    except for half the procedures of the planted departments, whose published time is shorter
    (7 → 5, 10 → 7, 15 → 10, 20 → 15, 30 → 20, 5 → 3)."""
    days = world.proc_days.astype(float)
    shorter = {7: 5, 10: 7, 15: 10, 20: 15, 30: 20, 5: 3, 3: 2}
    units = world.units["unit_id"].to_numpy()
    for uid in PLANTED["appointment_beyond_statutory"]:
        if not uid.startswith("DEMO-S"):
            continue
        idx = int(np.flatnonzero(units == uid)[0])
        procs = np.unique(world.pair_proc[world.pair_unit == idx])
        for pi in procs[::2]:
            days[pi] = shorter.get(int(days[pi]), max(days[pi] - 2, 1))
    return days


def procedures_with_statutory_days(world: demo.World):  # type: ignore[no-untyped-def]
    """``world.procedures`` with the ``statutory_days`` column (for procedures.csv)."""
    return world.procedures.assign(statutory_days=statutory_days(world))


# ------------------------------------------------------------------------- planted extra cases
_MONTHS = [np.datetime64(f"{y}-{m:02d}", "M") for y in (2024, 2025) for m in range(1, 13)
           if (y, m) <= (2025, 6)]
_SPIKE_SHARE = 1.0        # extra due-date results per month, as a share of the unit's volume
_LATE_APPOINTMENT_SHARE = 0.1
_EXTRA_WORKING_DAYS = 5


def _unit_volume(world: demo.World, unit_id: str, cases: int) -> tuple[int, np.ndarray,
                                                                       np.ndarray]:
    """Monthly case volume of a unit (expected), its procedures and their weights."""
    idx = int(np.flatnonzero(world.units["unit_id"].to_numpy() == unit_id)[0])
    rows = np.flatnonzero((world.pair_unit == idx) & (world.pair_weight > 0))
    months = (demo.LAST_DAY - demo.FIRST_DAY).astype(int) / 30.4
    share = world.pair_weight[rows].sum() / world.pair_weight.sum()
    return max(int(cases * share / months), 1), world.pair_proc[rows], world.pair_weight[rows]


def _month_days(month: np.datetime64) -> np.ndarray:
    first = month.astype("datetime64[D]")
    last = (month + 1).astype("datetime64[D]") - 1
    return _working_days(first, last)


class _Rows:
    """Planted cases being collected (all columns of :data:`scorecard.demo.CASE_SCHEMA`)."""

    def __init__(self, world: demo.World, rng: np.random.Generator) -> None:
        self.world, self.rng, self.rows = world, rng, []

    def add(self, unit_id: str, proc: int, received: np.datetime64, due: np.datetime64,
            resolved: np.datetime64) -> None:
        rng = self.rng
        pid = self.world.procedures["procedure_id"].iloc[proc]
        fee = bool(self.world.procedures["has_fee"].iloc[proc])
        self.rows.append({
            "case_id": f"DEMO-HS-L{len(self.rows) + 1:09d}", "unit_id": unit_id,
            "procedure_id": pid, "received_at": received.astype("datetime64[ms]").item(),
            "due_at": due.astype("datetime64[ms]").item(),
            "resolved_at": resolved.astype("datetime64[ms]").item(), "status": "resolved",
            "channel": "online" if rng.random() < 0.5 else "direct", "supplement_requests": 0,
            "digitized": bool(rng.random() < 0.85), "e_result": bool(rng.random() < 0.8),
            "reused_data": bool(rng.random() < 0.5), "fee_required": fee,
            "paid_online": fee and bool(rng.random() < 0.6), "apology_issued": False,
            "rating": None, "supplement_requested_at": None, "applicant_key": None,
        })

    def table(self) -> pa.Table:
        ids = applicant_ids(self.rng, len(self.rows)).tolist()
        keys = list(applicant_keys(ids, demo_key()))
        for row, key in zip(self.rows, keys, strict=True):
            row["applicant_key"] = key
        return pa.Table.from_pylist(self.rows, schema=demo.CASE_SCHEMA)


def _minutes(day: np.datetime64, minutes: int) -> np.datetime64:
    return day.astype("datetime64[m]") + np.timedelta64(int(minutes), "m")


def _pick(rng: np.random.Generator, procs: np.ndarray, weights: np.ndarray) -> int:
    return int(procs[rng.choice(len(procs), p=weights / weights.sum())])


def planted_cases(world: demo.World, seed: int, cases: int) -> pa.Table:
    """The extra cases planting the due-date spike, the off-hours batches and the late
    appointments of :data:`PLANTED` (pure; sized to the units' volumes)."""
    rng = _rng(seed, 2)
    rows = _Rows(world, rng)
    bday = _BUSDAYS
    for month in _MONTHS:
        days = _month_days(month)
        for uid in PLANTED["due_date_spike"]:
            volume, procs, weights = _unit_volume(world, uid, cases)
            for _ in range(int(volume * _SPIKE_SHARE)):
                p = _pick(rng, procs, weights)
                r = rng.choice(days)
                d = np.busday_offset(r, world.proc_days[p], busdaycal=bday)
                if d > demo.LAST_DAY:
                    continue
                rows.add(uid, p, _minutes(r, rng.integers(450, 990)),
                         _minutes(d, 1020), _minutes(d, rng.integers(900, 1019)))
        for uid in PLANTED["appointment_beyond_statutory"]:
            if uid.startswith("DEMO-S"):
                continue  # the departments' pattern is in statutory_days
            volume, procs, weights = _unit_volume(world, uid, cases)
            for _ in range(int(volume * _LATE_APPOINTMENT_SHARE)):
                p = _pick(rng, procs, weights)
                r = rng.choice(days)
                d = np.busday_offset(r, world.proc_days[p] + _EXTRA_WORKING_DAYS, busdaycal=bday)
                f = np.busday_offset(r, world.proc_days[p], busdaycal=bday)
                if d > demo.LAST_DAY:
                    continue
                rows.add(uid, p, _minutes(r, rng.integers(450, 990)), _minutes(d, 1020),
                         _minutes(f, rng.integers(450, 1020)))
        for uid in PLANTED["off_hours_bulk"]:
            _, procs, weights = _unit_volume(world, uid, cases)
            month_days = np.arange(month.astype("datetime64[D]"),
                                   (month + 1).astype("datetime64[D]"))
            sundays = month_days[(month_days.astype(np.int64) + 3) % 7 == 6]  # 1970-01-01: Thu
            weeknights = days[days + 1 <= demo.LAST_DAY]
            for day, start in ((rng.choice(sundays), 480), (rng.choice(weeknights), 1350)):
                if day > demo.LAST_DAY:
                    continue
                for m in np.sort(rng.integers(0, 180, int(rng.integers(24, 31)))):
                    p = _pick(rng, procs, weights)
                    at = _minutes(day, start + int(m))
                    # received so that the due date is after the batch: on time
                    back = int(rng.integers(0, max(int(world.proc_days[p]), 1)))
                    r = np.busday_offset(day, -back, roll="backward", busdaycal=bday)
                    d = np.busday_offset(r, world.proc_days[p], busdaycal=bday)
                    rows.add(uid, p, _minutes(r, rng.integers(450, 990)), _minutes(d, 1020), at)
    return _with_citizen_data(world, seed, rows.table())


def _with_citizen_data(world: demo.World, seed: int, table: pa.Table) -> pa.Table:
    """The planted cases with the 766 population-data flags drawn as for the other demo cases
    (the unit's shares; a stream of their own), so they do not lower the units' rates."""
    unit_ids = pa.array(world.units["unit_id"].tolist())
    base = table.drop_columns(list(demo.CITIZEN_DATA_COLUMNS))
    flagged = demo.with_citizen_data(base, unit_ids, demo.citizen_data_shares(world, seed),
                                     _rng(seed, 3))
    return flagged.select(demo.CASE_SCHEMA.names)


def write_planted_cases(world: demo.World, seed: int, cases: int, out: Path) -> int:
    """Write :data:`PLANTED_FILE` into ``out``; returns its rows."""
    table = planted_cases(world, seed, cases)
    pq.write_table(table, out / PLANTED_FILE, compression="zstd")
    return table.num_rows
