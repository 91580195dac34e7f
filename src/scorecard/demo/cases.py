"""The demo's cases (pure): typed Arrow tables streamed in day-ordered chunks, each chunk from
its own random stream, plus the applicants' made-up ID numbers as a working column."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scorecard.demo.arrow_text import _fixed_strings, _put_digits
from scorecard.demo.citizen_data import citizen_data_shares, with_citizen_data
from scorecard.demo.constants import (
    _CORE_SCHEMA,
    CHANNELS,
    CHUNK_ROWS,
    DATA_END,
    FIRST_DAY,
    LAST_DAY,
    RATINGS,
    STATUSES,
)
from scorecard.demo.streams import _CITIZEN_STREAM, _rng
from scorecard.demo.timeline import (
    _BUSDAYS,
    _TREND_DAYS,
    _TREND_START,
    _office_minutes,
    _trend,
    _working_days,
)
from scorecard.demo.world import World


def _day_chunks(seed: int, cases: int, chunk_rows: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Working days with their case counts, grouped into consecutive chunks of ~chunk_rows."""
    days = _working_days(FIRST_DAY, LAST_DAY)
    t = np.clip((days - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    weight = 1.0 + 0.3 * t
    counts = _rng(seed, 2).multinomial(cases, weight / weight.sum())
    chunks, start, acc = [], 0, 0
    for i, c in enumerate(counts):
        acc += c
        if acc >= chunk_rows or i == len(counts) - 1:
            chunks.append((days[start:i + 1], counts[start:i + 1]))
            start, acc = i + 1, 0
    return chunks


def _case_ids(first_seq: int, n: int) -> pa.Array:
    prefix = b"DEMO-HS-"
    buf = np.empty((n, len(prefix) + 10), dtype=np.uint8)
    buf[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    _put_digits(buf, len(prefix), np.arange(first_seq, first_seq + n, dtype=np.int64), 10)
    return _fixed_strings(buf)


def _case_chunk(world: World, rng: np.random.Generator, days: np.ndarray, counts: np.ndarray,
                first_seq: int, unit_ids: pa.Array, proc_ids: pa.Array,
                proc_online_cap: np.ndarray, proc_fee: np.ndarray) -> pa.Table:
    n = int(counts.sum())
    rday = np.repeat(days, counts)
    received = rday.astype("datetime64[m]") + _office_minutes(rng, n, 990)
    order = np.argsort(received, kind="stable")
    received, rday = received[order], rday[order]
    pair = rng.choice(len(world.pair_weight), size=n, p=world.pair_weight / world.pair_weight.sum())
    unit, proc = world.pair_unit[pair], world.pair_proc[pair]
    t = np.clip((rday - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    P = lambda key: _trend(world.profile, key, unit, t)  # noqa: E731

    tod = received - rday.astype("datetime64[m]")
    dday = np.busday_offset(rday, world.proc_days[proc], roll="forward", busdaycal=_BUSDAYS)
    due = dday.astype("datetime64[m]") + tod

    u = rng.random((9, n))
    supp = (u[0] < P("supp1") + P("supp2")).astype(np.int32) + (u[0] < P("supp2")) \
        + (u[0] < 0.3 * P("supp2"))
    residual = u[1] < 0.02
    late = ~residual & (u[2] < np.clip(P("late") * (1 + 0.5 * supp), 0, 1))
    stuck = late & (u[3] < P("stuck") / np.maximum(P("late"), 1e-9))
    early = ~residual & ~late & (u[4] < P("early"))
    span = np.busday_count(rday, dday, busdaycal=_BUSDAYS)  # >= 1
    k_early = np.minimum((u[5] * span).astype(np.int64), np.maximum(span - 1, 0))
    k_late = 1 + rng.geometric(0.35, n) + np.where(stuck, rng.integers(20, 120, n), 0)
    k_resid = (u[5] * (span + 1)).astype(np.int64)
    fday = np.where(early, np.busday_offset(rday, k_early, busdaycal=_BUSDAYS), dday)
    fday = np.where(late, np.busday_offset(dday, k_late, busdaycal=_BUSDAYS), fday)
    fday = np.where(residual, np.busday_offset(rday, k_resid, busdaycal=_BUSDAYS), fday)
    finish = fday.astype("datetime64[m]") + _office_minutes(rng, n)
    ontime = ~residual & ~late & ~early
    exact = ontime & (u[6] < 0.12)
    night = ontime & (u[6] >= 0.12) & (u[6] < 0.2)
    finish = np.where(exact, due, finish)
    finish = np.where(night, fday.astype("datetime64[m]") + rng.integers(1380, 1440, n), finish)
    same_day = fday == rday
    finish = np.where(same_day & (finish <= received),
                      received + rng.integers(10, 150, n).astype("timedelta64[m]"), finish)
    pending = finish >= DATA_END
    resolved_at = np.where(pending, np.datetime64("NaT"), finish)
    status = np.where(residual, np.where(u[7] < 0.6, 2, 3), 1)
    status = np.where(pending, 0, status)
    is_resolved = status == 1

    cap = proc_online_cap[proc]
    online = u[8] < P("online") * cap
    channel = np.where(online, 0, np.where(rng.random(n) < 0.05, 2, 1))
    v = rng.random((6, n))
    digitized = v[0] < P("digitized")
    e_result = is_resolved & (v[1] < P("e_result"))
    reused = v[2] < P("reuse")
    fee = proc_fee[proc] & (v[3] < 0.97)
    paid = fee & (v[4] < P("pay_online"))
    overdue_pending = pending & (due < DATA_END)
    apology = ((late & is_resolved) | overdue_pending) & (v[5] < P("apology"))
    w = rng.random((3, n))
    rated = is_resolved & (w[0] < P("rated"))
    p_dis = np.where(late, np.maximum(P("dissatisfied"), 0.3), P("dissatisfied"))
    rating = np.where(~rated, -1, np.where(w[1] < p_dis, 2, np.where(w[2] < 0.4, 0, 1)))

    def ts(a: np.ndarray) -> pa.Array:
        return pa.array(a.astype("datetime64[ms]"), from_pandas=True)

    rating_arr = pc.take(pa.array(RATINGS), pa.array(np.where(rating < 0, 0, rating)))
    rating_arr = pc.if_else(pa.array(rating < 0), pa.scalar(None, pa.string()), rating_arr)
    return pa.table([
        _case_ids(first_seq, n), pc.take(unit_ids, pa.array(unit)),
        pc.take(proc_ids, pa.array(proc)), ts(received), ts(due), ts(resolved_at),
        pc.take(pa.array(STATUSES), pa.array(status)),
        pc.take(pa.array(CHANNELS), pa.array(channel)), pa.array(supp.astype(np.int32)),
        pa.array(digitized), pa.array(e_result), pa.array(reused), pa.array(fee),
        pa.array(paid), pa.array(apology), rating_arr,
    ], schema=_CORE_SCHEMA)


def case_chunks(world: World, seed: int, cases: int,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[pa.Table]:
    """The cases as typed Arrow tables (English columns), ordered by received time (pure).

    Yields about ``chunk_rows`` rows at a time and exactly ``cases`` rows in all; each chunk
    has its own random stream, so memory stays bounded whatever ``cases`` is.
    """
    from scorecard.demo_leads import add_lead_columns

    unit_ids = pa.array(world.units["unit_id"].tolist())
    proc_ids = pa.array(world.procedures["procedure_id"].tolist())
    cap = world.procedures["online_service"].map({"full": 1.0, "partial": 0.85, "none": 0.0})
    fee = world.procedures["has_fee"].to_numpy(dtype=bool)
    seq = 1
    shares = citizen_data_shares(world, seed)
    for k, (days, counts) in enumerate(_day_chunks(seed, cases, chunk_rows)):
        if counts.sum() == 0:
            continue
        base = _case_chunk(world, _rng(seed, 3, k), days, counts, seq, unit_ids, proc_ids,
                           cap.to_numpy(dtype=float), fee)
        chunk = with_citizen_data(base, unit_ids, shares, _rng(seed, _CITIZEN_STREAM, 1, k))
        yield add_lead_columns(chunk, seed)
        seq += int(counts.sum())


#: A working column of the demo's chunks: the applicant's made-up ID number (never in the CSV or
#: Parquet files; the xlsx and DVCQG files carry it as personal data, as real exports do).
APPLICANT_ID = "_applicant_id"


def _with_applicant_ids(chunk: pa.Table, seed: int) -> pa.Table:
    """A chunk of :func:`case_chunks` with :data:`APPLICANT_ID`: the ID each case's
    ``applicant_key`` was computed from (recomputed from the whole chunk, before filtering)."""
    from scorecard.demo_leads import lead_values

    return chunk.append_column(APPLICANT_ID, pa.array(lead_values(chunk, seed)[1].tolist(),
                                                      pa.string()))
