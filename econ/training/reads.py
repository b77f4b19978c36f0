"""Read side: lists in the caller's reach and batch lookups for GraphQL loaders.

Batch functions (`*_by_*`, `credentials_for`) do no permission check: callers pass ids they
already resolved through a checked service call.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from econ.db import Ids, PreparedIn
from econ.errors import CommonCode, DomainError
from econ.grouping import group_by
from econ.participants import services as participants
from econ.participants import validation as v
from econ.security.crypto import decrypt
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role
from econ.training.access import reach, sees_skill_gains, sees_training_of
from econ.training.completion import reference_context
from econ.training.models import (
    REQUEST_STATUSES,
    Cohort,
    Credential,
    Enrollment,
    EnrollmentRequest,
    EnrollmentStatusChange,
    SkillGain,
)
from econ.training.rules import STATUSES
from econ.training.transitions import waitlist_query


def cohort_enrollments(
    actor: Actor | None, cohort: Cohort, status: str | None = None
) -> pw.ModelSelect:
    """Enrolments of the cohort (the waitlist apart) that the caller may see, oldest first."""
    actor = require_actor(actor)
    query = Enrollment.select().where(
        (Enrollment.cohort == cohort.id) & (Enrollment.status != "WAITLISTED")
    )
    if status:
        query = query.where(
            Enrollment.status == v.one_of(status, STATUSES, "status", CommonCode.INVALID_STATUS)
        )
    return reach(query, actor).order_by(Enrollment.id)


def waitlist(actor: Actor | None, cohort: Cohort) -> list[tuple[int, Enrollment]]:
    """(position in the whole queue, enrolment) for the waiting enrolments the caller sees."""
    actor = require_actor(actor)
    order = [e.id for e in waitlist_query(cohort.id).select(Enrollment.id)]
    visible = {e.id: e for e in reach(waitlist_query(cohort.id), actor)}
    return [(pos, visible[eid]) for pos, eid in enumerate(order, start=1) if eid in visible]


def participant_enrollments(actor: Actor | None, participant) -> list[Enrollment] | None:
    """Her enrolments, newest first; None when the caller may not see them."""
    actor = require_actor(actor)
    if not sees_training_of(actor, participant.id, participant.counselor_id):
        return None
    return enrollments_by_participant([participant.id])[participant.id]


def enrollments_by_participant(participant_ids: Iterable[int]) -> dict[int, list[Enrollment]]:
    ids = list(set(participant_ids))
    rows = _ENROLLMENTS_OF.rows(ids) if ids else []
    return group_by(rows, lambda e: e.participant_id, ids)


_ENROLLMENTS_OF = PreparedIn(  # one participant's on her record and her statement
    lambda ids: (
        Enrollment.select().where(Enrollment.participant.in_(ids)).order_by(Enrollment.id.desc())
    )
)


def histories_by_enrollment(ids: Iterable[int]) -> dict[int, list[EnrollmentStatusChange]]:
    ids = list(set(ids))
    rows = (
        EnrollmentStatusChange.select()
        .where(EnrollmentStatusChange.enrollment.in_(Ids(ids)))
        .order_by(EnrollmentStatusChange.id)
        if ids
        else []
    )
    return group_by(rows, lambda r: r.enrollment_id, ids)


def credentials_by_enrollment(ids: Iterable[int]) -> dict[int, Credential | None]:
    ids = list(set(ids))
    found = (
        {c.enrollment_id: c for c in Credential.select().where(Credential.enrollment.in_(Ids(ids)))}
        if ids
        else {}
    )
    return {i: found.get(i) for i in ids}


def skill_gains_by_enrollment(
    ids: Iterable[int], within: pw.ModelSelect | None = None
) -> dict[int, list[SkillGain]]:
    """INTERNAL (outcomes' measures); `within`: only of the enrolments this query selects."""
    ids = list(set(ids))
    wanted = SkillGain.enrollment.in_(Ids(ids))
    if within is not None:
        wanted &= SkillGain.enrollment.in_(within)
    rows = SkillGain.select().where(wanted).order_by(SkillGain.date, SkillGain.id) if ids else []
    return group_by(rows, lambda r: r.enrollment_id, ids)


def skill_gains_for(actor: Actor | None, ids: Iterable[int]) -> dict[int, list[SkillGain]]:
    """The skill gains of these enrolments the caller may read: her counselor's record of
    progress (its notes are staff's words), for her caseload's enrolments only; she herself
    and every other role read an empty list (issue 14: the service decides, not only the
    allowlist)."""
    actor = require_actor(actor)
    ids = list(set(ids))
    if not sees_skill_gains(actor) or not ids:
        return {i: [] for i in ids}
    return skill_gains_by_enrollment(ids, within=reach(Enrollment.select(Enrollment.id), actor))


def credentials_for(participant_ids: Iterable[int]) -> dict[int, list[Credential]]:
    """INTERNAL, no permission check: credentials per participant, by date.

    For the employers domain's anonymous candidate profile, which may show a credential's
    `name`, `issuer` and `issued_on` only (never `reference`, which stays encrypted, and
    never the enrolment). Every id asked for is a key of the result.
    """
    ids = list(set(participant_ids))
    rows = (
        Credential.select()
        .where(Credential.participant.in_(Ids(ids)))
        .order_by(Credential.issued_on, Credential.id)
        if ids
        else []
    )
    return group_by(rows, lambda c: c.participant_id, ids)


def participant_credentials(actor: Actor | None, participant) -> list[Credential] | None:
    actor = require_actor(actor)
    if not sees_training_of(actor, participant.id, participant.counselor_id):
        return None
    return credentials_for([participant.id])[participant.id]


def credential_reference(credential: Credential) -> str | None:
    """Decrypt the certificate number (callers show it only to her and her counselor)."""
    return decrypt(credential.reference, reference_context(credential.enrollment_id))


def cohorts_by_id(ids: Iterable[int]) -> dict[int, Cohort]:
    ids = list(set(ids))
    return {c.id: c for c in Cohort.select().where(Cohort.id.in_(Ids(ids)))} if ids else {}


def requests_by_participant(participant_ids: Iterable[int]) -> dict[int, list[EnrollmentRequest]]:
    ids = list(set(participant_ids))
    rows = (
        EnrollmentRequest.select()
        .where(EnrollmentRequest.participant.in_(Ids(ids)))
        .order_by(EnrollmentRequest.id.desc())
        if ids
        else []
    )
    return group_by(rows, lambda r: r.participant_id, ids)


def enrollment_requests(
    actor: Actor | None, status: str | None = None, participant_id: int | None = None
) -> pw.ModelSelect:
    """Requests of her caseload (counselor) or her own (participant), newest first."""
    actor = require_actor(actor)
    query = EnrollmentRequest.select().order_by(EnrollmentRequest.id.desc())
    if actor.role == Role.COUNSELOR:
        caseload = participants.caseload_query(actor.user_id)
        query = query.where(EnrollmentRequest.participant.in_(caseload))
    elif actor.role == Role.PARTICIPANT:
        query = query.where(EnrollmentRequest.participant == (actor.participant_id or 0))
    else:
        query = query.where(pw.SQL("1 = 0"))
    if status:
        if status not in REQUEST_STATUSES:
            raise DomainError(CommonCode.INVALID_STATUS, "unknown request status", "status")
        query = query.where(EnrollmentRequest.status == status)
    if participant_id is not None:
        query = query.where(EnrollmentRequest.participant == participant_id)
    return query
