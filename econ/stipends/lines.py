"""One chunk of a run's schedules turned into lines: each schedule's line (or the review
note that says why it has none), written in one INSERT, with the awards and adjustments
each line pays claimed by a conditional update (a lost race rolls the chunk back).

The caller holds the run's lock and the transaction (econ/stipends/chunks.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import peewee as pw

from econ.errors import Conflict, DomainError
from econ.iban import validate_iban
from econ.money import ZERO
from econ.months import previous_month
from econ.participants.income import MONTHS_FOR_INDEPENDENCE, consecutive_months_at_target
from econ.security import audit
from econ.security.crypto import encrypt, keyed_hash
from econ.security.roles import SYSTEM
from econ.stipends.awards import IncentiveAward
from econ.stipends.calculation import breakdown
from econ.stipends.errors import StipendCode
from econ.stipends.line_inputs import INCOME_NOT_VERIFIED, ChunkInputs
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun, StipendSchedule
from econ.stipends.schedules import end_by_system

INSERT_ROWS = 1000  # lines per INSERT: 19 columns each stays under SQLite's 32,766 parameters
# Exceptions that hold a line because of how she is paid: her awards and adjustments wait
# for the next run, and the month uses no duration (nothing was paid).
METHOD_EXCEPTIONS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT", "NO_CARD_REFERENCE")


def line_context(field: str, run_id: int, schedule_id: int) -> str:
    return f"payment_line.{field}.{run_id}.{schedule_id}"


@dataclass(frozen=True)
class ChunkOutcome:
    """What one chunk wrote: its lines' count and net sum, and the review notes of the
    schedules that got no line (kept on the chunk's row; the run gathers them at the end)."""

    lines: int = 0
    net: Decimal = ZERO
    notes: tuple[dict, ...] = ()


def calculate_chunk(run: PaymentRun, ids: list[int]) -> ChunkOutcome:
    """The lines of schedules `ids` (those that have no line of the period yet)."""
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
        return ChunkOutcome()
    inputs = ChunkInputs(run, todo)
    notes: list[dict] = []
    rows: list[dict] = []
    for schedule in todo:
        outcome = line_for(run, schedule, inputs)
        if "kind" in outcome:
            notes.append({"scheduleId": schedule.id, **outcome})
        else:
            rows.append(outcome)
    _write_lines(run, rows, [s.id for s in todo if s.state == "APPROVED"])
    audit.record(
        SYSTEM, "snapshot_payees", "PaymentRun", run.id, fields=("legal_name", "bank_account")
    )
    return ChunkOutcome(len(rows), sum((row["net"] for row in rows), ZERO), tuple(notes))


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


def line_for(run: PaymentRun, schedule: StipendSchedule, data: ChunkInputs) -> dict:
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
