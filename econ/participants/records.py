"""Her record: registration, changes, and restricted fields (encrypted, audited reads).

Re-exported by `econ.participants.services`, the module other domains import.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from econ.db import db, utcnow
from econ.emails import normalize_email
from econ.errors import DomainError, ErrorCollector, PermissionDenied
from econ.participants import validation as v
from econ.participants.access import (
    get_participant,
    in_reach,
    may_read_restricted,
)
from econ.participants.errors import ParticipantCode
from econ.participants.models import (
    RESTRICTED_FIELDS,
    Participant,
    ParticipantPII,
    StatusChange,
)
from econ.security import audit
from econ.security import services as security
from econ.security.crypto import decrypt, encrypt
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.security.services import User

# Crockford-style alphabet without 0/O, 1/I/L: codes are read aloud and typed by hand.


# Crockford-style alphabet without 0/O, 1/I/L: codes are read aloud and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_LENGTH = 6


def generate_code() -> str:
    return "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def pii_context(participant_id: int, field: str) -> str:
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
        return decrypt(getattr(stored, field), pii_context(participant.id, field))

    v.bank_details(current("bank_account"), current("bank_bic"))


def _write_pii(
    participant: Participant, values: dict[str, str | None], changed_by: int | None
) -> None:
    pii, _ = ParticipantPII.get_or_create(participant=participant)
    for field, value in values.items():
        setattr(pii, field, encrypt(value, pii_context(participant.id, field)))
    if {"bank_account", "bank_bic"} & set(values):
        pii.bank_changed_by = changed_by  # payments confirm it with another person's eyes
    pii.save()


def counselor_user(counselor_id: int | None, field: str = "counselorId") -> User:
    """An active COUNSELOR login, or a clear error naming the field (never another role)."""
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
        counselor = counselor_user(actor.user_id)
    else:
        counselor = counselor_user(counselor_id) if counselor_id is not None else None
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
            result[pid][field] = decrypt(getattr(row, field), pii_context(pid, field))
    audit.record_reads(actor, "Participant", [(pid, allowed) for pid in result])
    return result
