"""Official report workbooks (openpyxl): the Biểu 06 form of TT 01/2020/TT-VPCP.

The core never imports this package; it only lays out and reads back counts computed elsewhere.
"""

from scorecard.forms.form06 import (
    COUNT_COLUMNS,
    FORM06_COLUMNS,
    Form06Error,
    Form06FormatError,
    Form06Meta,
    build_form06_lines,
    read_form06_workbook,
    write_form06,
    write_form06_workbook,
)

__all__ = [
    "COUNT_COLUMNS",
    "FORM06_COLUMNS",
    "Form06Error",
    "Form06FormatError",
    "Form06Meta",
    "build_form06_lines",
    "read_form06_workbook",
    "write_form06",
    "write_form06_workbook",
]
