"""An enrolment's completion (credential, skills, the once-per-program award, a linked
milestone closed) and the skill gains recorded on an active one."""

from __future__ import annotations

import datetime as dt

from econ.db import db, for_update, write_transaction
from econ.errors import CommonCode, DomainError
from econ.participants import services as participants
from econ.participants import validation as v
from econ.security import audit
from econ.security.crypto import encrypt
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends import services as stipends
from econ.training.catalogue import skills_by_program
from econ.training.enrollments import LINK_TYPE, get_enrollment
from econ.training.errors import TrainingCode
from econ.training.models import SKILL_GAIN_TYPES, Cohort, Credential, Enrollment, SkillGain
from econ.training.rules import GAIN_STATUSES, how
from econ.training.transitions import move
from econ.training.validation import required_date


def complete_enrollment(
    actor: Actor | None,
    enrollment_id: int,
    completed_on: str | dt.date,
    credential: dict | None = None,
    *,
    today: dt.date | None = None,
) -> Enrollment:
    """Record completion and credential, add the program's skills to her profile, create the
    TRAINING_COMPLETED award (once: the award is unique per enrolment) and close a linked
    plan milestone — all in one transaction."""
    actor = require_role(actor, Role.COUNSELOR)
    enrollment = get_enrollment(actor, enrollment_id)
    cohort = enrollment.cohort
    day = required_date(completed_on, "completedOn")
    if day > (today or dt.date.today()) or day < cohort.start_date:
        raise DomainError(
            CommonCode.INVALID_DATE,
            "completion lies between the cohort start and today",
            "completedOn",
        )
    cred = _clean_credential(credential, cohort.program)
    with write_transaction():
        enrollment = for_update(Enrollment.select().where(Enrollment.id == enrollment.id)).get()
        if enrollment.status == "COMPLETED":
            raise DomainError(
                TrainingCode.ALREADY_COMPLETED, "the enrolment is already completed", "status"
            )
        if how(enrollment.status, "COMPLETED") is None:
            raise DomainError(
                CommonCode.INVALID_TRANSITION,
                f"{enrollment.status} cannot be completed (it must be ACTIVE)",
                "status",
            )
        move(enrollment, "COMPLETED", "completed the training", actor, completed_on=day)
        if cred is not None:
            Credential.create(
                enrollment=enrollment.id,
                participant=enrollment.participant_id,
                name=cred["name"],
                issuer=cred["issuer"],
                issued_on=day,
                reference=encrypt(cred["reference"], reference_context(enrollment.id)),
            )
        skills = skills_by_program([cohort.program_id])[cohort.program_id]
        if skills:
            participants.add_skills(enrollment.participant_id, skills, actor)
        awarded = _award_once_per_program(enrollment, cohort.program_id, actor)
        participants.complete_linked_milestones(LINK_TYPE, enrollment.id, actor)
        audit.record(
            actor,
            "complete_enrollment",
            "Enrollment",
            enrollment.id,
            participant_id=enrollment.participant_id,
            detail="award=TRAINING_COMPLETED" if awarded else "award=none (program already paid)",
        )
    return enrollment


def _award_once_per_program(enrollment: Enrollment, program_id: int, actor: Actor) -> bool:
    """TRAINING_COMPLETED at most once per participant and program (issue 14: one-day
    cohorts of one program completed again and again each paid). Her participant row is
    locked first, so two completions of hers at once cannot both see no award."""
    pid = enrollment.participant_id
    participants.lock_participant(pid)
    earlier = [
        e.id
        for e in Enrollment.select(Enrollment.id)
        .join(Cohort)
        .where((Enrollment.participant == pid) & (Cohort.program == program_id))
    ]
    if stipends.has_award(pid, "TRAINING_COMPLETED", LINK_TYPE, earlier):
        return False
    stipends.grant_award(
        pid, "TRAINING_COMPLETED", LINK_TYPE, enrollment.id, created_by=actor.user_id
    )
    return True


def reference_context(enrollment_id: int) -> str:
    return f"credential.reference.{enrollment_id}"


def _clean_credential(credential: dict | None, program) -> dict | None:
    if not credential:
        return None
    name = v.text(credential.get("name"), "credential.name", max_length=200)
    name = name or program.credential_name
    if not name:
        raise DomainError(CommonCode.REQUIRED, "name the credential", "credential.name")
    return {
        "name": name,
        "issuer": v.text(credential.get("issuer"), "credential.issuer", max_length=200)
        or program.provider,
        "reference": v.text(credential.get("reference"), "credential.reference", max_length=100),
    }


def record_skill_gain(
    actor: Actor | None,
    enrollment_id: int,
    gain_type: str,
    date: str | dt.date,
    note: str = "",
    *,
    today: dt.date | None = None,
) -> SkillGain:
    """A measurable skill gain (WIOA types) on an ACTIVE enrolment."""
    actor = require_role(actor, Role.COUNSELOR)
    enrollment = get_enrollment(actor, enrollment_id)
    kind = v.one_of(gain_type, SKILL_GAIN_TYPES, "type", TrainingCode.INVALID_TYPE)
    day = required_date(date, "date")
    text = v.text(note, "note", max_length=500) or ""
    if enrollment.status not in GAIN_STATUSES:
        raise DomainError(
            TrainingCode.NOT_ACTIVE,
            "skill gains are recorded on an active enrolment",
            "enrollmentId",
        )
    if day > (today or dt.date.today()) or day < enrollment.cohort.start_date:
        raise DomainError(
            CommonCode.INVALID_DATE, "the date lies between the cohort start and today", "date"
        )
    with db.atomic():
        gain = SkillGain.create(
            enrollment=enrollment.id, type=kind, date=day, note=text, created_by=actor.user_id
        )
        audit.record(
            actor,
            "record_skill_gain",
            "SkillGain",
            gain.id,
            participant_id=enrollment.participant_id,
        )
    return gain
