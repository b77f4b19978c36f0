"""Participants: registry, restricted data, status, counselor assignment, access log.

Reach is decided in `access.py`, plans and milestones are in `plans.py`, income and the
independence test in `income.py`; this module re-exports them so other domains import one
`services` module.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

import peewee as pw

from econ.db import db, for_update, utcnow
from econ.emails import normalize_email
from econ.errors import CommonCode, DomainError, ErrorCollector, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.participants import validation as v
from econ.participants.access import (
    get_participant,
    in_reach,
    may_read_case,
    may_read_restricted,
    require_case_access,
)
from econ.participants.errors import ParticipantCode
from econ.participants.income import (
    MONTHS_FOR_INDEPENDENCE,
    consecutive_months_at_target,
    correct_income,
    corrections_by_record,
    income_records,
    independence,
    record_income,
    targets_for,
    verified_corrections,
    verified_income_by_month,
    verify_correction,
    verify_income,
)
from econ.participants.models import (
    RESTRICTED_FIELDS,
    Participant,
    ParticipantPII,
    StatusChange,
)
from econ.participants.plan_changes import MilestonePatch, PlanChange, change_plan
from econ.participants.plans import (
    agree_to_plan,
    agreed_revision,
    complete_linked_milestones,
    get_plan,
    link_milestone,
    plan_revisions,
    revise_plan,
    set_milestone_status,
)
from econ.participants.reads import (
    all_participant_ids,
    caseload_ids,
    milestone_participant_id,
    milestones_of_participants,
    plans_of_participants,
    status_changes_of_participants,
)
from econ.security import audit
from econ.security import services as security
from econ.security.crypto import decrypt, encrypt
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.security.services import LoginLink, User

# Crockford-style alphabet without 0/O, 1/I/L: codes are read aloud and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6

# Allowed status moves. Every state can be left again: exits take several attempts.
TRANSITIONS: dict[str, frozenset[str]] = {
    "ACTIVE": frozenset({"PAUSED", "EXITED", "GRADUATED"}),
    "PAUSED": frozenset({"ACTIVE", "EXITED"}),
    "EXITED": frozenset({"ACTIVE"}),
    "GRADUATED": frozenset({"ACTIVE"}),
}


def generate_code() -> str:
    return "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _pii_context(participant_id: int, field: str) -> str:
    return f"participant_pii.{field}.{participant_id}"


def _clean_restricted(
    values: dict[str, str | None], errors: ErrorCollector
) -> dict[str, str | None]:
    """Each given field checked; every bad one is kept in `errors` (a bad date must not hide
    a bad IBAN)."""
    check = errors.check
    cleaned = {
        "legal_name": check(v.text, values.get("legal_name"), "legalName", max_length=200),
        "date_of_birth": check(v.date_of_birth, values.get("date_of_birth")),
        "phone": check(v.phone, values.get("phone")),
        "email": check(v.text, values.get("email"), "email", max_length=254),
        "address": check(v.text, values.get("address"), "address", max_length=500),
        "bank_account": check(v.bank_account, values.get("bank_account")),
        "bank_bic": check(v.bank_bic, values.get("bank_bic")),
        "safety_notes": check(v.text, values.get("safety_notes"), "safetyNotes", max_length=4000),
    }
    if cleaned["email"] is not None:
        cleaned["email"] = normalize_email(cleaned["email"])
    return {k: cleaned[k] for k in values}


def _check_bank_details(participant: Participant | None, pii: dict[str, str | None]) -> None:
    """Her IBAN and BIC are checked together; a field not being changed keeps its value."""
    if "bank_account" not in pii and "bank_bic" not in pii:
        return
    stored = None
    if participant is not None:
        stored = ParticipantPII.get_or_none(ParticipantPII.participant == participant)

    def current(field: str) -> str | None:
        if field in pii or stored is None:
            return pii.get(field)
        return decrypt(getattr(stored, field), _pii_context(participant.id, field))

    v.bank_details(current("bank_account"), current("bank_bic"))


def _write_pii(
    participant: Participant, values: dict[str, str | None], changed_by: int | None
) -> None:
    pii, _ = ParticipantPII.get_or_create(participant=participant)
    for field, value in values.items():
        setattr(pii, field, encrypt(value, _pii_context(participant.id, field)))
    if {"bank_account", "bank_bic"} & set(values):
        pii.bank_changed_by = changed_by  # payments confirm it with another person's eyes
    pii.save()


def _counselor(counselor_id: int | None, field: str = "counselorId") -> User:
    user = security.get_user(counselor_id) if counselor_id else None
    if user is None or user.role != Role.COUNSELOR.value or not user.active:
        raise DomainError(ParticipantCode.INVALID_COUNSELOR, "choose an active counselor", field)
    return user


def create_participant(
    actor: Actor | None,
    *,
    preferred_name: str,
    languages: list[str] | None = None,
    preferred_language: str | None = None,
    counselor_id: int | None = None,
    skills: list[dict] | None = None,
    **restricted: str | None,
) -> Participant:
    """ADMIN (without PII) or COUNSELOR (assigned to her unless an ADMIN says otherwise)."""
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    unknown = set(restricted) - set(RESTRICTED_FIELDS)
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    errors = ErrorCollector()
    name = errors.check(v.text, preferred_name, "preferredName", required=True, max_length=120)
    langs = errors.check(v.languages, languages) or []
    preferred = errors.check(
        v.document_language, preferred_language or v.default_document_language(langs)
    )
    if preferred is not None and preferred not in langs:
        langs.insert(0, preferred)
    given = {k: val for k, val in restricted.items() if val not in (None, "")}
    if actor.role == Role.ADMIN and given:
        raise PermissionDenied("an administrator does not handle restricted data", sorted(given)[0])
    if actor.role == Role.COUNSELOR:
        if counselor_id not in (None, actor.user_id):
            raise PermissionDenied("only an administrator assigns another counselor", "counselorId")
        counselor = _counselor(actor.user_id)
    else:
        counselor = _counselor(counselor_id) if counselor_id is not None else None
    pii = _clean_restricted(given, errors)
    if not errors.errors:  # the pair is checked once each of them is valid
        errors.check(_check_bank_details, None, pii)
    clean_skills = errors.check(v.skills, skills)
    errors.raise_any()
    with db.atomic():
        participant = _insert_with_unique_code(
            preferred_name=name,
            languages=langs,
            preferred_language=preferred,
            counselor=counselor,
            skills=clean_skills,
        )
        _write_pii(participant, {f: pii.get(f) for f in RESTRICTED_FIELDS}, actor.user_id)
        StatusChange.create(
            participant=participant,
            from_status=None,
            to_status="ACTIVE",
            reason="enrolled in the programme",
            by_user=actor.user_id,
        )
        audit.record(
            actor,
            "create_participant",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=sorted(given),
        )
    return participant


def _insert_with_unique_code(**fields) -> Participant:
    for _ in range(10):
        code = generate_code()
        if not Participant.select().where(Participant.code == code).exists():
            return Participant.create(code=code, **fields)
    raise RuntimeError("could not draw a unique participant code")  # 30^6: practically never


def update_participant(actor: Actor | None, participant_id: int, **changes) -> Participant:
    """Her counselor changes anything; she herself her name, languages and contact details."""
    actor = require_actor(actor)
    participant = get_participant(actor, participant_id)
    own = {"preferred_name", "languages", "preferred_language", "phone", "email", "address"}
    if actor.role == Role.PARTICIPANT:
        allowed = own
    elif actor.role == Role.COUNSELOR:
        allowed = own | set(RESTRICTED_FIELDS) | {"skills"}
    else:
        raise PermissionDenied()
    for key in changes:
        if key not in allowed:
            raise PermissionDenied(f"you may not change {key}", key)
    errors = ErrorCollector()
    checks = {
        "preferred_name": lambda value: v.text(
            value, "preferredName", required=True, max_length=120
        ),
        "languages": v.languages,
        "preferred_language": v.document_language,
        "skills": v.skills,
    }
    basic = {
        key: errors.check(check, changes[key]) for key, check in checks.items() if key in changes
    }
    pii = _clean_restricted({k: changes[k] for k in changes if k in RESTRICTED_FIELDS}, errors)
    if not errors.errors:
        errors.check(_check_bank_details, participant, pii)
    errors.raise_any()
    with db.atomic():
        for key, value in basic.items():
            setattr(participant, key, value)
        participant.updated_at = utcnow()
        participant.save()
        if pii:
            _write_pii(participant, pii, actor.user_id)
        audit.record(
            actor,
            "update_participant",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=sorted(changes),
        )
    return participant


def login_link(participant_id: int | str) -> LoginLink:
    """Her login may be created by whoever has her in reach as ADMIN or COUNSELOR (the
    caller's own role is checked by `security.services.create_user`)."""

    def resolve(actor: Actor) -> int:
        participant = get_participant(actor, participant_id)  # NotFound if out of reach
        if actor.role not in (Role.ADMIN, Role.COUNSELOR):
            raise PermissionDenied()
        return participant.id

    return resolve


def lock_participant(participant_id: int) -> None:
    """Lock her row until the caller's transaction ends: decisions about her that must
    not run twice at once (an award paid once per program) take this lock first."""
    for_update(Participant.select().where(Participant.id == participant_id)).get()


def get_by_code(actor: Actor | None, code: str) -> Participant:
    # The session first: an anonymous caller gets the same answer for every code, real,
    # unknown or malformed (codes are printed on documents; no existence oracle).
    actor = require_actor(actor)
    participant = Participant.get_or_none(Participant.code == (code or "").strip().upper())
    if participant is None:
        raise NotFound("participant", "code")
    return get_participant(actor, participant.id)


def visible_participants(actor: Actor | None, status: str | None = None) -> pw.ModelSelect:
    """Everyone the caller may see, newest first; an empty query for roles with no reach."""
    actor = require_actor(actor)
    query = Participant.select().order_by(Participant.id.desc())
    if actor.role == Role.COUNSELOR:
        query = query.where(Participant.counselor == actor.user_id)
    elif actor.role == Role.PARTICIPANT:
        query = query.where(Participant.id == (actor.participant_id or 0))
    elif actor.role not in (Role.ADMIN, Role.FINANCE):
        query = query.where(pw.SQL("1 = 0"))
    if status:
        query = query.where(Participant.status == v.status(status))
    return query


def read_restricted(
    actor: Actor | None, participants: Sequence[Participant], fields: Iterable[str]
) -> dict[int, dict[str, str | None]]:
    """Decrypt the allowed restricted fields of participants in reach; audit every read.

    Fields the role may not read are left out of the result (the caller reports them
    as forbidden); participants out of reach are left out entirely.
    """
    actor = require_actor(actor)
    wanted = [f for f in dict.fromkeys(fields) if f in RESTRICTED_FIELDS]
    allowed = [f for f in wanted if may_read_restricted(actor, f)]
    reachable = [p for p in participants if in_reach(actor, p.id, p.counselor_id)]
    if not allowed or not reachable:
        return {}
    rows = ParticipantPII.select().where(ParticipantPII.participant.in_([p.id for p in reachable]))
    result: dict[int, dict[str, str | None]] = {p.id: dict.fromkeys(allowed) for p in reachable}
    for row in rows:
        pid = row.participant_id
        for field in allowed:
            result[pid][field] = decrypt(getattr(row, field), _pii_context(pid, field))
    audit.record_reads(actor, "Participant", [(pid, allowed) for pid in result])
    return result


def set_status(actor: Actor | None, participant_id: int, status: str, reason: str) -> Participant:
    """Her counselor moves her status; every move is kept with date and reason."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)
    new = v.status(status)
    why = v.text(reason, "reason", required=True, max_length=500)
    if new == participant.status:
        raise DomainError(CommonCode.NO_CHANGE, f"the participant is already {new}", "status")
    if new not in TRANSITIONS[participant.status]:
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{participant.status} cannot become {new}", "status"
        )
    with db.atomic():
        updated = (
            Participant.update(status=new, updated_at=utcnow())
            .where((Participant.id == participant.id) & (Participant.status == participant.status))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.CONFLICT, "the status changed meanwhile; reload and retry", "status"
            )
        StatusChange.create(
            participant=participant,
            from_status=participant.status,
            to_status=new,
            reason=why,
            by_user=actor.user_id,
        )
        audit.record(
            actor,
            "set_participant_status",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("status",),
        )
    participant.status = new
    return participant


def status_history(actor: Actor | None, participant: Participant) -> list[StatusChange]:
    require_case_access(actor, participant, "history")
    return list(participant.status_changes.order_by(StatusChange.at, StatusChange.id))


def assign_counselor(actor: Actor | None, participant_id: int, counselor_id: int) -> Participant:
    """ADMIN only; the previous counselor loses access on her very next request."""
    actor = require_role(actor, Role.ADMIN)
    participant = get_participant(actor, participant_id)
    counselor = _counselor(counselor_id)
    previous = participant.counselor_id
    with db.atomic():
        participant.counselor = counselor
        participant.updated_at = utcnow()
        participant.save()
        audit.record(
            actor,
            "assign_counselor",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("counselor",),
            detail=f"counselor={counselor.id} previous={previous or ''}",
        )
    return participant


# What her "who read my data" shows: reads of her restricted or identifying data (by
# field: her counselor, FINANCE payee reads and payment files, employers' reads of her
# name and channel), downloads of her documents, and everything done about her login.
READS = ("read_restricted", "download_statement", "download_loan_schedule")
LOGIN_HISTORY = (
    "request_login",
    "request_login_change",
    "approve_login_request",
    "reject_login_request",
    "redeem_enrolment_code",
    "bootstrap_user",
)


def access_log(actor: Actor | None, participant: Participant) -> pw.ModelSelect:
    """Who read which of her restricted or identifying data, and when, and what was done
    about her login (her and her counselor)."""
    require_case_access(actor, participant, "access_log")
    return audit.entries_about(participant.id, (*READS, *LOGIN_HISTORY))


def counselors_by_id(ids: Iterable[int]) -> dict[int, User]:
    return security.users_by_id(ids)


def participants_by_id(ids: Iterable[int]) -> dict[int, Participant]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {p.id: p for p in Participant.select().where(Participant.id.in_(ids))}


__all__ = [
    "MONTHS_FOR_INDEPENDENCE",
    "MilestonePatch",
    "PlanChange",
    "access_log",
    "agree_to_plan",
    "agreed_revision",
    "all_participant_ids",
    "assign_counselor",
    "caseload_ids",
    "change_plan",
    "complete_linked_milestones",
    "consecutive_months_at_target",
    "correct_income",
    "corrections_by_record",
    "create_participant",
    "get_by_code",
    "get_participant",
    "get_plan",
    "income_records",
    "independence",
    "link_milestone",
    "lock_participant",
    "login_link",
    "milestone_participant_id",
    "milestones_of_participants",
    "plan_revisions",
    "plans_of_participants",
    "read_restricted",
    "record_income",
    "require_case_access",
    "revise_plan",
    "set_milestone_status",
    "set_status",
    "status_changes_of_participants",
    "status_history",
    "targets_for",
    "update_participant",
    "verified_corrections",
    "verified_income_by_month",
    "verify_correction",
    "verify_income",
    "visible_participants",
]


def status_histories(actor: Actor | None, participants: Sequence[Participant]) -> dict[int, list]:
    """Batch form of `status_history` (one query); participants the caller may not read
    this for are absent from the result."""
    actor = require_actor(actor)
    ids = [
        p.id
        for p in participants
        if in_reach(actor, p.id, p.counselor_id) and may_read_case(actor, "history")
    ]
    if not ids:
        return {}
    rows = (
        StatusChange.select()
        .where(StatusChange.participant.in_(ids))
        .order_by(StatusChange.at, StatusChange.id)
    )
    grouped = group_by(rows, lambda r: r.participant_id)
    return {pid: grouped.get(pid, []) for pid in ids}


def add_skills(participant_id: int, skills: list[dict], actor: Actor | None = None) -> Participant:
    """Merge skills into her profile (e.g. on training completion); keys are kept unique."""
    participant = Participant.get_by_id(participant_id)
    merged = list(participant.skills)
    known = {s["key"] for s in merged}
    for skill in v.skills(skills):
        if skill["key"] not in known:
            merged.append(skill)
            known.add(skill["key"])
    Participant.update(skills=merged, updated_at=utcnow()).where(
        Participant.id == participant_id
    ).execute()
    audit.record(
        actor,
        "add_skills",
        "Participant",
        participant_id,
        participant_id=participant_id,
        fields=("skills",),
    )
    participant.skills = merged
    return participant
