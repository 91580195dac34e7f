"""Text a spreadsheet program could run: OWASP's rule for CSV and Excel output.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be read
as a formula by Excel or LibreOffice (``=HYPERLINK("http://…","Bấm")`` becomes a live link, ``@SUM``
a function call). Workbooks keep such text as string cells (:mod:`scorecard.forms.workbook`); CSV
has no cell types, so :func:`neutralise_text` puts a single quote in front, which spreadsheet
programs show as text and do not evaluate. Numbers stay numbers: numeric columns are never
touched, and a text that is just a number (``-12``, ``+3,5``) is left as it is (a spreadsheet
reads it as that number, which runs nothing).
"""

from __future__ import annotations

import re

import pandas as pd

#: Prefixes that spreadsheet programs may read as the start of a formula (OWASP's list).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def looks_like_formula(value: object) -> bool:
    """True for a string a spreadsheet program could take for a formula (OWASP's prefixes)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_text(value: object) -> object:
    """``value`` with a ``'`` in front when it is a string starting like a formula and is not
    a plain number; anything else unchanged."""
    if looks_like_formula(value) and not _PLAIN_NUMBER.fullmatch(str(value)):
        return "'" + str(value)
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells went through :func:`neutralise_text` (numeric, boolean
    and date columns untouched)."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
                or pd.api.types.is_datetime64_any_dtype(col)):
            continue
        out.isetitem(i, col.map(neutralise_text, na_action="ignore"))
    return out
