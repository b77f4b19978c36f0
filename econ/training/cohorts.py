"""Cohorts: one offering of a program with dates, session days, capacity, coarse location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import peewee as pw

from econ.db import db, for_update, utcnow, write_transaction
from econ.errors import Conflict, DomainError, NotFound
from econ.participants import validation as v
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor
from econ.training import validation as tv
from econ.training.access import CATALOGUE_MANAGERS
from econ.training.catalogue import get_program
from econ.training.errors import TrainingCode
from econ.training.models import Cohort, Enrollment, EnrollmentRequest, TrainingProgram
from econ.training.rules import BLOCKING, how
from econ.training.transitions import move, promote_waitlist, seats_taken

CANCELLED_PREFIX = "cohort cancelled: "


def _dates(start: dt.date, end: dt.date, today: dt.date) -> None:
    if end < start:
        raise DomainError(
            TrainingCode.INVALID_DATES, "the end date is before the start date", "endDate"
        )
    if end < today:
        raise DomainError(TrainingCode.COHORT_ENDED, "the end date is already past", "endDate")


def create_cohort(
    actor: Actor | None,
    program_id: int,
    *,
    start_date: str | dt.date,
    end_date: str | dt.date,
    session_days: list[str],
    capacity: int | None = None,
    location: str | None = None,
    today: dt.date | None = None,
) -> Cohort:
    """Offer a program; capacity defaults to the program's."""
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    program = get_program(actor, program_id)
    if not program.active:
        raise DomainError(TrainingCode.PROGRAM_INACTIVE, "the program is not active", "programId")
    start = tv.required_date(start_date, "startDate")
    end = tv.required_date(end_date, "endDate")
    _dates(start, end, today or dt.date.today())
    days = tv.session_days(session_days)
    seats = program.capacity if capacity is None else tv.capacity(capacity)
    place = v.text(location, "location", max_length=80) or ""
    with db.atomic():
        cohort = Cohort.create(
            program=program,
            start_date=start,
            end_date=end,
            session_days=days,
            capacity=seats,
            location=place,
            created_by=actor.user_id,
        )
        audit.record(actor, "create_cohort", "Cohort", cohort.id)
    return cohort


def get_cohort(actor: Actor | None, cohort_id: int | str) -> Cohort:
    """Every signed-in user sees cohorts of programs she can see."""
    actor = require_actor(actor)
    try:
        cid = int(cohort_id)
    except (TypeError, ValueError):
        raise NotFound("cohort", "cohortId") from None
    cohort = Cohort.get_or_none(Cohort.id == cid)
    if cohort is None:
        raise NotFound("cohort", "cohortId")
    try:
        get_program(actor, cohort.program_id)
    except NotFound:
        raise NotFound("cohort", "cohortId") from None
    return cohort


def _locked(actor: Actor, cohort_id: int) -> Cohort:
    """The cohort row, locked for the rest of the transaction (after the reach check)."""
    get_cohort(actor, cohort_id)
    return for_update(Cohort.select().where(Cohort.id == int(cohort_id))).get()


def update_cohort(
    actor: Actor | None,
    cohort_id: int,
    *,
    capacity: int | None = None,
    location: str | None = None,
    end_date: str | dt.date | None = None,
    today: dt.date | None = None,
) -> Cohort:
    """Change capacity (a raise promotes the waitlist at once), location or end date."""
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    get_cohort(actor, cohort_id)
    seats = None if capacity is None else tv.capacity(capacity)
    place = None if location is None else (v.text(location, "location", max_length=80) or "")
    end = v.iso_date(end_date, "endDate")
    with write_transaction():
        cohort = _locked(actor, cohort_id)
        if cohort.status == "CANCELLED":
            raise DomainError(TrainingCode.COHORT_CANCELLED, "the cohort was cancelled", "cohortId")
        if end is not None:
            _dates(cohort.start_date, end, today or dt.date.today())
            cohort.end_date = end
        if seats is not None:
            taken = seats_taken(cohort)
            if seats < taken:
                raise DomainError(
                    TrainingCode.CAPACITY_BELOW_SEATS,
                    f"{taken} seats are taken; withdraw enrolments before lowering capacity",
                    "capacity",
                )
            cohort.capacity = seats
        if place is not None:
            cohort.location = place
        cohort.save()
        audit.record(actor, "update_cohort", "Cohort", cohort.id)
        promote_waitlist(cohort, actor)
    return cohort


def cancel_cohort(
    actor: Actor | None, cohort_id: int, reason: str, *, today: dt.date | None = None
) -> Cohort:
    """Withdraw every enrolment still open, with the reason, and close pending requests.

    The reason stays on the cohort (`cancelled_reason`) and in each enrolment's history,
    so the participants' counselors see why. Completed enrolments keep their record.
    """
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    get_cohort(actor, cohort_id)
    why = v.text(reason, "reason", required=True, max_length=400)
    with write_transaction():
        cohort = _locked(actor, cohort_id)
        if cohort.status == "CANCELLED":
            raise DomainError(
                TrainingCode.COHORT_CANCELLED, "the cohort is already cancelled", "cohortId"
            )
        if cohort.end_date < (today or dt.date.today()):
            raise DomainError(
                TrainingCode.COHORT_ENDED, "an ended cohort cannot be cancelled", "cohortId"
            )
        cohort.status, cohort.cancelled_reason = "CANCELLED", why
        cohort.cancelled_at, cohort.cancelled_by = utcnow(), actor.user_id
        cohort.save()
        open_ones = Enrollment.select().where(
            (Enrollment.cohort == cohort.id) & Enrollment.status.in_(sorted(BLOCKING))
        )
        for enrollment in open_ones.order_by(Enrollment.id):
            if how(enrollment.status, "WITHDRAWN"):
                move(enrollment, "WITHDRAWN", CANCELLED_PREFIX + why, actor)
        EnrollmentRequest.update(
            status="DECLINED",
            pending_marker=None,
            decided_at=utcnow(),
            decided_by=actor.user_id,
            decision_reason=CANCELLED_PREFIX + why,
        ).where(
            (EnrollmentRequest.cohort == cohort.id) & (EnrollmentRequest.status == "PENDING")
        ).execute()
        audit.record(actor, "cancel_cohort", "Cohort", cohort.id, fields=("status",))
    return cohort


def delete_cohort(actor: Actor | None, cohort_id: int, *, today: dt.date | None = None) -> None:
    """Only a cohort that has not started and never had an enrolment or request."""
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    get_cohort(actor, cohort_id)
    with write_transaction():
        cohort = _locked(actor, cohort_id)
        if cohort.start_date <= (today or dt.date.today()):
            raise Conflict(
                TrainingCode.COHORT_STARTED, "a cohort that has started can only be cancelled"
            )
        has_records = (
            Enrollment.select().where(Enrollment.cohort == cohort.id).exists()
            or EnrollmentRequest.select().where(EnrollmentRequest.cohort == cohort.id).exists()
        )
        if has_records:
            raise Conflict(
                TrainingCode.COHORT_HAS_ENROLLMENTS, "cancel it instead: it has enrolments"
            )
        cohort.delete_instance()
        audit.record(actor, "delete_cohort", "Cohort", cohort_id)


COHORTS_PER_PROGRAM = 100  # the stated bound of TrainingProgram.cohorts (econ/schema/cost.py)


def cohorts_by_program(program_ids: Iterable[int]) -> dict[int, list[Cohort]]:
    """program id -> its latest COHORTS_PER_PROGRAM cohorts by start date, one query."""
    ids = list(set(program_ids))
    result: dict[int, list[Cohort]] = {pid: [] for pid in ids}
    if not ids:
        return result
    rank = pw.fn.ROW_NUMBER().over(
        partition_by=[Cohort.program], order_by=[Cohort.start_date.desc(), Cohort.id.desc()]
    )
    ranked = (
        Cohort.select(Cohort.id, rank.alias("rank")).where(Cohort.program.in_(ids)).alias("ranked")
    )
    latest = (
        Cohort.select()
        .join(ranked, on=(Cohort.id == ranked.c.id))
        .where(ranked.c.rank <= COHORTS_PER_PROGRAM)
        .order_by(Cohort.start_date, Cohort.id)
    )
    for cohort in latest:
        result[cohort.program_id].append(cohort)
    return result


def list_cohorts(
    actor: Actor | None, *, status: str | None = None, ending_from: dt.date | None = None
) -> pw.ModelSelect:
    """Every cohort of a program the caller can see, by start date (the top-level list the
    catalogue's per-program lists lacked); `ending_from` keeps those not ended before it."""
    actor = require_actor(actor)
    query = (
        Cohort.select()
        .join(TrainingProgram, on=(Cohort.program == TrainingProgram.id))
        .order_by(Cohort.start_date, Cohort.id)
    )
    if actor.role not in CATALOGUE_MANAGERS:  # inactive programs' cohorts, as get_cohort
        query = query.where(TrainingProgram.active == True)  # noqa: E712 (SQL, not Python)
    if status:
        query = query.where(Cohort.status == status)
    if ending_from is not None:
        query = query.where(Cohort.end_date >= ending_from)
    return query
