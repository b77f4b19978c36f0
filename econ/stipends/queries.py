"""Read side of payment runs: lines, exceptions for review, files, her payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.errors import NotFound, PermissionDenied
from econ.participants.access import in_reach
from econ.participants.models import Participant
from econ.security import audit
from econ.security.crypto import decrypt
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.stipends.engine import line_context
from econ.stipends.models import (
    Adjustment,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    ReconciliationException,
)
from econ.stipends.runs import get_run


@dataclass(frozen=True)
class ReviewItem:
    """One thing a person must look at: a held line, a skipped or ended schedule, or a
    result-file row that could not be applied."""

    source: str  # LINE, SCHEDULE or RECONCILIATION
    kind: str
    line_id: int | None = None
    schedule_id: int | None = None
    participant_id: int | None = None
    reference: str | None = None
    amount: Decimal | None = None
    detail: str = ""


def run_lines(actor: Actor | None, run_id: int, status: str | None = None) -> pw.ModelSelect:
    # Lines are per-participant case data (amounts, verified income): FINANCE only;
    # ADMIN sees a run's state and totals.
    require_role(actor, Role.FINANCE)
    get_run(actor, run_id)
    query = PaymentLine.select().where(PaymentLine.run == run_id).order_by(PaymentLine.id)
    return query.where(PaymentLine.status == status) if status else query


def run_exceptions(actor: Actor | None, run_id: int) -> list[ReviewItem]:
    require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    items = [
        ReviewItem(
            "LINE",
            line.exception,
            line_id=line.id,
            schedule_id=line.schedule_id,
            participant_id=line.participant_id,
            amount=line.remainder if line.exception == "NEGATIVE_REMAINDER" else line.net,
        )
        for line in PaymentLine.select()
        .where((PaymentLine.run == run_id) & PaymentLine.exception.is_null(False))
        .order_by(PaymentLine.id)
    ]
    items += [
        ReviewItem(
            "SCHEDULE",
            note["kind"],
            schedule_id=note["scheduleId"],
            participant_id=note.get("participantId"),
        )
        for note in run.exceptions or []
    ]
    items += [
        ReviewItem(
            "RECONCILIATION",
            exc.kind,
            reference=exc.reference,
            amount=exc.amount,
            detail=f"{exc.status} {exc.reason} {exc.detail}".strip(),
        )
        for exc in ReconciliationException.select()
        .where(ReconciliationException.run == run_id)
        .order_by(ReconciliationException.id)
    ]
    return items


def run_files(actor: Actor | None, run_id: int) -> list[PaymentFile]:
    require_role(actor, Role.FINANCE)
    get_run(actor, run_id)
    return list(
        PaymentFile.select(
            PaymentFile.id,
            PaymentFile.run,
            PaymentFile.method,
            PaymentFile.batch,
            PaymentFile.format,
            PaymentFile.filename,
            PaymentFile.sha256,
            PaymentFile.count,
            PaymentFile.total,
            PaymentFile.created_at,
        )
        .where(PaymentFile.run == run_id)
        .order_by(PaymentFile.id)
    )


def file_content(actor: Actor | None, file_id: int) -> str:
    """FINANCE downloads a payment file (it holds names and accounts): audited."""
    actor = require_role(actor, Role.FINANCE)
    file = PaymentFile.get_or_none(PaymentFile.id == file_id)
    if file is None:
        raise NotFound("payment file", "fileId")
    audit.record(actor, "download_payment_file", "PaymentFile", file.id)
    return file.content


def line_payee(actor: Actor | None, line: PaymentLine) -> tuple[str | None, str | None]:
    """FINANCE reads the payee snapshot (legal name, account) of a line: audited."""
    actor = require_role(actor, Role.FINANCE)
    audit.record(
        actor,
        "read_payee",
        "PaymentLine",
        line.id,
        participant_id=line.participant_id,
        fields=("legal_name", "bank_account"),
    )
    return (
        decrypt(line.payee_name, line_context("payee_name", line.run_id, line.schedule_id)),
        decrypt(line.account, line_context("account", line.run_id, line.schedule_id)),
    )


def payments_of(actor: Actor | None, participant: Participant) -> list[PaymentLine]:
    """Her lines in runs that are not cancelled (she, her counselor, finance)."""
    actor = require_actor(actor)
    allowed = actor.role in (Role.FINANCE, Role.COUNSELOR, Role.PARTICIPANT)
    if not allowed or not in_reach(actor, participant.id, participant.counselor_id):
        raise PermissionDenied("payments are not visible to your role")
    return list(
        PaymentLine.select(PaymentLine, PaymentRun)
        .join(PaymentRun)
        .where((PaymentLine.participant == participant.id) & (PaymentRun.state != "CANCELLED"))
        .order_by(PaymentLine.period.desc(), PaymentLine.id.desc())
    )


def line_attempts(line_ids: list[int]) -> dict[int, list[PaymentAttempt]]:
    """INTERNAL, no permission check: each line's attempts by number (for statements)."""
    found: dict[int, list[PaymentAttempt]] = {i: [] for i in line_ids}
    if line_ids:
        rows = PaymentAttempt.select().where(PaymentAttempt.line.in_(list(line_ids)))
        for row in rows.order_by(PaymentAttempt.number):
            found[row.line_id].append(row)
    return found


def line_adjustments(line_ids: list[int]) -> dict[int, list[Adjustment]]:
    """INTERNAL, no permission check: the adjustments each line paid (for statements)."""
    found: dict[int, list[Adjustment]] = {i: [] for i in line_ids}
    if line_ids:
        rows = Adjustment.select().where(Adjustment.paid_line_id.in_(list(line_ids)))
        for row in rows.order_by(Adjustment.id):
            found[row.paid_line_id].append(row)
    return found


def line_participants(run_id: int) -> list[tuple[int, int]]:
    """(line id, participant id) of a run, for internal jobs (statements); no actor check."""
    return list(
        PaymentLine.select(PaymentLine.id, PaymentLine.participant)
        .where(PaymentLine.run == run_id)
        .order_by(PaymentLine.id)
        .tuples()
    )
