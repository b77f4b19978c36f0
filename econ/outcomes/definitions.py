"""The indicator definitions, each beside its code, with its numerator and denominator.

Every function takes the facts of a set of participants (`sources.Facts`), the cell's scope
and the period, and returns a `Ratio`, a `Median` or a `Count`. Dates are business dates
(a placement's start, a checkpoint's mark, an income month, a repayment's date, a stipend
line's period) wherever the records have one, so a report for a past period reads the
same whenever it is run. docs/indicators.md repeats these definitions in prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from econ.outcomes.calendar import (
    add_months,
    add_quarters,
    quarter_end,
    quarter_months,
    quarter_of,
    quarter_start,
)
from econ.outcomes.measures import (
    EXITS,
    SEATED,
    Count,
    Median,
    Period,
    Ratio,
    Scope,
    median,
)
from econ.outcomes.sources import Facts
from econ.participants.services import MONTHS_FOR_INDEPENDENCE

# ---- employment -----------------------------------------------------------------------------


def placement_rate(facts: Facts, scope: Scope, period: Period) -> Ratio:
    """Placement rate.

    denominator: participants with a referral shared with an employer by the end of the
    period, or with a placement that started in the period (a hire proves she was referred,
    even when the referral was recorded after the fact);
    numerator: those of them with a placement that started in the period.
    """
    placed = {p.participant_id for p in scope.placements(facts) if p.start_date in period}
    seeking = set(placed)
    for pid in scope.participant_ids:
        for referral in facts.referrals.get(pid, []):
            if scope.employer_id not in (None, referral.employer_id):
                continue
            if referral.shared_at is not None and referral.shared_at.date() <= period.end:
                seeking.add(pid)
    return Ratio(len(placed), len(seeking))


def _checkpoint(facts: Facts, placement, days: int):
    return next((c for c in facts.checkpoints.get(placement.id, []) if c.days == days), None)


def retention(facts: Facts, scope: Scope, period: Period, days: int) -> Ratio:
    """Retention at 30 / 90 / 180 days, same employer, continuous.

    denominator: placements whose d-day mark (start date + d days) falls in the period and
    has passed by the as-of date;
    numerator: those whose d-day checkpoint is confirmed employed and that had not ended
    before the mark (a placement is one employer, so "continuous with the same employer").
    A checkpoint still DUE or UNREACHABLE counts in the denominator only.
    """
    numerator = denominator = 0
    for placement in scope.placements(facts):
        mark = placement.start_date + timedelta(days=days)
        if mark not in period or mark > period.as_of:
            continue
        denominator += 1
        checkpoint = _checkpoint(facts, placement, days)
        kept = placement.ended_on is None or placement.ended_on >= mark
        if checkpoint is not None and checkpoint.status == "CONFIRMED_EMPLOYED" and kept:
            numerator += 1
    return Ratio(numerator, denominator)


def median_earnings_q2(facts: Facts, scope: Scope, period: Period) -> Median:
    """Median monthly earnings in the second quarter after placement start.

    Q2 = the second calendar quarter after the quarter holding the start date (start
    2026-02-10 -> Q2 = Jul-Sep 2026), as WIOA counts quarters after exit.
    values: for each placement whose Q2 ends in the period and by the as-of date, her
    verified employment + business income over the three months of Q2, divided by 3; only
    placements with earnings above zero (employed) count. Result: the median of the values.
    """
    values = []
    for placement in scope.placements(facts):
        q2 = add_quarters(quarter_of(placement.start_date), 2)
        if quarter_end(q2) not in period or quarter_end(q2) > period.as_of:
            continue
        months = facts.income.get(placement.participant_id, {})
        earned = sum((months.get(m, Decimal(0)) for m in quarter_months(q2)), Decimal(0))
        if earned > 0:
            values.append(earned / 3)
    return median(values)


# ---- training -------------------------------------------------------------------------------


def _ended_on(facts: Facts, enrollment) -> date | None:
    """The day an enrolment ended: completion date, or the day it was withdrawn."""
    if enrollment.status == "COMPLETED":
        return enrollment.completed_on
    if enrollment.status == "WITHDRAWN":
        moves = [
            c for c in facts.enrollment_history.get(enrollment.id, []) if c.to_status == "WITHDRAWN"
        ]
        return moves[-1].at.date() if moves else None
    return None


def was_seated(facts: Facts, enrollment) -> bool:
    """She had a seat (a waitlist place withdrawn before promotion never trained)."""
    if enrollment.status in SEATED:
        return True
    return any(c.to_status in SEATED for c in facts.enrollment_history.get(enrollment.id, []))


def _ended_in_period(facts: Facts, scope: Scope, period: Period) -> list:
    return [
        e
        for e in scope.enrollments(facts)
        if e.status in ("COMPLETED", "WITHDRAWN")
        and was_seated(facts, e)
        and _ended_on(facts, e) in period
    ]


def completion_rate(facts: Facts, scope: Scope, period: Period) -> Ratio:
    """Training completion rate.

    denominator: enrolments with a seat that ended in the period (completed on a day in it,
    or withdrawn on a day in it);
    numerator: those of them completed.
    """
    ended = _ended_in_period(facts, scope, period)
    return Ratio(sum(1 for e in ended if e.status == "COMPLETED"), len(ended))


def credential_rate(facts: Facts, scope: Scope, period: Period) -> Ratio:
    """Credential attainment rate (placement-anchored variant of the WIOA indicator).

    denominator: the same enrolments as the completion rate (seated, ended in the period);
    numerator: those of them that earned a credential.
    """
    ended = _ended_in_period(facts, scope, period)
    return Ratio(sum(1 for e in ended if facts.credentials.get(e.id) is not None), len(ended))


def skill_gain_rate(facts: Facts, scope: Scope, period: Period) -> Ratio:
    """Measurable skill gains rate (WIOA counts a program year; we count the period).

    denominator: participants with a seated enrolment in training during the period (its
    cohort started by the period's end, and it had not ended before the period's start);
    numerator: those of them with at least one skill gain dated in the period, on such an
    enrolment.
    """
    training, gained = set(), set()
    for e in scope.enrollments(facts):
        cohort = facts.cohorts.get(e.cohort_id)
        if cohort is None or not was_seated(facts, e) or cohort.start_date > period.end:
            continue
        ended = _ended_on(facts, e)
        if ended is not None and ended < period.start:
            continue
        training.add(e.participant_id)
        if any(g.date in period for g in facts.skill_gains.get(e.id, [])):
            gained.add(e.participant_id)
    return Ratio(len(gained), len(training))


# ---- microcredit ----------------------------------------------------------------------------


def repaid_on(facts: Facts, loan) -> date | None:
    """The day a repaid loan was repaid: the date of its last live repayment."""
    if loan.state != "REPAID":
        return None
    dates = [r.paid_on for r in facts.repayments.get(loan.id, [])]
    return max(dates) if dates else (loan.repaid_at.date() if loan.repaid_at else None)


def repayment_rate(facts: Facts, scope: Scope, period: Period) -> Ratio:
    """Loan repayment rate.

    denominator: loans that closed in the period (repaid, or written off, on a day in it)
    plus loans still open whose last installment fell due in the period, by the as-of date;
    numerator: the loans repaid in the period.
    """
    numerator = denominator = 0
    for pid in scope.participant_ids:
        for loan in facts.loans.get(pid, []):
            if repaid_on(facts, loan) in period:
                numerator += 1
                denominator += 1
            elif (
                loan.state == "WRITTEN_OFF"
                and loan.written_off_at
                and loan.written_off_at.date() in period
            ):
                denominator += 1
            elif loan.state == "DISBURSED":
                installments = facts.installments.get(loan.id, [])
                last_due = installments[-1].due_date if installments else None
                if last_due in period and last_due <= period.as_of:
                    denominator += 1
    return Ratio(numerator, denominator)


@dataclass(frozen=True)
class MoneyRatio(Ratio):
    """A ratio of cents whose cell size is a count of loans."""

    loans: int = 0

    @property
    def cell(self) -> int:
        return self.loans


def par30(facts: Facts, scope: Scope, period: Period) -> MoneyRatio:
    """PAR30 as of the period's end (or the as-of date, if earlier), in cents.

    denominator: outstanding principal of every loan disbursed by that day and not written
    off (microcredit.arrears replays the repayments dated up to the day);
    numerator: the outstanding principal of those more than 30 days past due.
    The cell size for suppression is the number of loans, not the cents.
    """
    numerator = denominator = loans = 0
    for pid in scope.participant_ids:
        for loan in facts.loans.get(pid, []):
            arrears = facts.arrears.get(loan.id)
            if arrears is None or arrears.outstanding_principal <= 0:
                continue
            if loan.state == "WRITTEN_OFF":
                continue
            loans += 1
            cents = int(arrears.outstanding_principal * 100)
            denominator += cents
            if arrears.days_past_due > 30:
                numerator += cents
    return MoneyRatio(numerator, denominator, loans)


# ---- income, independence, stipends, re-entry ---------------------------------------------


def independence_month(months: dict[str, Decimal], target: Decimal) -> str | None:
    """The first month that completes 3 consecutive months of verified income at target."""
    run = 0
    previous = None
    for month in sorted(months):
        at_target = months[month] >= target
        consecutive = previous is not None and add_months(previous, 1) == month
        run = (run + 1 if consecutive else 1) if at_target else 0
        previous = month
        if run >= MONTHS_FOR_INDEPENDENCE:
            return month
    return None


def independent_count(facts: Facts, scope: Scope, period: Period) -> Count:
    """Number independent: participants whose first independence month (the third of 3
    consecutive months of verified employment + business income at or above her target)
    falls in the period."""
    return Count(len(_independent_in(facts, scope, period)))


def _independent_in(facts: Facts, scope: Scope, period: Period) -> dict[int, str]:
    found = {}
    for pid in scope.participant_ids:
        month = independence_month(facts.income.get(pid, {}), facts.targets[pid])
        if month is not None and month in period.months:
            found[pid] = month
    return found


def median_stipend_months_to_independence(facts: Facts, scope: Scope, period: Period) -> Median:
    """Median months of stipend until independence.

    values: for each participant counted as independent in the period who had a stipend,
    the number of stipend months she used (payment lines that used a month of duration, in
    runs not cancelled) for periods up to her independence month. Result: their median.
    """
    values = []
    for pid, month in _independent_in(facts, scope, period).items():
        used = [
            line
            for schedule in facts.schedules.get(pid, [])
            for line in facts.lines.get(schedule.id, [])
            if line.uses_duration and line.period <= month
        ]
        if facts.schedules.get(pid):
            values.append(Decimal(len(used)))
    return median(values, Decimal("0.1"))


def reentries(facts: Facts, scope: Scope, period: Period) -> Count:
    """Re-entries: moves back to ACTIVE from EXITED or GRADUATED on a day in the period.
    A normal path of an exit, shown as a count, never as a failure rate."""
    return Count(
        sum(
            1
            for pid in scope.participant_ids
            for change in facts.status_changes.get(pid, [])
            if change.to_status == "ACTIVE"
            and change.from_status in EXITS
            and change.at.date() in period
        )
    )


# ---- WIOA exit-based ------------------------------------------------------------------------


def _exits(facts: Facts, scope: Scope, period: Period) -> dict[int, date]:
    """Her last exit from the program (to EXITED or GRADUATED) on a day in the period."""
    found = {}
    for pid in scope.participant_ids:
        for change in facts.status_changes.get(pid, []):
            if change.to_status in EXITS and change.at.date() in period:
                found[pid] = change.at.date()
    return found


def _employed_in(facts: Facts, pid: int, quarter) -> bool:
    months = facts.income.get(pid, {})
    if any(months.get(m, Decimal(0)) > 0 for m in quarter_months(quarter)):
        return True
    start, end = quarter_start(quarter), quarter_end(quarter)
    return any(
        p.start_date <= end and (p.ended_on is None or p.ended_on >= start)
        for p in facts.placements.get(pid, [])
    )


def employment_rate_after_exit(facts: Facts, scope: Scope, period: Period, n: int) -> Ratio:
    """WIOA employment rate in the n-th quarter after exit (n = 2 or 4).

    denominator: participants who exited in the period (status EXITED or GRADUATED) whose
    n-th quarter after the exit quarter has ended by the as-of date;
    numerator: those with verified employment or business income in that quarter, or a
    placement running during it.
    """
    numerator = denominator = 0
    for pid, day in _exits(facts, scope, period).items():
        quarter = add_quarters(quarter_of(day), n)
        if quarter_end(quarter) > period.as_of:
            continue
        denominator += 1
        numerator += _employed_in(facts, pid, quarter)
    return Ratio(numerator, denominator)


def wioa_median_earnings_q2(facts: Facts, scope: Scope, period: Period) -> Median:
    """WIOA median earnings in Q2 after exit: the median, over exiters counted employed in
    Q2, of their verified income in that quarter (a quarterly figure; no zeros)."""
    values = []
    for pid, day in _exits(facts, scope, period).items():
        quarter = add_quarters(quarter_of(day), 2)
        if quarter_end(quarter) > period.as_of:
            continue
        months = facts.income.get(pid, {})
        earned = sum((months.get(m, Decimal(0)) for m in quarter_months(quarter)), Decimal(0))
        if earned > 0:
            values.append(earned)
    return median(values)
