"""The indicator catalogue: every indicator declared once (docs/design.md §"Indicators API").

An indicator is a numerator over a denominator, each a sum of base measures of
:mod:`scorecard.facts` (``MEASURES``). ``kind``:

- ``count``: value = numerator, no denominator;
- ``rate``: value = numerator / denominator, NULL when the denominator is 0;
- ``ratio``: year-over-year; numerator = this period's measure, denominator = the same measure in
  the same period ``lag_years`` earlier, value = their ratio (NULL when the denominator is 0).
  With ``rate_of_rates`` the variant's numerator/denominator form a rate and the value is this
  period's rate over the same period's rate ``lag_years`` earlier (numerator and denominator
  columns empty: four counts do not fit in two; NULL when either rate is undefined or the
  earlier one is 0).

Denominator variants real reports use (domain.md §3) are declared per indicator in ``variants``;
the first one is the default. ``unit`` says what is counted: cases, feedback, procedures or tasks.

**Indicators computed by another module.** An indicator whose figures do not come from case data
(the plan-task indicators of :mod:`scorecard.tasks`) is declared here like any other, with a
``computed_by`` :class:`ComputedBy` naming the function that computes it. The case engine
(``compute_indicators``) never computes it; ``scorecard.evaluate`` calls the function when a plan's
targets use the indicator, for the spans they read; plans validate against the declaration (a
timing, window, basis or field restriction the function cannot serve is a plan-file error saying
why). Adding such an indicator is one declaration in :data:`_DECLARED`; the function follows the
protocol of :class:`ComputedBy`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scorecard.errors import ScorecardError
from scorecard.facts import MEASURES


class IndicatorError(ScorecardError, ValueError):
    """An unknown indicator id or denominator variant."""


@dataclass(frozen=True)
class Variant:
    """One way of computing an indicator: numerator and denominator as sums of measures."""

    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None
    basis: str  # where the definition comes from, in words


#: Kinds of span a target can ask an indicator for (``scorecard.evaluate.windows``): a period
#: (or a period cut to a target's validity), a year to date, a cumulative span to a deadline.
SPAN_KINDS: tuple[str, ...] = ("period", "ytd", "cumulative")


@dataclass(frozen=True)
class ComputedBy:
    """Where an indicator computed by another module comes from, and what it can serve.

    ``function``: ``"module:attribute"`` of the provider, imported when first called::

        provider(con, plan, spans, calendar, units) -> pd.DataFrame

    ``con`` a read-only store connection, ``plan`` the :class:`~scorecard.plans.Plan`,
    ``spans`` a list of :class:`~scorecard.periods.Period` and
    :class:`~scorecard.periods.Window` objects, ``calendar`` the calendar of the plan's periods,
    ``units`` the unit ids to keep (None = every unit). It returns tidy rows as
    ``compute_indicators`` does: ``unit_id, scope ('own' | 'tree'), period (= the span's id),
    indicator, numerator, denominator, value`` — rates with value NULL when the denominator is 0,
    counts with value = numerator and denominator NULL — for every indicator it provides (those
    not asked for are dropped), one row per unit the indicator applies to.

    ``windows``: the :data:`SPAN_KINDS` it gives a meaningful value for; a target needing another
    (``window: ytd`` needs ``ytd``, ``judged: by_deadline`` needs ``cumulative``) is a plan-file
    error quoting ``span_rule`` (what the value of a span is). ``poolable``: a level's pooled
    figure is the sum of its units' own numerators and denominators (``basis: level``; evaluate
    sums them). ``fields``: the provider honours a field restriction. ``unlisted``: the status of
    a unit the provider gives no row for in a span (``no_data``, or ``not_applicable`` when a
    missing row means the indicator does not apply to the unit), with the note ``unlisted_vi``;
    ``no_data_vi``: the note of a row without a value (Vietnamese, for readers). ``source_vi``:
    where the figures come from, in words (docs/indicators.md).
    """

    function: str
    windows: tuple[str, ...] = ("period",)
    poolable: bool = False
    fields: bool = False
    unlisted: str = "no_data"
    unlisted_vi: str = ""
    no_data_vi: str = ""
    span_rule: str = ""
    source_vi: str = ""

    def load(self) -> Callable[..., Any]:
        """The provider function (imported on first use)."""
        module, _, attribute = self.function.partition(":")
        return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]

    def refusal(self, indicator: str, need: str) -> str | None:
        """Why a target needing span kind ``need`` cannot use ``indicator`` (None = it can)."""
        if need in self.windows:
            return None
        return (f"{indicator} is computed by {self.function}, which gives values for "
                f"{' and '.join(self.windows)} windows only ({self.span_rule}): "
                f"a {need} window cannot apply")


@dataclass(frozen=True)
class Indicator:
    """A declared indicator. ``numerator``/``denominator`` are the default variant's.

    ``computed_by``: set for an indicator another module computes (see :class:`ComputedBy`); its
    variants' terms then name that module's counts, not base measures of :mod:`scorecard.facts`.
    """

    id: str
    label_vi: str
    label_en: str
    kind: str  # count | rate | ratio
    unit: str  # cases | feedback | procedures
    better: str  # higher | lower
    variants: tuple[Variant, ...]
    lag_years: int = 0
    notes: str = ""
    rate_of_rates: bool = False
    computed_by: ComputedBy | None = None
    _by_name: dict[str, Variant] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for v in self.variants:
            self._by_name[v.name] = v

    @property
    def default_variant(self) -> str:
        return self.variants[0].name

    @property
    def numerator(self) -> tuple[str, ...]:
        return self.variants[0].numerator

    @property
    def denominator(self) -> tuple[str, ...] | None:
        return self.variants[0].denominator

    @property
    def basis(self) -> str:
        return self.variants[0].basis

    def variant(self, name: str | None = None) -> Variant:
        """The named variant (default when ``name`` is None); unknown → :class:`IndicatorError`."""
        if name is None:
            return self.variants[0]
        if name not in self._by_name:
            raise IndicatorError(
                f"indicator {self.id!r} has no denominator variant {name!r}: "
                f"use one of {', '.join(self._by_name)}"
            )
        return self._by_name[name]


def _count(id_: str, vi: str, en: str, better: str = "higher",
           measure: str | None = None, notes: str = "") -> Indicator:
    m = measure or id_
    return Indicator(id_, vi, en, "count", "cases", better,
                     (Variant("count", (m,), None, "TT 01/2020 Biểu 06"),), notes=notes)


def _rate(id_: str, vi: str, en: str, variants: list[Variant], *, unit: str = "cases",
          better: str = "higher", notes: str = "") -> Indicator:
    return Indicator(id_, vi, en, "rate", unit, better, tuple(variants), notes=notes)


def _v(name: str, num: tuple[str, ...], den: tuple[str, ...], basis: str) -> Variant:
    return Variant(name, num, den, basis)


#: The plan-task indicators: task occurrences of the plan's register (``<plan_id>.tasks.yaml``)
#: judged against the store's ``task_status`` reports at the span's last day.
_TASKS = ComputedBy(
    function="scorecard.tasks.progress:lead_task_indicators",
    windows=("period", "cumulative"),
    poolable=True,
    unlisted="not_applicable",
    unlisted_vi="đơn vị không chủ trì nhiệm vụ có thời hạn nào trong sổ nhiệm vụ của kế hoạch",
    no_data_vi="chưa có nhiệm vụ nào của kế hoạch đến hạn (đơn vị chủ trì)",
    span_rule="the value of a span is the state at its last day of every occurrence due from "
              "the plan's start: a period's value already runs from the start, so a year to "
              "date adds nothing",
    source_vi="sổ nhiệm vụ của kế hoạch (params/plans/<plan_id>.tasks.yaml) và báo cáo "
              "task_status; đơn vị chủ trì theo cột cơ quan chủ trì",
)

_EARLY_ON = ("resolved_early", "resolved_on_time")
_PROCESSED = ("resolved", "pending")
_PROC_NOTE = ("over the unit's procedures: its unit_procedures rows when it has any, otherwise "
              "the procedures it received cases for in the period (see procedure_basis); tree "
              "scope counts distinct procedures")
_PROC_BASIS = "QĐ 766/QĐ-TTg; kế hoạch kiểm soát TTHC"

_DECLARED: list[Indicator] = [
    # ---- Biểu 06 counts
    _count("received", "Số hồ sơ tiếp nhận mới trong kỳ", "Cases received in the period"),
    _count("received_online", "Số hồ sơ tiếp nhận trực tuyến", "Cases received online"),
    _count("carried_over", "Số hồ sơ từ kỳ trước chuyển qua", "Cases carried over",
           better="lower"),
    _count("resolved", "Số hồ sơ đã giải quyết", "Cases resolved"),
    _count("resolved_early", "Số hồ sơ giải quyết trước hạn", "Cases resolved early"),
    _count("resolved_on_time", "Số hồ sơ giải quyết đúng hạn", "Cases resolved on time"),
    _count("resolved_late", "Số hồ sơ giải quyết quá hạn", "Cases resolved late", better="lower"),
    _count("pending", "Số hồ sơ đang giải quyết", "Cases pending at the end", better="lower"),
    _count("pending_in_time", "Số hồ sơ đang giải quyết trong hạn", "Cases pending, in time"),
    _count("pending_overdue", "Số hồ sơ đang giải quyết quá hạn", "Cases pending, overdue",
           better="lower"),
    Indicator("late_work", "Số hồ sơ trễ hạn (giải quyết quá hạn và đang quá hạn)",
              "Late work: cases resolved late plus cases pending and overdue at the end",
              "count", "cases", "lower", (
                  Variant("resolved_late_or_overdue", ("resolved_late", "pending_overdue"), None,
                          "resolved late in the period + pending and overdue at its end: a "
                          "'no late cases' target (không để xảy ra chậm muộn) counts both"),
                  Variant("resolved_late", ("resolved_late",), None,
                          "resolved late in the period only (TT 01/2020 Biểu 06 column 10)"),
              )),
    Indicator("residual", "Số hồ sơ trả lại, xin rút, từ chối",
              "Cases withdrawn or refused (residual)", "count", "cases", "lower",
              (Variant("count", ("residual",), None, "domain.md §2"),),
              notes="NULL for a unit-period whose counts come from a form06 row"),
    # ---- progress rates
    _rate("on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
          "Share of cases resolved early or on time", [
              _v("resolved", _EARLY_ON, ("resolved",),
                 "(early + on time) / resolved: most provincial reports"),
              _v("processed", (*_EARLY_ON, "pending_in_time"), _PROCESSED,
                 "(early + on time + pending in time) / (resolved + pending): NĐ 61/2018 Điều 30"),
              _v("received", ("received_judged_on_time",), ("cases_received",),
                 "cases received in the period judged at its end (finished by finish date, "
                 "unfinished by the last day) / received"),
              _v("received_766", ("received_judged_on_time_766",), ("cases_received",),
                 "as 'received', and a case with more than one supplement request is late: "
                 "QĐ 766 progress metric"),
          ]),
    _rate("early_rate", "Tỷ lệ hồ sơ giải quyết trước hạn", "Share of cases resolved early", [
        _v("resolved", ("resolved_early",), ("resolved",), "early / resolved"),
        _v("processed", ("resolved_early",), _PROCESSED, "early / (resolved + pending)"),
    ]),
    _rate("late_rate", "Tỷ lệ hồ sơ giải quyết quá hạn", "Share of cases resolved late", [
        _v("resolved", ("resolved_late",), ("resolved",), "late / resolved"),
        _v("processed", ("resolved_late", "pending_overdue"), _PROCESSED,
           "(late + pending overdue) / (resolved + pending)"),
    ], better="lower"),
    # ---- online and digitization
    _rate("online_rate", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "Share of cases received online", [
        _v("received", ("received_online",), ("received",), "received online / received"),
        _v("received_and_carried_over", ("received_online",), ("received", "carried_over"),
           "received online / (received + carried over): Biểu 06 column (4) / (3)"),
    ]),
    _rate("digitized_rate", "Tỷ lệ hồ sơ được số hóa", "Share of received cases digitized", [
        _v("received", ("received_digitized",), ("cases_received",),
           "digitized / received (case data)")]),
    _rate("reuse_rate", "Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa",
          "Share of received cases reusing digitized data", [
              _v("received", ("received_reused",), ("cases_received",),
                 "reused data / received (case data)")]),
    _rate("e_result_rate", "Tỷ lệ hồ sơ có kết quả điện tử",
          "Share of resolved cases with an electronic result", [
              _v("resolved", ("resolved_e_result",), ("cases_resolved",),
                 "electronic result / resolved (case data)")]),
    _rate("fully_online_rate", "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình",
          "Share of resolved cases processed fully online", [
              _v("resolved", ("resolved_fully_online",), ("cases_resolved",),
                 "received online and electronic result / resolved (case data)")]),
    _rate("online_payment_rate", "Tỷ lệ hồ sơ thanh toán trực tuyến",
          "Share of fee-bearing cases paid online", [
              _v("received_fee", ("received_paid_online",), ("received_fee",),
                 "paid online / received with a fee")]),
    _rate("apology_rate", "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi",
          "Share of late cases with an apology letter", [
              _v("resolved_late", ("late_apology",), ("cases_resolved_late",),
                 "late with apology / resolved late: NĐ 61/2018 Điều 19.9"),
              _v("resolved_late_or_overdue", ("late_apology", "overdue_apology"),
                 ("cases_resolved_late", "cases_pending_overdue"),
                 "with apology / (resolved late + pending and overdue at the end): a late case "
                 "owes its apology before it is finished (NĐ 61/2018 Điều 19.9)"),
          ]),
    _rate("satisfaction_rate", "Tỷ lệ hài lòng về giải quyết hồ sơ",
          "Share of ratings satisfied or very satisfied", [
              _v("rated", ("rated_satisfied",), ("rated",),
                 "satisfied or very satisfied / rated; a rating belongs to the period in "
                 "which its case was resolved")]),
    # ---- feedback (PAKN)
    _rate("feedback_on_time_rate", "Tỷ lệ PAKN được xử lý đúng hạn",
          "Share of feedback resolved on time", [
              _v("resolved", ("fb_resolved_on_time",), ("fb_resolved",),
                 "PAKN resolved by its due date / PAKN resolved in the period"),
              _v("handled_or_overdue", ("fb_resolved_on_time",),
                 ("fb_resolved", "fb_pending_overdue"),
                 "PAKN resolved by its due date / (PAKN resolved in the period + PAKN still "
                 "open past its due date at the end): unanswered PAKN count against on time"),
          ],
          unit="feedback", notes="feedback carries no field: excluded under a field restriction"),
    _rate("feedback_satisfaction_rate", "Tỷ lệ hài lòng về xử lý PAKN",
          "Share of resolved feedback with a satisfied answer", [
              _v("answered", ("fb_satisfied",), ("fb_answered",),
                 "satisfied / PAKN resolved in the period with a satisfaction answer")],
          unit="feedback", notes="feedback carries no field: excluded under a field restriction"),
    # ---- procedure catalogue
    _rate("proc_full_online_rate", "Tỷ lệ TTHC cung cấp DVCTT toàn trình",
          "Share of procedures with full online service", [
              _v("procedures", ("proc_full_online",), ("proc_total",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    _rate("proc_one_stop_rate", "Tỷ lệ TTHC tiếp nhận tại Bộ phận Một cửa",
          "Share of procedures received at the one-stop unit", [
              _v("procedures", ("proc_one_stop",), ("proc_total",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    _rate("proc_four_on_spot_rate", "Tỷ lệ TTHC thực hiện 4 tại chỗ",
          "Share of procedures done '4 on the spot'", [
              _v("procedures", ("proc_four_on_spot",), ("proc_total",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    _rate("proc_sample_dossier_rate", "Tỷ lệ TTHC có hồ sơ mẫu",
          "Share of procedures with a sample dossier", [
              _v("procedures", ("proc_sample_dossier",), ("proc_total",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    _rate("proc_e_process_rate", "Tỷ lệ TTHC có quy trình điện tử",
          "Share of procedures with an electronic internal process", [
              _v("procedures", ("proc_e_process",), ("proc_total",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    _rate("proc_fee_online_payment_rate", "Tỷ lệ TTHC có phí tích hợp thanh toán trực tuyến",
          "Share of fee-bearing procedures integrated for online payment", [
              _v("fee_procedures", ("proc_fee_payment",), ("proc_fee",), _PROC_BASIS)],
          unit="procedures", notes=_PROC_NOTE),
    # ---- year over year
    Indicator("received_yoy", "Số hồ sơ tiếp nhận so với cùng kỳ năm trước",
              "Cases received, ratio to the same period a year earlier", "ratio", "cases",
              "higher", (Variant("same_period_last_year", ("received",), ("received",),
                                 "this period's count / the same period one year earlier"),),
              lag_years=1),
    Indicator("resolved_yoy", "Số hồ sơ giải quyết so với cùng kỳ năm trước",
              "Cases resolved, ratio to the same period a year earlier", "ratio", "cases",
              "higher", (Variant("same_period_last_year", ("resolved",), ("resolved",),
                                 "this period's count / the same period one year earlier"),),
              lag_years=1),
    Indicator("late_rate_yoy", "Tỷ lệ hồ sơ quá hạn so với cùng kỳ năm trước",
              "Late rate, ratio to the same period a year earlier", "ratio", "cases", "lower", (
                  Variant("same_period_last_year", ("resolved_late",), ("resolved",),
                          "(late / resolved this period) / (late / resolved in the same period "
                          "one year earlier); below 1 = the late rate went down"),),
              lag_years=1, rate_of_rates=True),
    # ---- plan tasks (issue 10): computed by scorecard.tasks from the register and task_status
    Indicator("task_on_time_rate", "Tỷ lệ nhiệm vụ của kế hoạch hoàn thành đúng hạn",
              "Share of the plan's assignments due so far that were done on time", "rate",
              "tasks", "higher", (
                  Variant("due_by_end", ("done_on_time",), ("done_on_time", "done_late",
                                                           "overdue"),
                          "occurrences done on time / occurrences due from the plan's start to "
                          "the span's last day (done on time, done late or overdue then): "
                          "scorecard.tasks.judging"),),
              computed_by=_TASKS),
    Indicator("tasks_overdue", "Số nhiệm vụ của kế hoạch quá hạn chưa hoàn thành",
              "Assignments of the plan overdue and not done at the span's end", "count",
              "tasks", "lower", (
                  Variant("count", ("overdue",), None,
                          "occurrences due on or before the span's last day and not reported "
                          "done by then: scorecard.tasks.judging"),),
              computed_by=_TASKS),
]

#: id → declaration, in catalogue order.
CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in _DECLARED}


def get_indicator(indicator_id: str) -> Indicator:
    """The declaration of ``indicator_id``; unknown → :class:`IndicatorError`."""
    try:
        return CATALOGUE[indicator_id]
    except KeyError:
        raise IndicatorError(
            f"unknown indicator {indicator_id!r}: use one of {', '.join(CATALOGUE)}"
        ) from None


def computed_by(indicator_id: str) -> ComputedBy | None:
    """The provider of an indicator computed by another module (None for a case indicator or an
    unknown id)."""
    decl = CATALOGUE.get(indicator_id)
    return decl.computed_by if decl is not None else None


def case_indicator_ids() -> list[str]:
    """Ids of the indicators the case engine computes (catalogue order)."""
    return [iid for iid, ind in CATALOGUE.items() if ind.computed_by is None]


def resolve_variants(variants: Mapping[str, str] | None) -> dict[str, Variant]:
    """The variant to use for every indicator, checking the requested ones."""
    chosen = {iid: ind.variants[0] for iid, ind in CATALOGUE.items()}
    for iid, name in (variants or {}).items():
        chosen[iid] = get_indicator(iid).variant(name)
    return chosen


def _check_catalogue() -> None:
    for ind in _DECLARED:
        assert ind.kind in ("count", "rate", "ratio"), ind.id
        assert ind.better in ("higher", "lower"), ind.id
        if ind.computed_by is not None:
            cb = ind.computed_by
            assert cb.function.count(":") == 1, ind.id
            assert set(cb.windows) <= set(SPAN_KINDS) and "period" in cb.windows, ind.id
            assert cb.unlisted in ("no_data", "not_applicable"), ind.id
            assert not ind.lag_years, ind.id
            continue
        for v in ind.variants:
            for m in (*v.numerator, *(v.denominator or ())):
                assert m in MEASURES, f"{ind.id}: unknown measure {m}"


_check_catalogue()
