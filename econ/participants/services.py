"""Participants: registry, restricted data, status, counselor assignment, access log.

Plans and milestones are in `plans.py`, income and the independence test in `income.py`;
this module re-exports them so other domains import one `services` module.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

import peewee as pw

from econ.db import db, utcnow
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.participants import validation as v
from econ.participants.access import in_reach, may_read_case, may_read_restricted
from econ.participants.models import (
    RESTRICTED_FIELDS,
    Participant,
    ParticipantPII,
    StatusChange,
)
from econ.security import audit
from econ.security.crypto import decrypt, encrypt
from econ.security.models import AuditEntry, User
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

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


def _clean_restricted(values: dict[str, str | None]) -> dict[str, str | None]:
    cleaned = {
        "legal_name": v.text(values.get("legal_name"), "legalName", max_length=200),
        "date_of_birth": v.date_of_birth(values.get("date_of_birth")),
        "phone": v.phone(values.get("phone")),
        "email": v.text(values.get("email"), "email", max_length=254),
        "address": v.text(values.get("address"), "address", max_length=500),
        "bank_account": v.bank_account(values.get("bank_account")),
        "safety_notes": v.text(values.get("safety_notes"), "safetyNotes", max_length=4000),
    }
    if cleaned["email"] is not None:
        from econ.security.services import normalize_email

        cleaned["email"] = normalize_email(cleaned["email"])
    return {k: cleaned[k] for k in values}


def _write_pii(participant: Participant, values: dict[str, str | None]) -> None:
    pii, _ = ParticipantPII.get_or_create(participant=participant)
    for field, value in values.items():
        setattr(pii, field, encrypt(value, _pii_context(participant.id, field)))
    pii.save()


def _counselor(counselor_id: int | None, field: str = "counselorId") -> User:
    user = User.get_or_none((User.id == counselor_id) & (User.role == Role.COUNSELOR.value))
    if user is None or not user.active:
        raise DomainError("INVALID_COUNSELOR", "choose an active counselor", field)
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
    name = v.text(preferred_name, "preferredName", required=True, max_length=120)
    langs = v.languages(languages)
    preferred = v.language(preferred_language or (langs[0] if langs else "en"), "preferredLanguage")
    if preferred not in langs:
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
    pii = _clean_restricted(given)
    clean_skills = v.skills(skills)
    with db.atomic():
        participant = _insert_with_unique_code(
            preferred_name=name,
            languages=langs,
            preferred_language=preferred,
            counselor=counselor,
            skills=clean_skills,
        )
        _write_pii(participant, {f: pii.get(f) for f in RESTRICTED_FIELDS})
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
    basic = {}
    if "preferred_name" in changes:
        basic["preferred_name"] = v.text(
            changes["preferred_name"], "preferredName", required=True, max_length=120
        )
    if "languages" in changes:
        basic["languages"] = v.languages(changes["languages"])
    if "preferred_language" in changes:
        basic["preferred_language"] = v.language(changes["preferred_language"], "preferredLanguage")
    if "skills" in changes:
        basic["skills"] = v.skills(changes["skills"])
    pii = _clean_restricted({k: changes[k] for k in changes if k in RESTRICTED_FIELDS})
    with db.atomic():
        for key, value in basic.items():
            setattr(participant, key, value)
        participant.updated_at = utcnow()
        participant.save()
        if pii:
            _write_pii(participant, pii)
        audit.record(
            actor,
            "update_participant",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=sorted(changes),
        )
    return participant


def get_participant(actor: Actor | None, participant_id: int | str) -> Participant:
    """The participant if the caller may see her; NotFound otherwise (unknown looks the same)."""
    actor = require_actor(actor)
    try:
        pid = int(participant_id)
    except (TypeError, ValueError):
        raise NotFound("participant", "participantId") from None
    participant = Participant.get_or_none(Participant.id == pid)
    if participant is None or not in_reach(actor, participant.id, participant.counselor_id):
        raise NotFound("participant", "participantId")
    return participant


def get_by_code(actor: Actor | None, code: str) -> Participant:
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


def require_case_access(actor: Actor | None, participant: Participant, group: str) -> None:
    actor = require_actor(actor)
    if not in_reach(actor, participant.id, participant.counselor_id) or not may_read_case(
        actor, group
    ):
        raise PermissionDenied(f"{group} is not visible to your role")


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
        raise DomainError("NO_CHANGE", f"the participant is already {new}", "status")
    if new not in TRANSITIONS[participant.status]:
        raise DomainError(
            "INVALID_TRANSITION", f"{participant.status} cannot become {new}", "status"
        )
    with db.atomic():
        updated = (
            Participant.update(status=new, updated_at=utcnow())
            .where((Participant.id == participant.id) & (Participant.status == participant.status))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                "CONFLICT", "the status changed meanwhile; reload and retry", "status"
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
        )
    return participant


def access_log(actor: Actor | None, participant: Participant) -> pw.ModelSelect:
    """Who read which of her restricted fields, and when (her and her counselor)."""
    require_case_access(actor, participant, "access_log")
    return (
        AuditEntry.select()
        .where(
            (AuditEntry.participant_id == participant.id) & (AuditEntry.action == "read_restricted")
        )
        .order_by(AuditEntry.id.desc())
    )


def counselors_by_id(ids: Iterable[int]) -> dict[int, User]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return {u.id: u for u in User.select().where(User.id.in_(ids))}


def participants_by_id(ids: Iterable[int]) -> dict[int, Participant]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {p.id: p for p in Participant.select().where(Participant.id.in_(ids))}


# Re-exports: other domains use `participants.services.<name>` only.
from econ.participants.income import (  # noqa: E402
    MONTHS_FOR_INDEPENDENCE,
    consecutive_months_at_target,
    income_records,
    independence,
    record_income,
    targets_for,
    verified_income_by_month,
    verify_income,
)
from econ.participants.plans import (  # noqa: E402
    agree_to_plan,
    complete_linked_milestones,
    get_plan,
    link_milestone,
    plan_revisions,
    revise_plan,
    set_milestone_status,
)
from econ.participants.reads import (  # noqa: E402
    all_participant_ids,
    caseload_ids,
    milestone_participant_id,
    milestones_of_participants,
    status_changes_of_participants,
)

__all__ = [
    "MONTHS_FOR_INDEPENDENCE",
    "access_log",
    "agree_to_plan",
    "all_participant_ids",
    "assign_counselor",
    "caseload_ids",
    "complete_linked_milestones",
    "consecutive_months_at_target",
    "create_participant",
    "get_by_code",
    "get_participant",
    "get_plan",
    "income_records",
    "independence",
    "link_milestone",
    "milestone_participant_id",
    "milestones_of_participants",
    "plan_revisions",
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
    "verified_income_by_month",
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
