"""Consent per participant × employer × scope: given by her, or by her counselor with her
present; revocable by either; read on every request (no cache), so revocation is immediate."""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from econ.db import Ids, PreparedShape, db, utcnow, write_transaction
from econ.employers import validation as v
from econ.employers.errors import EmployerCode
from econ.employers.models import CHANNEL_TYPES, CONSENT_SCOPES, Consent, Employer, Referral
from econ.employers.stages import end_open_referrals
from econ.errors import DomainError, NotFound
from econ.participants import services as participants
from econ.security import audit
from econ.security.crypto import decrypt, encrypt
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role

HER_OWN = "PARTICIPANT"
WITH_HER_PRESENT = "COUNSELOR_WITH_PARTICIPANT_PRESENT"


def _channel_context(consent_id: int) -> str:
    return f"consent.channel.{consent_id}"


def _acting_for_her(actor: Actor, participant_id: int, present: bool | None) -> str:
    if actor.role not in (Role.PARTICIPANT, Role.COUNSELOR):
        raise NotFound("participant", "participantId")
    participants.get_participant(actor, participant_id)  # NotFound when out of reach
    if actor.role == Role.PARTICIPANT:
        return HER_OWN
    if not present:
        raise DomainError(
            EmployerCode.PARTICIPANT_NOT_PRESENT,
            "a counselor records consent only with the participant present",
            "participantPresent",
        )
    return WITH_HER_PRESENT


def _channel(scope: str, channel_type: str | None, channel_value: str | None):
    if not channel_type and not channel_value:
        if scope == "IDENTITY":  # a name with no way to reach her helps no one (issue 19)
            raise DomainError(
                EmployerCode.CHANNEL_REQUIRED,
                "IDENTITY consent names how this employer may contact her",
                "channelType",
            )
        return None, None
    if scope != "IDENTITY":
        raise DomainError(
            EmployerCode.CHANNEL_NOT_ALLOWED,
            "a contact channel goes with IDENTITY consent",
            "channelType",
        )
    kind = v.one_of(channel_type, CHANNEL_TYPES, "channelType")
    value = v.text(channel_value, "channelValue", required=True, max_length=200)
    return kind, value


def give_consent(
    actor: Actor | None,
    participant_id: int,
    employer_id: int,
    scope: str,
    *,
    participant_present: bool | None = None,
    channel_type: str | None = None,
    channel_value: str | None = None,
) -> Consent:
    actor = require_actor(actor)
    recorded_as = _acting_for_her(actor, participant_id, participant_present)
    employer = Employer.get_or_none(Employer.id == employer_id)
    if employer is None or employer.status != "ACTIVE":
        raise NotFound("employer", "employerId")
    scope = v.one_of(scope, CONSENT_SCOPES, "scope")
    kind, value = _channel(scope, channel_type, channel_value)
    with write_transaction():
        if current(participant_id, employer.id, scope) is not None:
            raise DomainError(
                EmployerCode.ALREADY_GIVEN,
                "this consent is already given; revoke it to change it",
                "scope",
            )
        consent = Consent.create(
            participant=participant_id,
            employer=employer,
            scope=scope,
            given_by=actor.user_id,
            recorded_as=recorded_as,
            channel_type=kind,
        )
        if value is not None:
            consent.channel_value = encrypt(value, _channel_context(consent.id))
            consent.save()
        audit.record(actor, "give_consent", "Consent", consent.id, participant_id=participant_id)
    return consent


def revoke_consent(actor: Actor | None, consent_id: int) -> Consent:
    """She or her counselor revokes; revoking PROFILE withdraws open referrals to that employer."""
    actor = require_actor(actor)
    consent = Consent.get_or_none(Consent.id == consent_id)
    if consent is None or actor.role not in (Role.PARTICIPANT, Role.COUNSELOR):
        raise NotFound("consent", "consentId")
    try:
        participants.get_participant(actor, consent.participant_id)
    except NotFound:
        raise NotFound("consent", "consentId") from None
    if consent.revoked_at is not None:
        raise DomainError(
            EmployerCode.ALREADY_REVOKED, "this consent is already revoked", "consentId"
        )
    with db.atomic():
        updated = (
            Consent.update(revoked_at=utcnow(), revoked_by=actor.user_id)
            .where((Consent.id == consent.id) & Consent.revoked_at.is_null())
            .execute()
        )
        if updated != 1:
            raise DomainError(
                EmployerCode.ALREADY_REVOKED, "this consent is already revoked", "consentId"
            )
        if consent.scope == "PROFILE":
            end_open_referrals(
                (Referral.participant == consent.participant_id)
                & (Referral.employer == consent.employer_id),
                "CONSENT_REVOKED",
                actor,
            )
        audit.record(
            actor,
            "revoke_consent",
            "Consent",
            consent.id,
            participant_id=consent.participant_id,
        )
    return Consent.get_by_id(consent.id)


def current(participant_id: int, employer_id: int, scope: str) -> Consent | None:
    return Consent.get_or_none(
        (Consent.participant == participant_id)
        & (Consent.employer == employer_id)
        & (Consent.scope == scope)
        & Consent.revoked_at.is_null()
    )


def current_consents(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int, str], Consent]:
    """Current consents for (participant, employer) pairs, keyed by (pid, eid, scope); one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    pids = {p for p, _ in pairs}
    eids = {e for _, e in pairs}
    rows = _CURRENT.rows(Ids(pids), Ids(eids))
    return {
        (c.participant_id, c.employer_id, c.scope): c
        for c in rows
        if (c.participant_id, c.employer_id) in pairs
    }


_CURRENT = PreparedShape(  # an opportunity's candidates on every view: SQL built once per shape
    lambda pids, eids: Consent.select().where(
        Consent.participant.in_(pids) & Consent.employer.in_(eids) & Consent.revoked_at.is_null()
    )
)


def channel_value(consent: Consent) -> str | None:
    return decrypt(consent.channel_value, _channel_context(consent.id))


def consents_of(actor: Actor | None, participant) -> pw.ModelSelect:
    """All her consents, current and revoked, newest first (her and her counselor only).
    Unexecuted, for a keyset page on `Consent.id`: `given_at` is set once, when the row
    is made, so the id order is the order given."""
    participants.require_case_access(actor, participant, "plan")
    return Consent.select().where(Consent.participant == participant.id).order_by(Consent.id.desc())
