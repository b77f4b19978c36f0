"""Exceptions for a person to look at, in plain words, with who dealt with each and how.

One list across runs: held lines, failed lines, skipped or ended schedules, and result
rows that could not be applied. Each is named by a stable key, under which a FINANCE
user records that she acknowledged it (seen, someone is on it) or resolved it, with a
note. The text never quotes an account number or a name: the participant id leads to
her record for those who may read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import peewee as pw

from econ.db import write_transaction
from econ.errors import CommonCode, DomainError, NotFound
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends.models import (
    RESOLUTIONS,
    ExceptionResolution,
    PaymentLine,
    PaymentRun,
    ReconciliationException,
)
from econ.stipends.payees import DETAIL
from econ.stipends.runs import run_of
from econ.stipends.schedules import _reason
from econ.stipends.summary import frozen, summary_of

_LINE_TEXT = {
    **DETAIL,
    "NOT_WRITABLE": "The bank file cannot carry this payment ({reason}); correct it and retry.",
    "INCOME_NOT_VERIFIED": (
        "Her earned income for {month} is not verified yet: nothing was calculated as if she "
        "earned nothing. A follow-up run pays her once her counselor verifies the month."
    ),
    "ZERO_NET": "Nothing to pay this month: the income taper takes the whole stipend.",
    "NEGATIVE_REMAINDER": (
        "Deductions exceed the stipend: {remainder} was not deducted (nothing is paid)."
    ),
    "PAYMENT_FAILED": (
        "The bank did not pay it ({reason}). Retry once her details are right, or pay it in "
        "a follow-up run."
    ),
}
_SCHEDULE_TEXT = {
    "PARTICIPANT_EXITED": "She has exited the programme: no line was made.",
    "ENDED_DURATION_USED": "Her schedule used all its months and was ended.",
    "ENDED_INDEPENDENCE": "She reached independence (income at target): her schedule ended.",
}
_RECONCILIATION_TEXT = {
    "UNKNOWN_REFERENCE": "The bank reported a payment we never sent ({reference}).",
    "DUPLICATE_ROW": "The bank reported the same payment twice with different outcomes.",
    "AMOUNT_MISMATCH": "The bank reported another amount than we sent.",
    "RETURN_OF_UNSENT": "The bank returned a payment that was never paid.",
    "PAID_AFTER_FAILED": "The bank reported as paid a payment it had refused.",
    "UNKNOWN_BATCH": "The bank reported on a file that is not ours ({reference}).",
}


@dataclass(frozen=True)
class ReviewItem:
    """One thing a person must look at."""

    source: str  # LINE, SCHEDULE or RECONCILIATION
    kind: str
    key: str = ""
    run_id: int | None = None
    period: str | None = None
    line_id: int | None = None
    schedule_id: int | None = None
    participant_id: int | None = None
    reference: str | None = None
    amount: Decimal | None = None
    detail: str = ""
    resolution: ExceptionResolution | None = None


def _exception_lines(run: PaymentRun) -> pw.ModelSelect:
    return PaymentLine.select().where(
        (PaymentLine.run == run.id)
        & (PaymentLine.exception.is_null(False) | (PaymentLine.status == "FAILED"))
    )


def _line_items(run: PaymentRun, limit: int | None = None) -> list[ReviewItem]:
    lines = _exception_lines(run).order_by(PaymentLine.id)
    if limit is not None:
        lines = lines.limit(limit)
    items = []
    for line in lines:
        kind = line.exception or "PAYMENT_FAILED"
        text = _LINE_TEXT.get(kind, "Held: {reason}.").format(
            reason=line.failure_reason or kind,
            month=(line.inputs or {}).get("incomeMonth", ""),
            remainder=line.remainder,
        )
        items.append(
            ReviewItem(
                "LINE",
                kind,
                key=f"LINE:{line.id}:{kind}",
                run_id=run.id,
                period=run.period,
                line_id=line.id,
                schedule_id=line.schedule_id,
                participant_id=line.participant_id,
                amount=line.remainder if kind == "NEGATIVE_REMAINDER" else line.net,
                detail=text,
            )
        )
    return items


def _items(run: PaymentRun, limit: int | None = None) -> list[ReviewItem]:
    """The run's exceptions: lines first, then schedule notes and result rows (`limit`:
    at most that many, read no further: a 20,000-line run can have hundreds)."""
    # A frozen run's line exceptions are kept per version (its lines cannot change);
    # the resolutions, notes and bank rows below are read each time.
    items = list(frozen(run, f"exception lines {limit}", lambda: tuple(_line_items(run, limit))))
    if limit is not None and len(items) >= limit:
        return items[:limit]
    items += [
        ReviewItem(
            "SCHEDULE",
            note["kind"],
            key=f"SCHEDULE:{run.id}:{note['scheduleId']}:{note['kind']}",
            run_id=run.id,
            period=run.period,
            schedule_id=note["scheduleId"],
            participant_id=note.get("participantId"),
            detail=_SCHEDULE_TEXT.get(note["kind"], note["kind"]),
        )
        for note in run.exceptions or []
    ]
    for exc in (
        ReconciliationException.select()
        .where(ReconciliationException.run == run.id)
        .order_by(ReconciliationException.id)
    ):
        text = _RECONCILIATION_TEXT.get(exc.kind, exc.kind).format(reference=exc.reference)
        said = " ".join(p for p in (exc.status, exc.reason, exc.detail) if p)
        items.append(
            ReviewItem(
                "RECONCILIATION",
                exc.kind,
                key=f"RECONCILIATION:{exc.id}",
                run_id=run.id,
                period=run.period,
                line_id=exc.line_id,
                participant_id=exc.participant_id,
                reference=exc.reference,
                amount=exc.amount,
                detail=f"{text} The {exc.source} file said: {said}.",
            )
        )
    return items


def _with_resolutions(items: list[ReviewItem]) -> list[ReviewItem]:
    keys = [item.key for item in items]
    found = {}
    for lo in range(0, len(keys), 500):
        for row in ExceptionResolution.select().where(
            ExceptionResolution.key.in_(keys[lo : lo + 500])
        ):
            found[row.key] = row
    return [replace(item, resolution=found.get(item.key)) for item in items]


def run_exceptions(
    actor: Actor | None, run: PaymentRun | int, limit: int | None = None
) -> list[ReviewItem]:
    require_role(actor, Role.FINANCE)
    run = run_of(actor, run)
    return _with_resolutions(_items(run, limit)[:limit])


def exception_count(actor: Actor | None, run: PaymentRun | int) -> int:
    """How many exceptions the run has, counted by the database (its lines' from the
    run's summary)."""
    require_role(actor, Role.FINANCE)
    run = run_of(actor, run)
    reconciliation = ReconciliationException.select().where(ReconciliationException.run == run.id)
    lines = summary_of(run).exception_lines
    return lines + len(run.exceptions or []) + reconciliation.count()


def all_exceptions(actor: Actor | None, open_only: bool = False) -> list[ReviewItem]:
    """Every run's exceptions, newest period first (cancelled runs left out)."""
    require_role(actor, Role.FINANCE)
    runs = (
        PaymentRun.select()
        .where(PaymentRun.state != "CANCELLED")
        .order_by(PaymentRun.period.desc(), PaymentRun.id.desc())
    )
    items = _with_resolutions([item for run in runs for item in _items(run)])
    if open_only:
        items = [i for i in items if i.resolution is None or i.resolution.status != "RESOLVED"]
    return items


def resolve_exception(actor: Actor | None, key: str, status: str, note: str) -> ReviewItem:
    """FINANCE records that she acknowledged or resolved an exception, with a note."""
    actor = require_role(actor, Role.FINANCE)
    if status not in RESOLUTIONS:
        raise DomainError(CommonCode.INVALID_STATUS, "ACKNOWLEDGED or RESOLVED", "status")
    note = _reason(note, "note")
    item = _find(key)
    with write_transaction():
        ExceptionResolution.insert(
            key=item.key, status=status, note=note, by_user=actor.user_id
        ).on_conflict(
            conflict_target=[ExceptionResolution.key],
            update={
                ExceptionResolution.status: status,
                ExceptionResolution.note: note,
                ExceptionResolution.by_user: actor.user_id,
            },
        ).execute()
        audit.record(
            actor,
            f"payment_exception_{status.lower()}",
            "PaymentRun",
            item.run_id,
            participant_id=item.participant_id,
        )
    return _with_resolutions([item])[0]


def _find(key: str) -> ReviewItem:
    """The exception a key names, if it still exists (a paid line's is gone)."""
    text = str(key or "")[:80]
    parts = text.split(":")
    run_id = None
    if parts[0] == "LINE" and len(parts) == 3 and parts[1].isdigit():
        line = PaymentLine.get_or_none(PaymentLine.id == int(parts[1]))
        run_id = line.run_id if line else None
    elif parts[0] == "SCHEDULE" and len(parts) == 4 and parts[1].isdigit():
        run_id = int(parts[1])
    elif parts[0] == "RECONCILIATION" and len(parts) == 2 and parts[1].isdigit():
        exc = ReconciliationException.get_or_none(ReconciliationException.id == int(parts[1]))
        run_id = exc.run_id if exc else None
    run = PaymentRun.get_or_none(PaymentRun.id == run_id) if run_id else None
    for item in _items(run) if run else []:
        if item.key == text:
            return item
    raise NotFound("exception", "key")
