"""The five inspection leads, declared once: what each needs, what it compares, what it says.

Every sentence starts with "Cần xem xét" (to be looked at): a lead is a reason to look, not a
verdict, and no lead changes a target's status.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Said once wherever leads are shown.
CAVEAT_VI = ("Dấu hiệu là lý do để xem xét hồ sơ, không phải kết luận vi phạm; không dấu hiệu "
             "nào làm thay đổi kết quả đánh giá chỉ tiêu.")


@dataclass(frozen=True)
class Need:
    """An input a lead cannot do without, and the SQL that says whether the store has it
    (a query returning one boolean)."""

    column: str          # table.column, as the output names it
    label_vi: str
    check_sql: str


@dataclass(frozen=True)
class Lead:
    id: str
    label_vi: str
    what_vi: str              # what the pattern is, for the notebook and docs
    compares_vi: str          # the comparable cases of the province
    sentence_vi: str          # str.format template, {comparison} filled by leads.scoring
    peers_vi: str             # how the comparison names the province's comparable cases
    needs: tuple[Need, ...] = ()
    uses_calendar: bool = True
    model: str = "binomial"   # scoring.score_units: binomial share, or poisson against reference


SUPPLEMENT_AT = Need("cases.supplement_requested_at", "ngày yêu cầu bổ sung hồ sơ",
                     "SELECT count(supplement_requested_at) > 0 FROM cases")
APPLICANT_KEY = Need("cases.applicant_key", "mã bí danh người nộp hồ sơ",
                     "SELECT count(applicant_key) > 0 FROM cases")
STATUTORY_DAYS = Need("procedures.statutory_days", "thời hạn giải quyết theo quy định",
                      "SELECT count(statutory_days) > 0 FROM procedures")
RESULT_TIMES = Need("cases.resolved_at (giờ)", "giờ ghi nhận kết quả (không chỉ ngày)",
                    "SELECT coalesce(avg((resolved_at <> date_trunc('day', resolved_at))::INT), 0)"
                    " >= 0.05 FROM cases WHERE resolved_at IS NOT NULL")

LEADS: dict[str, Lead] = {lead.id: lead for lead in (
    Lead("supplement_near_due", "Yêu cầu bổ sung sát hạn",
         "yêu cầu bổ sung hồ sơ khi chỉ còn ít ngày làm việc trước hạn trả (để tính lại thời hạn)",
         "hồ sơ có cùng số ngày làm việc từ tiếp nhận đến hạn trả",
         "Cần xem xét: {k} trong {n} lần yêu cầu bổ sung ({share}) được đưa ra khi còn không "
         "quá {within} ngày làm việc trước hạn trả, {comparison}.",
         " với hồ sơ cùng thời hạn", (SUPPLEMENT_AT,)),
    Lead("refile_after_withdrawal", "Rút hoặc từ chối rồi nộp lại",
         "hồ sơ rút hoặc bị từ chối, sau đó cùng người nộp lại cùng thủ tục (để tính lại thời hạn)",
         "hồ sơ rút hoặc bị từ chối của các đơn vị khác trong tỉnh",
         "Cần xem xét: {k} trong {n} hồ sơ rút hoặc bị từ chối ({share}) được cùng người nộp "
         "lại cùng thủ tục trong vòng {within} ngày, {comparison}.",
         "", (APPLICANT_KEY,), uses_calendar=False),
    Lead("appointment_beyond_statutory", "Ngày hẹn trả vượt thời hạn quy định",
         "ngày hẹn trả kết quả muộn hơn thời hạn giải quyết của thủ tục (tính theo ngày làm việc)",
         "hồ sơ của thủ tục có cùng thời hạn quy định",
         "Cần xem xét: {k} trong {n} hồ sơ tiếp nhận ({share}) có ngày hẹn trả vượt thời hạn "
         "giải quyết quy định của thủ tục quá {within} ngày làm việc, {comparison}.",
         " với thủ tục cùng thời hạn", (STATUTORY_DAYS,)),
    Lead("due_date_spike", "Kết quả dồn vào ngày hết hạn",
         "kết quả giải quyết dồn vào đúng ngày hết hạn so với ngày làm việc liền trước và liền sau",
         "hồ sơ có cùng số ngày làm việc từ tiếp nhận đến hạn trả",
         "Cần xem xét: {k} kết quả trả đúng ngày hết hạn, so với {reference} kết quả trong "
         "{within} ngày làm việc liền trước và liền sau hạn, {comparison}.",
         " với hồ sơ cùng thời hạn", model="poisson"),
    Lead("off_hours_bulk", "Ghi kết quả hàng loạt ngoài giờ, ngày nghỉ",
         "nhiều kết quả được ghi nhận cùng một đêm (từ {night_from} đến {night_to}) hoặc cùng một "
         "ngày nghỉ",
         "kết quả giải quyết của các đơn vị khác trong tỉnh",
         "Cần xem xét: {k} trong {n} kết quả giải quyết ({share}) được ghi nhận hàng loạt ngoài "
         "giờ hoặc ngày nghỉ ({groups} đợt, mỗi đợt từ {within} kết quả), {comparison}.",
         "", (RESULT_TIMES,)),
)}
