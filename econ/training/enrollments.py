"""Enrolments: enrol or ask for a seat, decline a request, move between states.

Completing an enrolment and recording skill gains are in econ/training/completion.py."""

from __future__ import annotations

import datetime as dt

from econ.db import db, for_update, utcnow, write_transaction
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.participants import services as participants
from econ.participants import validation as v
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.training.access import reach
from econ.training.cohorts import get_cohort
from econ.training.errors import TrainingCode
from econ.training.models import (
    Cohort,
    Enrollment,
    EnrollmentRequest,
    EnrollmentStatusChange,
)
from econ.training.rules import BLOCKING, SEATED, STATUSES, how
from econ.training.transitions import move, promote_waitlist, seats_taken

LINK_TYPE = "enrollment"  # record type of plan milestones linked to an enrolment


def get_enrollment(actor: Actor | None, enrollment_id: int | str) -> Enrollment:
    """The enrolment if it is in the caller's reach; NotFound otherwise."""
    actor = require_actor(actor)
    try:
        eid = int(enrollment_id)
    except (TypeError, ValueError):
        raise NotFound("enrollment", "enrollmentId") from None
    found = reach(Enrollment.select().where(Enrollment.id == eid), actor).first()
    if found is None:
        raise NotFound("enrollment", "enrollmentId")
    return found


def _open_cohort(actor: Actor, cohort_id: int, today: dt.date) -> Cohort:
    cohort = get_cohort(actor, cohort_id)
    if cohort.status == "CANCELLED":
        raise DomainError(TrainingCode.COHORT_CANCELLED, "the cohort was cancelled", "cohortId")
    if cohort.end_date < today:
        raise DomainError(TrainingCode.COHORT_ENDED, "the cohort has ended", "cohortId")
    if not cohort.program.active:
        raise DomainError(
            TrainingCode.PROGRAM_INACTIVE, "the program is no longer offered", "cohortId"
        )
    return cohort


def _blocking(cohort_id: int, participant_id: int) -> Enrollment | None:
    return Enrollment.get_or_none(
        (Enrollment.cohort == cohort_id)
        & (Enrollment.participant == participant_id)
        & Enrollment.status.in_(sorted(BLOCKING))
    )


def _check_milestone(actor: Actor, participant, milestone_id: int | None) -> None:
    """The milestone must be in her own plan and not dropped."""
    if milestone_id is None:
        return
    plan = participants.get_plan(actor, participant)
    milestone = next((m for m in plan.milestones if m.id == milestone_id), None) if plan else None
    if milestone is None:
        raise NotFound("milestone", "milestoneId")
    if milestone.status == "DROPPED":
        raise DomainError(
            TrainingCode.MILESTONE_DROPPED, "a dropped milestone cannot be linked", "milestoneId"
        )


def enroll_participant(
    actor: Actor | None,
    cohort_id: int,
    participant_id: int,
    *,
    milestone_id: int | None = None,
    today: dt.date | None = None,
) -> Enrollment:
    """Her counselor enrols her: a seat if one is free, else the end of the waitlist."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = participants.get_participant(actor, participant_id)
    if participant.status != "ACTIVE":
        raise DomainError(
            CommonCode.PARTICIPANT_NOT_ACTIVE,
            "only an active participant can be enrolled",
            "participantId",
        )
    _open_cohort(actor, cohort_id, today or dt.date.today())
    _check_milestone(actor, participant, milestone_id)
    with write_transaction():
        cohort = for_update(Cohort.select().where(Cohort.id == int(cohort_id))).get()
        if cohort.status == "CANCELLED":
            raise DomainError(TrainingCode.COHORT_CANCELLED, "the cohort was cancelled", "cohortId")
        if _blocking(cohort.id, participant.id) is not None:
            raise DomainError(
                TrainingCode.ALREADY_ENROLLED,
                "she is already enrolled in this cohort",
                "participantId",
            )
        seated = seats_taken(cohort) < cohort.capacity
        status = "ENROLLED" if seated else "WAITLISTED"
        now = utcnow()
        enrollment = Enrollment.create(
            cohort=cohort,
            participant=participant.id,
            status=status,
            seated_at=now if seated else None,
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        EnrollmentStatusChange.create(
            enrollment=enrollment,
            from_status=None,
            to_status=status,
            reason="enrolled" if seated else "cohort full: added to the waitlist",
            by_user=actor.user_id,
        )
        _accept_request(actor, cohort.id, participant.id, enrollment.id)
        if milestone_id is not None:
            participants.link_milestone(actor, milestone_id, LINK_TYPE, enrollment.id)
        audit.record(
            actor, "enroll_participant", "Enrollment", enrollment.id, participant_id=participant.id
        )
    return enrollment


def _accept_request(actor: Actor, cohort_id: int, participant_id: int, enrollment_id: int) -> None:
    EnrollmentRequest.update(
        status="ACCEPTED",
        pending_marker=None,
        decided_at=utcnow(),
        decided_by=actor.user_id,
        enrollment_id=enrollment_id,
    ).where(
        (EnrollmentRequest.cohort == cohort_id)
        & (EnrollmentRequest.participant == participant_id)
        & (EnrollmentRequest.status == "PENDING")
    ).execute()


def request_enrollment(
    actor: Actor | None, cohort_id: int, note: str = "", *, today: dt.date | None = None
) -> EnrollmentRequest:
    """She asks for a seat; the request waits for her counselor (enrol or decline)."""
    actor = require_role(actor, Role.PARTICIPANT)
    participant = participants.get_participant(actor, actor.participant_id)
    cohort = _open_cohort(actor, cohort_id, today or dt.date.today())
    text = v.text(note, "note", max_length=500) or ""
    if participant.counselor_id is None:
        raise DomainError(TrainingCode.NO_COUNSELOR, "you have no counselor yet to ask", "cohortId")
    if _blocking(cohort.id, participant.id) is not None:
        raise DomainError(
            TrainingCode.ALREADY_ENROLLED, "you are already in this cohort", "cohortId"
        )
    pending = EnrollmentRequest.select().where(
        (EnrollmentRequest.cohort == cohort.id)
        & (EnrollmentRequest.participant == participant.id)
        & (EnrollmentRequest.status == "PENDING")
    )
    if pending.exists():
        raise DomainError(
            TrainingCode.ALREADY_REQUESTED, "you already asked for this cohort", "cohortId"
        )
    with db.atomic():
        request = EnrollmentRequest.create(cohort=cohort, participant=participant.id, note=text)
        audit.record(
            actor,
            "request_enrollment",
            "EnrollmentRequest",
            request.id,
            participant_id=participant.id,
        )
    return request


def decline_request(actor: Actor | None, request_id: int, reason: str) -> EnrollmentRequest:
    """Her counselor declines, with a reason she will read."""
    actor = require_role(actor, Role.COUNSELOR)
    request = _request_in_reach(actor, request_id)
    why = v.text(reason, "reason", required=True, max_length=500)
    if request.status != "PENDING":
        raise DomainError(
            CommonCode.ALREADY_DECIDED, "the request was already answered", "requestId"
        )
    with db.atomic():
        updated = (
            EnrollmentRequest.update(
                status="DECLINED",
                pending_marker=None,
                decided_at=utcnow(),
                decided_by=actor.user_id,
                decision_reason=why,
            )
            .where((EnrollmentRequest.id == request.id) & (EnrollmentRequest.status == "PENDING"))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.ALREADY_DECIDED, "the request was already answered", "requestId"
            )
        audit.record(
            actor,
            "decline_enrollment_request",
            "EnrollmentRequest",
            request.id,
            participant_id=request.participant_id,
        )
    return EnrollmentRequest.get_by_id(request.id)


def _request_in_reach(actor: Actor, request_id: int) -> EnrollmentRequest:
    request = EnrollmentRequest.get_or_none(EnrollmentRequest.id == int(request_id))
    if request is None:
        raise NotFound("enrollment request", "requestId")
    try:
        participants.get_participant(actor, request.participant_id)
    except NotFound:
        raise NotFound("enrollment request", "requestId") from None
    return request


def set_enrollment_status(
    actor: Actor | None,
    enrollment_id: int,
    status: str,
    reason: str,
    *,
    today: dt.date | None = None,
) -> Enrollment:
    """Start, pause, resume or withdraw (counselor); she may withdraw herself.

    A seat freed by a withdrawal goes to the head of the waitlist in the same transaction.
    """
    actor = require_actor(actor)
    if actor.role not in (Role.COUNSELOR, Role.PARTICIPANT):
        raise NotFound("enrollment", "enrollmentId")
    enrollment = get_enrollment(actor, enrollment_id)
    new = v.one_of(status, STATUSES, "status", CommonCode.INVALID_STATUS)
    why = v.text(reason, "reason", required=True, max_length=500)
    if actor.role == Role.PARTICIPANT and new != "WITHDRAWN":
        raise PermissionDenied("you can withdraw; your counselor makes other changes", "status")
    with write_transaction():
        cohort = for_update(Cohort.select().where(Cohort.id == enrollment.cohort_id)).get()
        enrollment = Enrollment.get_by_id(enrollment.id)  # current state, under the lock
        _check_manual_move(enrollment, new, cohort, today or dt.date.today())
        move(enrollment, new, why, actor)
        if enrollment.status not in SEATED:
            promote_waitlist(cohort, actor)
    return enrollment


def _check_manual_move(enrollment: Enrollment, new: str, cohort: Cohort, today: dt.date) -> None:
    if new == enrollment.status:
        raise DomainError(CommonCode.NO_CHANGE, f"the enrolment is already {new}", "status")
    kind = how(enrollment.status, new)
    if kind is None:
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{enrollment.status} cannot become {new}", "status"
        )
    if kind == "auto":
        raise DomainError(
            CommonCode.INVALID_TRANSITION,
            "seats go to the waitlist in order, automatically",
            "status",
        )
    if kind == "complete":
        raise DomainError(
            CommonCode.INVALID_TRANSITION, "use completeEnrollment to complete", "status"
        )
    if new == "ACTIVE" and cohort.start_date > today:
        raise DomainError(TrainingCode.NOT_STARTED, "the cohort has not started yet", "status")
