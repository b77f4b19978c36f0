"""Read side of payment runs: lines, exceptions for review, files, her payments."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.db import PreparedIn, PreparedQuery
from econ.errors import NotFound, PermissionDenied
from econ.money import from_cents
from econ.participants import services as participants
from econ.participants.access import in_reach
from econ.security import audit
from econ.security.crypto import decrypt
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.stipends.file_store import read_content
from econ.stipends.lines import line_context
from econ.stipends.models import (
    STIPEND,
    Adjustment,
    IncentiveAward,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    RunEvent,
)
from econ.stipends.runs import run_of
from econ.stipends.summary import frozen_version, summary_of


def run_lines(
    actor: Actor | None,
    run: PaymentRun | int,
    status: str | None = None,
    exception: str | None = None,
    participant_code: str | None = None,
) -> pw.ModelSelect:
    """A run's lines, filtered in SQL (the finance page pages through 20,000 of them).

    `exception` is a line's exception kind, or PAYMENT_FAILED for a failed line without
    one (as the review list names it); `participant_code` matches her code exactly."""
    # Lines are per-participant case data (amounts, verified income): FINANCE only;
    # ADMIN sees a run's state and totals.
    require_role(actor, Role.FINANCE)
    run_id = run_of(actor, run).id
    query = PaymentLine.select().where(PaymentLine.run == run_id).order_by(PaymentLine.id)
    if status:
        query = query.where(PaymentLine.status == status)
    if exception == "PAYMENT_FAILED":
        query = query.where(PaymentLine.exception.is_null() & (PaymentLine.status == "FAILED"))
    elif exception:
        query = query.where(PaymentLine.exception == exception)
    if participant_code:
        query = query.where(PaymentLine.participant.in_(participants.code_query(participant_code)))
    return query


def lines_key(actor: Actor | None, run: PaymentRun | int, currency: str) -> str | None:
    """A name for what a page of the run's lines shows while they are frozen (None while
    they may change at any time): the same key, the same lines, codes, attempts and
    amounts, so a reader may keep a page of them. It moves with the run's version and
    generation, and with the currency the amounts are shown in. FINANCE, like the lines."""
    require_role(actor, Role.FINANCE)
    version = frozen_version(run_of(actor, run))
    if version is None:
        return None
    named = repr((*version, currency)).encode()
    return hashlib.sha256(named).hexdigest()[:32]


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    net: Decimal
    held: int  # lines of the method held (not sent)


def totals_by_method(actor: Actor | None, run: PaymentRun | int) -> list[MethodTotal]:
    """Each payment method's lines and net, from the run's summary (one GROUP BY)."""
    require_role(actor, Role.FINANCE)
    summary = summary_of(run_of(actor, run))
    methods = sorted({g.method for g in summary.groups})
    found = []
    for method in methods:
        groups = [g for g in summary.groups if g.method == method]
        held = sum(g.count for g in groups if g.status == "HELD")
        sums = summary.sums(groups)
        found.append(MethodTotal(method, sums["count"], from_cents(sums["net"]), held))
    return found


def run_events(actor: Actor | None, run: PaymentRun | int) -> list[RunEvent]:
    """Every move of the run, oldest first: who created, approved, rejected, disbursed."""
    require_role(actor, Role.FINANCE)
    run_id = run_of(actor, run).id
    return list(RunEvent.select().where(RunEvent.run == run_id).order_by(RunEvent.id))


def sees_who_decides(actor: Actor | None) -> bool:
    """FINANCE reads who created, asked for and approved amounts, and the codes of the
    participants they are for (the four eyes are hers to check); other readers of the
    same records (her counselor, herself) get none of it."""
    return actor is not None and actor.role == Role.FINANCE


def participant_codes(actor: Actor | None, participant_ids: list[int]) -> dict[int, str]:
    """The codes of participants whose lines and awards a FINANCE user reads ({} else)."""
    if not sees_who_decides(actor):
        return {}
    return participants.codes_by_id(participant_ids)


def run_files(actor: Actor | None, run: PaymentRun | int) -> list[PaymentFile]:
    require_role(actor, Role.FINANCE)
    run_id = run_of(actor, run).id
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


def get_file(actor: Actor | None, file_id: int) -> PaymentFile:
    """A file's description (its content is read, and audited, by `file_content`)."""
    require_role(actor, Role.FINANCE)
    file = PaymentFile.get_or_none(PaymentFile.id == file_id)
    if file is None:
        raise NotFound("payment file", "fileId")
    return file


def file_content(actor: Actor | None, file_id: int) -> str:
    """FINANCE downloads a payment file (it holds names and accounts): audited, and each
    participant in it sees the read in her "who read my data"."""
    actor = require_role(actor, Role.FINANCE)
    file = PaymentFile.get_or_none(PaymentFile.id == file_id)
    if file is None:
        raise NotFound("payment file", "fileId")
    payees = sorted(
        {
            pid
            for (pid,) in PaymentLine.select(PaymentLine.participant)
            .join(PaymentAttempt, on=PaymentAttempt.line == PaymentLine.id)
            .where(PaymentAttempt.file == file.id)
            .tuples()
        }
    )
    content = read_content(file)  # a file that is not whole is refused, and not audited
    audit.record(actor, "download_payment_file", "PaymentFile", file.id)
    audit.record_reads(actor, "PaymentFile", [(pid, PAYEE_FIELDS) for pid in payees])
    return content


PAYEE_FIELDS = ("bank_account", "legal_name")


def line_payee(
    actor: Actor | None, line: PaymentLine, reads: audit.ReadLog | None = None
) -> tuple[str | None, str | None]:
    """FINANCE reads the payee snapshot (legal name, account) of a line: audited with her
    id, in the request's batch (one entry per participant per request, not per line)."""
    actor = require_role(actor, Role.FINANCE)
    audit.record_read(actor, "PaymentLine", line.participant_id, PAYEE_FIELDS, reads)
    return (
        decrypt(line.payee_name, line_context("payee_name", line.run_id, line.schedule_id)),
        decrypt(line.account, line_context("account", line.run_id, line.schedule_id)),
    )


# Who reads a participant's own money records (lines, awards, adjustments): FINANCE, her
# counselor and herself; never an ADMIN (case data) nor an employer.
MONEY_READERS = (Role.FINANCE, Role.COUNSELOR, Role.PARTICIPANT)


def _require_money_reader(actor: Actor | None, participant: participants.Participant) -> Actor:
    actor = require_actor(actor)
    allowed = actor.role in MONEY_READERS
    if not allowed or not in_reach(actor, participant.id, participant.counselor_id):
        raise PermissionDenied("payments are not visible to your role")
    return actor


def payments_of(actor: Actor | None, participant: participants.Participant) -> list[PaymentLine]:
    """Her stipend lines in runs that are not cancelled (she, her counselor, finance). A
    loan's payment line is not a stipend: the loan shows where it stands."""
    _require_money_reader(actor, participant)
    return _PAYMENTS_OF.rows(participant.id)


# Her statement and her payments page read this on every view: two models' columns make
# its SQL one of the dearer ones to build, so it is built once.
_PAYMENTS_OF = PreparedQuery(
    lambda participant_id: (
        PaymentLine.select(PaymentLine, PaymentRun)
        .join(PaymentRun)
        .where(
            (PaymentLine.participant == participant_id)
            & (PaymentLine.kind == STIPEND)
            & (PaymentRun.state != "CANCELLED")
        )
        .order_by(PaymentLine.period.desc(), PaymentLine.id.desc())
    )
)


def awards_of(actor: Actor | None, participant: participants.Participant) -> pw.ModelSelect:
    """Her incentive awards, newest first, in every state (PENDING until a second FINANCE
    user approves, APPROVED, REJECTED): she, her counselor, finance."""
    _require_money_reader(actor, participant)
    return (
        IncentiveAward.select()
        .where(IncentiveAward.participant == participant.id)
        .order_by(IncentiveAward.id.desc())
    )


def adjustments_of(actor: Actor | None, participant: participants.Participant) -> pw.ModelSelect:
    """Her adjustments and support grants, newest first, in every state: she, her
    counselor, finance."""
    _require_money_reader(actor, participant)
    return (
        Adjustment.select()
        .where(Adjustment.participant == participant.id)
        .order_by(Adjustment.id.desc())
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
        for row in _ADJUSTMENTS_PAID.rows(list(line_ids)):
            found[row.paid_line_id].append(row)
    return found


_ADJUSTMENTS_PAID = PreparedIn(  # a statement's one line
    lambda ids: Adjustment.select().where(Adjustment.paid_line_id.in_(ids)).order_by(Adjustment.id)
)


def line_participants(run_id: int) -> list[tuple[int, int]]:
    """(line id, participant id) of a run's stipend lines, for internal jobs (statements:
    a month's statement shows her stipend, never a loan's payment); no actor check."""
    return list(
        PaymentLine.select(PaymentLine.id, PaymentLine.participant)
        .where((PaymentLine.run == run_id) & (PaymentLine.kind == STIPEND))
        .order_by(PaymentLine.id)
        .tuples()
    )
