"""Vietnamese wording of the reasons a source gives for refusing a record.

The source writes its reasons in English (``_reject``, like the loader's ``rejects.reason``);
reports speak Vietnamese. :func:`reason_vi` rewrites the reasons of :mod:`scorecard.sources`
part by part (parts joined by ``'; '``) and leaves any other text as it is, so it can run before
the loader's own ``scorecard.reasons.reason_vi``. A test feeds it every reason a source produces
and checks nothing English is left.
"""

from __future__ import annotations

import re

#: Whole reasons (one part of a '; '-joined reason).
_WHOLE: list[tuple[re.Pattern[str], str]] = [(re.compile(p), vi) for p, vi in [
    (r"^not valid JSON$", "bản ghi không phải JSON hợp lệ"),
    (r"^not a JSON object$", "bản ghi không phải đối tượng JSON"),
    (r"^case never received \((.*)\)$", r"hồ sơ chưa được tiếp nhận (\1)"),
    (r"^finished \((.*)\) but no finish date in (.*)$",
     r"hồ sơ đã kết thúc (\1) nhưng không có ngày kết thúc trong \2"),
    (r"^not a valid (\S+): expected one of (.*)$", r"giá trị \1 không hợp lệ: phải là một trong \2"),
    (r"^(\S+) is not a date/time \(expected (.*)\)$",
     r"\1 không phải ngày giờ hợp lệ (định dạng \2)"),
    (r"^(\S+) is not a JSON list$", r"\1 không phải danh sách JSON"),
    (r"^fee amount (\S+) is not a number$", r"số tiền \1 của phí, lệ phí không phải là số"),
]]

#: Phrases of the composite reasons (unit not found, supplement history entries).
_PHRASES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), vi) for p, vi in [
    (r"^no unit for this case: ", "không xác định được đơn vị xử lý: "),
    (r"(\S+) is not a unit id of the store", r"\1 không phải mã đơn vị trong kho"),
    (r"(\S+) matches several units of the store \(([^)]*)\)",
     r"\1 trùng tên với nhiều đơn vị trong kho (\2)"),
    (r"(\S+) matches no unit name of the store", r"\1 không khớp tên đơn vị nào trong kho"),
    (r"\bno (\S+) or (\S+)", r"không có \1 hay \2"),
    (r" and ", " và "),
    (r"\(give a unit code or --unit\)", "(hãy ghi mã đơn vị hoặc dùng --unit)"),
    (r"\bentry (\d+): ", r"mục \1: "),
    (r"(\w+) missing", r"thiếu \1"),
    (r"(\w+) is not a date/time", r"\1 không phải ngày giờ hợp lệ"),
    (r"(\w+) before (\w+)", r"\1 trước \2"),
]]
_COMPOSITE = re.compile(r"^(no unit for this case: |\S+: entry \d+: )")


def reason_vi(reason: str) -> str:
    """The Vietnamese wording of a source's reject reason; other text is returned unchanged."""
    parts = []
    for part in str(reason).split("; "):
        for pattern, vi in _WHOLE:
            if pattern.match(part):
                part = pattern.sub(vi, part)
                break
        else:
            if _COMPOSITE.match(part):
                for pattern, vi in _PHRASES:
                    part = pattern.sub(vi, part)
        parts.append(part)
    return "; ".join(parts)
