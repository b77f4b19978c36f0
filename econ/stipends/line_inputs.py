"""What the lines of one chunk of schedules need, read in a fixed number of queries, and
the income rules those reads feed (docs/stipends.md "Income not verified", "Income
corrections")."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import peewee as pw

from econ.money import ZERO
from econ.months import add_months, previous_month
from econ.participants.income import (
    unverified_in,
    verified_corrections,
    verified_income_by_month,
)
from econ.participants.services import LineFacts
from econ.stipends.awards import IncentiveAward
from econ.stipends.calculation import rules_from_settings, taper
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun, StipendSchedule
from econ.stipends.schedules import methods_by_participant

# A line whose earned-income month is not verified is held, never calculated as if she
# earned nothing (docs/stipends.md "Income not verified"); a follow-up run recalculates
# and pays it once her counselor has verified the month.
INCOME_NOT_VERIFIED = "INCOME_NOT_VERIFIED"
INCOME_LOOKBACK_MONTHS = 3  # verified earnings this recent mean a missing month is unknown


class ChunkInputs:
    """Everything the lines of one chunk need, read in a fixed number of queries."""

    def __init__(self, run: PaymentRun, schedules: list[StipendSchedule]):
        pids = [s.participant_id for s in schedules]
        self.settings = run.settings or {}
        self.rules = rules_from_settings(self.settings)
        facts = LineFacts(pids)  # her record, plan target and restricted fields
        self.participants, self.targets = facts.people, facts.targets
        self.pii_value = facts.restricted
        self.income = verified_income_by_month(pids)
        self.unverified = unverified_in(pids, previous_month(run.period))
        self.methods = methods_by_participant(pids)
        correction_adjustments(run, pids)  # before the adjustments are read: paid now
        self.awards: dict[int, list[IncentiveAward]] = defaultdict(list)
        for award in (
            IncentiveAward.select()
            .where(
                IncentiveAward.participant.in_(pids)
                & IncentiveAward.paid_line_id.is_null()
                & (IncentiveAward.state == "APPROVED")  # four eyes before any run pays it
            )
            .order_by(IncentiveAward.id)
        ):
            self.awards[award.participant_id].append(award)
        self.adjustments: dict[int, list[Adjustment]] = defaultdict(list)
        for adj in (
            Adjustment.select()
            .where(
                Adjustment.participant.in_(pids)
                & (Adjustment.state == "APPROVED")
                & Adjustment.paid_line_id.is_null()
                & (Adjustment.period <= run.period)
            )
            .order_by(Adjustment.id)
        ):
            self.adjustments[adj.participant_id].append(adj)
        used = (
            PaymentLine.select(PaymentLine.schedule, pw.fn.COUNT(PaymentLine.id))
            .join(PaymentRun)
            .where(
                PaymentLine.schedule.in_([s.id for s in schedules])
                & PaymentLine.uses_duration
                & (PaymentLine.period < run.period)
                & (PaymentRun.state != "CANCELLED")
            )
            .group_by(PaymentLine.schedule)
            .tuples()
        )
        self.months_used = dict(used)

    def income_known(self, participant_id: int, month: str) -> bool:
        """Her earnings of `month` are known: verified, or no report at all and no verified
        earnings in the months before (she was not earning)."""
        return income_known(
            self.income.get(participant_id, {}), month, participant_id in self.unverified
        )

    def target(self, participant_id: int) -> Decimal:
        return self.targets.get(participant_id) or Decimal(
            str(self.settings["target_monthly_income"])
        )


def correction_adjustments(run: PaymentRun, participant_ids: list[int]) -> None:
    """A verified income correction of a month already paid becomes an APPROVED
    adjustment of the difference in taper, in this run (computed, so no second approval).
    One per correction (unique `correction_id`); a zero difference writes nothing."""
    corrections = verified_corrections(participant_ids)
    if not corrections:
        return
    done = {
        c
        for (c,) in Adjustment.select(Adjustment.correction_id)
        .where(Adjustment.correction_id.in_([c.id for c in corrections]))
        .tuples()
    }
    for correction in corrections:
        if correction.id in done:
            continue
        diff = _taper_difference(correction, run.period)
        if diff is None:
            continue  # no approved line of that month was paid before this run
        if diff != 0:
            Adjustment.insert(
                participant=correction.participant_id,
                period=run.period,
                amount=diff,
                reason=f"income correction for {correction.month}",
                state="APPROVED",
                correction_id=correction.id,
            ).on_conflict_ignore().execute()


def _taper_difference(correction, period: str) -> Decimal | None:
    """What she was under- (positive) or over-paid (negative) for the corrected month."""
    lines = list(
        PaymentLine.select(PaymentLine, PaymentRun)
        .join(PaymentRun)
        .where(
            (PaymentLine.participant == correction.participant_id)
            & (PaymentLine.approved == True)  # noqa: E712 (peewee expression)
            & (PaymentLine.period < period)
            & (PaymentRun.state != "CANCELLED")
        )
    )
    paid = [line for line in lines if (line.inputs or {}).get("incomeMonth") == correction.month]
    if not paid:
        return None
    total = ZERO
    for line in paid:
        rules = rules_from_settings(line.run.settings or {})
        earned = verified_income_by_month([line.participant_id])[line.participant_id].get(
            correction.month, ZERO
        )
        total += line.taper - taper(earned, line.base, rules)
    return total


def income_known(months: dict[str, Decimal], month: str, unverified: bool) -> bool:
    """The rule of docs/stipends.md "Income not verified", as a pure function."""
    if month in months:
        return not unverified  # a verified part and an unverified part: not known yet
    if unverified:
        return False
    recent = {add_months(month, -n) for n in range(1, INCOME_LOOKBACK_MONTHS + 1)}
    return not any(months.get(m, ZERO) > 0 for m in recent)
