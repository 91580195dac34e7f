"""What the commands print: frames as csv, json or an aligned table, and a render batch's summary.

CSV text a spreadsheet could run as a formula is neutralised unless the command's ``--raw``
(:data:`RAW_CSV`, set by :func:`scorecard.cli.main`).
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from scorecard.render import BatchResult

#: ``--raw`` of the running command: CSV cells exactly as stored (set by :func:`main`).
RAW_CSV: ContextVar[bool] = ContextVar("RAW_CSV", default=False)


def table_text(df: pd.DataFrame) -> str:
    """The frame as an aligned table: every row and column, no index, lines up to 200 wide."""
    import pandas

    with pandas.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200):
        return df.to_string(index=False) + "\n"


def print_frame(df: pd.DataFrame, fmt: str, *, raw: bool | None = None) -> None:
    """Print a frame as csv, json (records) or an aligned table.

    CSV text that a spreadsheet could run as a formula gets a ``'`` in front
    (:func:`scorecard.formulas.neutralise_frame`; numbers stay numbers) unless ``raw`` (default:
    the command's ``--raw``).
    """
    if fmt == "csv":
        from scorecard.formulas import neutralise_frame

        if not (RAW_CSV.get() if raw is None else raw):
            df = neutralise_frame(df)
        sys.stdout.write(df.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table_text(df))


def print_batch(res: BatchResult) -> None:
    """A render batch's summary: counts and rate, the failed units (stderr), the files written."""
    ok = sum(r.status == "ok" for r in res.results)
    print(f"rendered {len(res.results)} report(s) in {res.seconds:.1f} s "
          f"({res.rate:.1f}/s): ok {ok}, failed {len(res.failed)}, "
          f"skipped (unchanged) {len(res.skipped)}")
    for r in res.failed:
        first = (r.error or "").splitlines()[0] if r.error else "failed"
        print(f"  FAILED {r.unit_id}: {first}", file=sys.stderr)
    print(f"manifest: {res.manifest}")
    print(f"summary:  {res.summary}")
    print(f"index:    {res.index}")
