"""The calculation task's work: lines for every eligible schedule, in bounded chunks.

Safe to run twice, concurrently, or again after a crash: each chunk is one transaction
that first locks the run row and re-checks the run's state and generation, skips
schedules that already have their line, and writes lines, award and adjustment claims
and progress together. A recalculation bumps the generation, so an older task stops at
its next chunk instead of writing stale lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import peewee as pw

from econ.config import get_settings
from econ.db import for_update, write_transaction
from econ.errors import Conflict, DomainError
from econ.iban import validate_iban
from econ.money import ZERO
from econ.months import add_months, previous_month
from econ.participants.income import (
    COUNTED_SOURCES,
    MONTHS_FOR_INDEPENDENCE,
    consecutive_months_at_target,
    verified_corrections,
    verified_income_by_month,
)
from econ.participants.models import IncomeRecord, Participant, ParticipantPII, Plan
from econ.security import audit
from econ.security.crypto import decrypt, encrypt, keyed_hash
from econ.security.roles import SYSTEM
from econ.stipends import lifecycle
from econ.stipends.awards import IncentiveAward
from econ.stipends.calculation import breakdown, rules_from_settings, taper
from econ.stipends.errors import StipendCode
from econ.stipends.loan_lines import loan_rows
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun, StipendSchedule
from econ.stipends.schedules import end_by_system, methods_by_participant

INSERT_ROWS = 1000  # lines per INSERT: 19 columns each stays under SQLite's 32,766 parameters
# Exceptions that hold a line because of how she is paid: her awards and adjustments wait
# for the next run, and the month uses no duration (nothing was paid).
METHOD_EXCEPTIONS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT", "NO_CARD_REFERENCE")
# A line whose earned-income month is not verified is held, never calculated as if she
# earned nothing (docs/stipends.md "Income not verified"); a follow-up run recalculates
# and pays it once her counselor has verified the month.
INCOME_NOT_VERIFIED = "INCOME_NOT_VERIFIED"
INCOME_LOOKBACK_MONTHS = 3  # verified earnings this recent mean a missing month is unknown


def line_context(field: str, run_id: int, schedule_id: int) -> str:
    return f"payment_line.{field}.{run_id}.{schedule_id}"


def eligible_schedules(period: str) -> pw.ModelSelect:
    return StipendSchedule.select(StipendSchedule.id).where(
        StipendSchedule.state.in_(("APPROVED", "ACTIVE")) & (StipendSchedule.start_month <= period)
    )


def _locked_run(run_id: int, generation: int) -> PaymentRun | None:
    run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
    if run is None or run.state != "CALCULATING" or run.generation != generation:
        return None
    return run


def calculate_run(
    run_id: int, generation: int, task_id: str | None = None, chunk: int | None = None
) -> str:
    """Calculate every line of the run; returns "done", "stale" or "failed"."""
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if run is None or run.state != "CALCULATING" or run.generation != generation:
        return "stale"
    chunk = chunk or get_settings().payment_chunk_size
    try:
        return _calculate(run, generation, task_id, chunk)
    except Exception as exc:
        _fail(run_id, generation, exc)
        return "failed"


def _calculate(run: PaymentRun, generation: int, task_id: str | None, chunk: int) -> str:
    total = eligible_schedules(run.period).count()
    _job(run.id, generation, job_status="RUNNING", job_task_id=task_id, job_total=total)
    last_id, done = 0, 0
    while True:
        ids = [
            s.id
            for s in eligible_schedules(run.period)
            .where(StipendSchedule.id > last_id)
            .order_by(StipendSchedule.id)
            .limit(chunk)
        ]
        if not ids:
            break
        with write_transaction():
            locked = _locked_run(run.id, generation)
            if locked is None:
                return "stale"
            _calculate_chunk(locked, ids)
            done = min(total, done + len(ids))
            _job(run.id, generation, job_done=done)
        last_id = ids[-1]
    if run.kind == "MAIN":
        with write_transaction():
            if _locked_run(run.id, generation) is None:
                return "stale"
            rows = loan_rows(run.id, run.period)
            if rows:  # a loan another run took meanwhile keeps that run's line
                PaymentLine.insert_many(rows).on_conflict_ignore().execute()
    return _finish(run.id, generation)


def _job(run_id: int, generation: int, **fields) -> None:
    PaymentRun.update(**fields).where(
        (PaymentRun.id == run_id) & (PaymentRun.generation == generation)
    ).execute()


def _finish(run_id: int, generation: int) -> str:
    with write_transaction():
        run = _locked_run(run_id, generation)
        if run is None:
            return "stale"
        lifecycle.advance_if(
            run,
            "CALCULATED",
            None,
            "calculation done",
            where=PaymentRun.generation == generation,
            job_status="DONE",
            job_done=PaymentRun.job_total,
            job_error=None,
        )
    return "done"


def _fail(run_id: int, generation: int, exc: Exception) -> None:
    message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
    with write_transaction():
        run = PaymentRun.get_or_none(PaymentRun.id == run_id)
        if run is None or run.generation != generation or run.state != "CALCULATING":
            return
        lifecycle.advance_if(
            run,
            "DRAFT",
            None,
            "calculation failed",
            job_status="FAILED",
            job_error=message[:500],
        )


def _note(run: PaymentRun, notes: dict[str, dict]) -> None:
    """Merge review notes (schedules ended, skipped) keyed by schedule, under the run lock."""
    if not notes:
        return
    merged = {n["scheduleId"]: n for n in run.exceptions or []}
    merged.update(notes)
    PaymentRun.update(exceptions=sorted(merged.values(), key=lambda n: n["scheduleId"])).where(
        PaymentRun.id == run.id
    ).execute()
    run.exceptions = list(merged.values())


def _calculate_chunk(run: PaymentRun, ids: list[int]) -> None:
    period = run.period
    schedules = list(StipendSchedule.select().where(StipendSchedule.id.in_(ids)))
    existing = {
        s
        for (s,) in PaymentLine.select(PaymentLine.schedule)
        .where(PaymentLine.schedule.in_(ids) & (PaymentLine.period == period))
        .tuples()
    }
    todo = [s for s in schedules if s.id not in existing]
    if not todo:
        return
    inputs = _ChunkInputs(run, todo)
    notes: dict[str, dict] = {}
    rows: list[dict] = []
    for schedule in todo:
        outcome = _line_for(run, schedule, inputs)
        if "kind" in outcome:
            notes[str(schedule.id)] = {"scheduleId": schedule.id, **outcome}
        else:
            rows.append(outcome)
    _write_lines(run, rows, [s.id for s in todo if s.state == "APPROVED"])
    _note(run, notes)
    audit.record(
        SYSTEM, "snapshot_payees", "PaymentRun", run.id, fields=("legal_name", "bank_account")
    )


def _write_lines(run: PaymentRun, rows: list[dict], starting: list[int]) -> None:
    """One INSERT for the chunk's lines (a row per statement cost 57 % of the run in the
    profile), then the awards and adjustments each line pays are claimed by its id."""
    if not rows:
        return
    starting_ids = set(starting)
    paid = {row["schedule"] for row in rows if row["schedule"] in starting_ids}
    if paid:  # their first payment: APPROVED -> ACTIVE
        StipendSchedule.update(state="ACTIVE", version=StipendSchedule.version + 1).where(
            StipendSchedule.id.in_(sorted(paid)) & (StipendSchedule.state == "APPROVED")
        ).execute()
    for lo in range(0, len(rows), INSERT_ROWS):
        PaymentLine.insert_many(rows[lo : lo + INSERT_ROWS]).execute()
    claiming = {
        row["schedule"]: row["inputs"]
        for row in rows
        if row["inputs"]["awardIds"] or row["inputs"]["adjustmentIds"]
    }
    if not claiming:
        return
    line_ids = dict(
        PaymentLine.select(PaymentLine.schedule, PaymentLine.id)
        .where((PaymentLine.run == run.id) & PaymentLine.schedule.in_(list(claiming)))
        .tuples()
    )
    for schedule_id, inputs in claiming.items():
        _claim(IncentiveAward, inputs["awardIds"], line_ids[schedule_id])
        _claim(Adjustment, inputs["adjustmentIds"], line_ids[schedule_id])


class _ChunkInputs:
    """Everything the lines of one chunk need, read in a fixed number of queries."""

    def __init__(self, run: PaymentRun, schedules: list[StipendSchedule]):
        pids = [s.participant_id for s in schedules]
        self.settings = run.settings or {}
        self.rules = rules_from_settings(self.settings)
        # Only the columns a line needs, as tuples: building full model objects (and
        # parsing their JSON columns) was a third of the calculation in the profile.
        self.participants = {
            p.id: p
            for p in Participant.select(
                Participant.id, Participant.status, Participant.preferred_name
            )
            .where(Participant.id.in_(pids))
            .namedtuples()
        }
        self.income = verified_income_by_month(pids)
        self.unverified = unverified_in(pids, previous_month(run.period))
        self.targets = dict(
            Plan.select(Plan.participant, Plan.target_monthly_income)
            .where(Plan.participant.in_(pids) & Plan.target_monthly_income.is_null(False))
            .tuples()
        )
        self.pii = {
            p.participant: p
            for p in ParticipantPII.select(
                ParticipantPII.participant,
                ParticipantPII.legal_name,
                ParticipantPII.bank_account,
            )
            .where(ParticipantPII.participant.in_(pids))
            .namedtuples()
        }
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

    def pii_value(self, participant_id: int, field: str) -> str | None:
        row = self.pii.get(participant_id)
        token = getattr(row, field) if row else None
        return decrypt(token, f"participant_pii.{field}.{participant_id}")


def _line_for(run: PaymentRun, schedule: StipendSchedule, data: _ChunkInputs) -> dict:
    """The schedule's line as a row to insert, or a review note (with a "kind") when the
    schedule is skipped or ended."""
    pid = schedule.participant_id
    participant = data.participants[pid]
    if participant.status == "EXITED":
        return {"kind": "PARTICIPANT_EXITED", "participantId": pid}
    if data.months_used.get(schedule.id, 0) >= schedule.duration_months:
        end_by_system(schedule, "DURATION_USED")
        return {"kind": "ENDED_DURATION_USED", "participantId": pid}
    months = data.income.get(pid, {})
    count, _ = consecutive_months_at_target(months, data.target(pid), previous_month(run.period))
    if count >= MONTHS_FOR_INDEPENDENCE:
        end_by_system(schedule, "INDEPENDENCE")
        return {"kind": "ENDED_INDEPENDENCE", "participantId": pid}
    method, card = data.methods.get(pid, ("BANK_TRANSFER", None))
    name = data.pii_value(pid, "legal_name") or participant.preferred_name
    account, method_exception = _account(method, card, data.pii_value(pid, "bank_account"))
    income_month = previous_month(run.period)
    if not data.income_known(pid, income_month):
        method_exception = method_exception or INCOME_NOT_VERIFIED
    awards = [] if method_exception else data.awards.get(pid, [])
    adjustments = [] if method_exception else data.adjustments.get(pid, [])
    earned = months.get(income_month, ZERO)
    amounts = breakdown(
        schedule.monthly_amount,
        earned,
        sum((a.amount for a in awards), ZERO),
        sum((a.amount for a in adjustments), ZERO),
        data.rules,
    )
    if not data.income_known(pid, income_month):
        # Nothing is calculated on an unknown month: the follow-up run does it.
        amounts = breakdown(schedule.monthly_amount, ZERO, ZERO, ZERO, data.rules)
        amounts = replace(amounts, taper=amounts.base, net=ZERO, uses_duration=False)
    exception = method_exception or _amount_exception(amounts.net, amounts.remainder)
    return {
        "run": run.id,
        "schedule": schedule.id,
        "participant": pid,
        "period": run.period,
        "base": amounts.base,
        "earned": amounts.earned,
        "taper": amounts.taper,
        "incentives": amounts.incentives,
        "adjustments": amounts.adjustments,
        "net": amounts.net,
        "remainder": amounts.remainder,
        "uses_duration": amounts.uses_duration and method_exception is None,
        "method": method,
        "payee_name": encrypt(name, line_context("payee_name", run.id, schedule.id)),
        "account": encrypt(account, line_context("account", run.id, schedule.id)),
        "account_hash": keyed_hash(account) if account else "",
        "inputs": {
            "incomeMonth": previous_month(run.period),
            "earned": str(earned),
            "disregard": str(data.rules.disregard),
            "taperRate": str(data.rules.taper_rate),
            "awardIds": [a.id for a in awards],
            "adjustmentIds": [a.id for a in adjustments],
            "incomeKnown": data.income_known(pid, income_month),
        },
        "status": "HELD" if exception else "PENDING",
        "exception": exception,
    }


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


def unverified_in(participant_ids: list[int], month: str) -> set[int]:
    """Who has an earned-income report for `month` that is not verified yet."""
    return {
        pid
        for (pid,) in IncomeRecord.select(IncomeRecord.participant)
        .where(
            IncomeRecord.participant.in_(participant_ids)
            & (IncomeRecord.month == month)
            & IncomeRecord.verified_at.is_null()
            & IncomeRecord.source.in_(COUNTED_SOURCES)
        )
        .tuples()
    }


def income_known(months: dict[str, Decimal], month: str, unverified: bool) -> bool:
    """The rule of docs/stipends.md "Income not verified", as a pure function."""
    if month in months:
        return not unverified  # a verified part and an unverified part: not known yet
    if unverified:
        return False
    recent = {add_months(month, -n) for n in range(1, INCOME_LOOKBACK_MONTHS + 1)}
    return not any(months.get(m, ZERO) > 0 for m in recent)


def _account(
    method: str, card: str | None, bank_account: str | None
) -> tuple[str | None, str | None]:
    """(account to pay into, exception that holds the line)."""
    if method == "CASH":
        return None, None
    if method == "PREPAID_CARD":
        return (card, None) if card else (None, "NO_CARD_REFERENCE")
    if not bank_account:
        return None, "NO_BANK_ACCOUNT"
    try:
        return validate_iban(bank_account), None
    except DomainError:
        return None, "INVALID_ACCOUNT"


def _amount_exception(net: Decimal, remainder: Decimal) -> str | None:
    if remainder > 0:
        return "NEGATIVE_REMAINDER"
    if net == 0:
        return "ZERO_NET"
    return None


def _claim(model: type[pw.Model], ids: list[int], line_id: int) -> None:
    """Mark awards/adjustments as paid by this line; a lost race rolls the chunk back."""
    if not ids:
        return
    updated = (
        model.update(paid_line_id=line_id)
        .where(model.id.in_(ids) & model.paid_line_id.is_null())
        .execute()
    )
    if updated != len(ids):
        raise Conflict(
            StipendCode.CLAIMED_ELSEWHERE, "an award or adjustment was claimed by another line"
        )
