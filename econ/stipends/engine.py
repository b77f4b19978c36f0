"""The calculation task's work: lines for every eligible schedule, in bounded chunks.

Safe to run twice, concurrently, or again after a crash: each chunk is one transaction
that first locks the run row and re-checks the run's state and generation, skips
schedules that already have their line, and writes lines, award and adjustment claims
and progress together. A recalculation bumps the generation, so an older task stops at
its next chunk instead of writing stale lines.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from decimal import Decimal

import peewee as pw

from econ.db import for_update, write_transaction
from econ.errors import Conflict, DomainError
from econ.iban import validate_iban
from econ.money import ZERO
from econ.months import previous_month
from econ.participants.income import (
    MONTHS_FOR_INDEPENDENCE,
    consecutive_months_at_target,
    verified_income_by_month,
)
from econ.participants.models import Participant, ParticipantPII, Plan
from econ.security import audit
from econ.security.crypto import decrypt, encrypt, keyed_hash
from econ.security.roles import SYSTEM
from econ.stipends.awards import IncentiveAward
from econ.stipends.calculation import breakdown, rules_from_settings
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun, StipendSchedule
from econ.stipends.schedules import end_by_system, methods_by_participant

CHUNK_SIZE = 500  # schedules per transaction; ECON_PAYMENT_CHUNK_SIZE overrides it
INSERT_ROWS = 1000  # lines per INSERT: 19 columns each stays under SQLite's 32,766 parameters
# Exceptions that hold a line because of how she is paid: her awards and adjustments wait
# for the next run, and the month uses no duration (nothing was paid).
METHOD_EXCEPTIONS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT", "NO_CARD_REFERENCE")


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
    chunk = chunk or int(os.environ.get("ECON_PAYMENT_CHUNK_SIZE", CHUNK_SIZE))
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
        updated = (
            PaymentRun.update(
                state="CALCULATED",
                version=PaymentRun.version + 1,
                job_status="DONE",
                job_done=PaymentRun.job_total,
                job_error=None,
            )
            .where(
                (PaymentRun.id == run_id)
                & (PaymentRun.state == "CALCULATING")
                & (PaymentRun.version == run.version)
                & (PaymentRun.generation == generation)
            )
            .execute()
        )
        if updated:
            from econ.stipends.runs import record_event

            record_event(run_id, "CALCULATING", "CALCULATED", None, "calculation done")
    return "done"


def _fail(run_id: int, generation: int, exc: Exception) -> None:
    message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
    with write_transaction():
        run = PaymentRun.get_or_none(PaymentRun.id == run_id)
        if run is None or run.generation != generation or run.state != "CALCULATING":
            return
        updated = (
            PaymentRun.update(
                state="DRAFT",
                version=PaymentRun.version + 1,
                job_status="FAILED",
                job_error=message[:500],
            )
            .where(
                (PaymentRun.id == run_id)
                & (PaymentRun.state == "CALCULATING")
                & (PaymentRun.version == run.version)
            )
            .execute()
        )
        if updated:
            from econ.stipends.runs import record_event

            record_event(run_id, "CALCULATING", "DRAFT", None, "calculation failed")


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
        self.awards: dict[int, list[IncentiveAward]] = defaultdict(list)
        for award in (
            IncentiveAward.select()
            .where(IncentiveAward.participant.in_(pids) & IncentiveAward.paid_line_id.is_null())
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
    awards = [] if method_exception else data.awards.get(pid, [])
    adjustments = [] if method_exception else data.adjustments.get(pid, [])
    earned = months.get(previous_month(run.period), ZERO)
    amounts = breakdown(
        schedule.monthly_amount,
        earned,
        sum((a.amount for a in awards), ZERO),
        sum((a.amount for a in adjustments), ZERO),
        data.rules,
    )
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
        raise Conflict("CLAIMED_ELSEWHERE", "an award or adjustment was claimed by another line")


def control_hash(lines: list[PaymentLine]) -> str:
    """SHA-256 over the payable lines sorted by id: id|schedule|period|cents|method|account."""
    digest = hashlib.sha256()
    for line in sorted(lines, key=lambda item: item.id):
        cents = int(line.net * 100)
        digest.update(
            f"{line.id}|{line.schedule_id}|{line.period}|{cents}|{line.method}|{line.account_hash}\n".encode()
        )
    return digest.hexdigest()
