"""Reject reasons in Vietnamese for the reports.

The loader writes its reasons in English (``rejects.reason``: for the command line and for
searching); reports speak Vietnamese, so :func:`reason_vi` rewrites each reason the loader can
produce (the declared rules' reasons in columns.py, the checks' reasons in checks.py, the parse
messages in sqltyping.py, ``outputs.id_problem``'s). A reason it does not know is shown as it is.
A test loads data that trips every rule and checks nothing English is left.
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), vi) for p, vi in [
    # task_status against the plans' task registers (tasks.task_key_problem)
    (r"^unknown plan (.*): no task register (.*)$",
     r"kế hoạch \1 không có sổ nhiệm vụ (\2)"),
    (r"^plan (\S+) has no task (.*)$", r"kế hoạch \1 không có nhiệm vụ \2"),
    (r"^task (\S+) of (\S+) is recurring: occurrence must be one of (.*)$",
     r"nhiệm vụ \1 của \2 thực hiện định kỳ: kỳ thực hiện phải là một trong \3"),
    (r"^task (\S+) of (\S+) has one due date: leave occurrence empty$",
     r"nhiệm vụ \1 của \2 có một thời hạn: để trống kỳ thực hiện"),
    (r"^occurrence (.*) of task (\S+) is not a period id.*$",
     r"kỳ thực hiện \1 của nhiệm vụ \2 không phải mã kỳ (2025Q1, 2025-03, 2025)"),
    (r"^due date is before the received date$", "ngày hẹn trả trước ngày tiếp nhận"),
    (r"^finished before it was received$", "ngày có kết quả trước ngày tiếp nhận"),
    (r"^status and resolved_at disagree.*$",
     "trạng thái không khớp với ngày có kết quả (hồ sơ đang giải quyết thì chưa có ngày kết "
     "quả, hồ sơ đã xong thì phải có)"),
    (r"^a unit cannot be its own parent$", "đơn vị không thể là đơn vị cấp trên của chính nó"),
    (r"^received_total ≠ .*$", "tổng tiếp nhận khác trực tuyến + trực tiếp/bưu chính + kỳ trước"),
    (r"^resolved_total ≠ .*$", "tổng đã giải quyết khác trước hạn + đúng hạn + quá hạn"),
    (r"^pending_total ≠ .*$", "tổng đang giải quyết khác trong hạn + quá hạn"),
    (r"^period_end is before period_start$", "ngày cuối kỳ trước ngày đầu kỳ"),
    (r"^supplement returned before it was requested$",
     "ngày nộp bổ sung trước ngày yêu cầu bổ sung"),
    (r"^([\w/]+): not a known case id$", r"\1: mã hồ sơ không có trong kho"),
    (r"^([\w/]+) is required$", r"thiếu \1"),
    (r"^duplicate ([\w, ]+): already at an earlier row of this file$",
     r"trùng \1 với một dòng trước trong tệp"),
    (r"^duplicate ([\w, ]+): already at row (\d+) of this file$", r"trùng \1 với dòng \2 của tệp"),
    (r"^([\w/]+) must be one of (.*)$", r"\1 phải là một trong \2"),
    (r"^([\w/]+): not a known unit id$", r"\1: mã đơn vị không có trong danh mục đơn vị"),
    (r"^([\w/]+): not a known procedure id$", r"\1: mã thủ tục không có trong danh mục TTHC"),
    (r"^([\w/]+) must not be negative$", r"\1 không được âm"),
    (r"^([\w/]+) is not a period id.*$", r"\1 không phải mã kỳ (YYYYQn, YYYY-MM hoặc YYYY)"),
    (r"^not a valid (\w+): expected one of (.*)$", r"giá trị \1 không hợp lệ: phải là \2"),
    (r"^not a yes/no value.*$", "không phải giá trị có/không"),
    (r"^not a whole number$", "không phải số nguyên"),
    (r"^not a number$", "không phải số"),
    (r"^not a date/time.*$", "không đọc được ngày giờ (ISO hoặc dd/mm/yyyy [HH:MM])"),
    (r"^not a date.*$", "không đọc được ngày (ISO hoặc dd/mm/yyyy)"),
    (r"^this line reports the unit's whole tree.*$",
     "dòng này là số liệu toàn đơn vị (gồm đơn vị trực thuộc); Biểu 06 nạp vào kho phải là số "
     "liệu riêng của đơn vị: hãy gửi biểu theo đơn vị"),
    (r"^([\w/]+) must be at least (\S+)$", r"\1 phải từ \2 trở lên"),
    (r"^([\w/]+): failed (.*)$", r"\1: không đạt kiểm tra \2"),
]]

#: Why an id is unsafe as a file name (outputs.id_problem) in Vietnamese.
ID_PROBLEMS_VI: dict[str, str] = {
    "id is empty": "mã trống",
    "id longer than 64 characters": "mã dài quá 64 ký tự",
    "id contains a path separator (/ or \\)": "mã chứa dấu phân cách đường dẫn (/ hoặc \\)",
    "id contains '..'": "mã chứa '..'",
    "id contains a control character": "mã chứa ký tự điều khiển",
    "id starts with a dot": "mã bắt đầu bằng dấu chấm",
}
_UNSAFE = re.compile(r"^([\w/]+) is not safe as a file name: (.*)$")


def reason_vi(reason: str) -> str:
    """The Vietnamese wording of a reject reason (parts joined by '; ' translated one by one;
    the reasons a source profile gives, issue 16, through :func:`scorecard.sources.reason_vi`)."""
    from scorecard.sources.reasons import reason_vi as source_reason_vi

    parts = []
    for part in str(reason).split("; "):
        unsafe = _UNSAFE.match(part)
        if unsafe:
            problem = ID_PROBLEMS_VI.get(unsafe.group(2), unsafe.group(2))
            parts.append(f"{unsafe.group(1)} không dùng được làm tên tệp: {problem}")
            continue
        for pattern, vi in _RULES:
            if pattern.match(part):
                part = pattern.sub(vi, part)
                break
        else:  # not the loader's: a source profile's reason, or shown as it is
            part = source_reason_vi(part)
        parts.append(part)
    return "; ".join(parts)
