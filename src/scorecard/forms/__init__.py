"""Every workbook the product writes (openpyxl): the Biểu 06 form of TT 01/2020/TT-VPCP, the
task, 766 and summary sheets, and the one way cells, fonts and print setup are set
(:mod:`scorecard.forms.workbook`).

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
from scorecard.forms.form06_lines import Form06Source

__all__ = [
    "COUNT_COLUMNS",
    "FORM06_COLUMNS",
    "Form06Error",
    "Form06FormatError",
    "Form06Meta",
    "Form06Source",
    "build_form06_lines",
    "read_form06_workbook",
    "write_form06",
    "write_form06_workbook",
]
