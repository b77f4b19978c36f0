"""The anonymous candidate profile an employer sees for one referral.

Built from an allowlist: handle, skills, credentials (name and date), languages and
availability; with a current IDENTITY consent also her preferred name and the contact
channel she chose for this employer. Nothing else of hers is ever loaded into it. Her
credentials are read a page at a time for the profiles shown (`credential_pages`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from econ.employers import companies, consents
from econ.employers.models import Employer, Referral
from econ.employers.preferences import preferences_by_participant
from econ.employers.referrals import EMPLOYER_VISIBLE
from econ.paging import Page
from econ.participants import services as participants
from econ.security import audit
from econ.security.roles import Actor, Role
from econ.training import services as training


@dataclass(frozen=True)
class CredentialView:
    name: str
    issued_on: dt.date | None


@dataclass(frozen=True)
class Availability:
    hours_per_week: int | None
    available_from: dt.date | None
    opportunity_types: tuple[str, ...]


@dataclass(frozen=True)
class ContactChannel:
    type: str
    value: str


@dataclass(frozen=True)
class CandidateProfile:
    handle: str
    skills: tuple[dict, ...]
    languages: tuple[str, ...]
    availability: Availability | None
    preferred_name: str | None = None
    contact_channel: ContactChannel | None = None
    participant_id: int = 0  # never shown: whose read an identity read is, for the audit


def _credential_date(credential) -> dt.date | None:
    for name in ("issued_on", "awarded_on", "date", "completed_on"):
        value = getattr(credential, name, None)
        if value is not None:
            return value
    return None


def credential_pages(participant_ids: Sequence[int], size: int, skip: int) -> dict[int, Page]:
    """A page of the credentials of each shown profile's participant (`participant_id` of
    a `CandidateProfile`), as the anonymous profile may show them: name and date. Offset
    pages: a cursor naming a credential's id would let an employer link two referrals'
    handles to one woman."""
    pages = training.credential_pages(participant_ids, size, skip=skip)
    return {
        pid: Page(
            [CredentialView(str(c.name), _credential_date(c)) for c in page.rows],
            page.has_next,
            page.total,
        )
        for pid, page in pages.items()
    }


def _availability(prefs) -> Availability | None:
    if prefs is None:
        return None
    return Availability(
        prefs.available_hours_per_week, prefs.available_from, tuple(prefs.opportunity_types)
    )


def _shows_candidate(actor: Actor, referral: Referral, employer: Employer | None) -> bool:
    if employer is None or employer.status != "ACTIVE" or actor.role == Role.ADMIN:
        return False  # ADMIN reads no personal data, not even her chosen channel
    # The employer sees her only in live stages; her own side also sees the preview earlier.
    return actor.role != Role.EMPLOYER or referral.status in EMPLOYER_VISIBLE


def candidate_profiles(
    actor: Actor, referrals: Sequence[Referral]
) -> dict[int, CandidateProfile | None]:
    """Profiles for many referrals in a fixed number of queries; None where hidden."""
    employers = companies.employers_by_id({r.employer_id for r in referrals})
    shown = [r for r in referrals if _shows_candidate(actor, r, employers.get(r.employer_id))]
    pairs = {(r.participant_id, r.employer_id) for r in shown}
    current = consents.current_consents(pairs)
    shown = [r for r in shown if (r.participant_id, r.employer_id, "PROFILE") in current]
    pids = [r.participant_id for r in shown]
    people = participants.participants_by_id(pids)
    prefs = preferences_by_participant(pids)
    result: dict[int, CandidateProfile | None] = {r.id: None for r in referrals}
    for r in shown:
        person = people[r.participant_id]
        identity = current.get((r.participant_id, r.employer_id, "IDENTITY"))
        channel = None
        if identity is not None and identity.channel_type:
            channel = ContactChannel(identity.channel_type, consents.channel_value(identity))
        result[r.id] = CandidateProfile(
            handle=r.handle,
            skills=tuple(person.skills),
            languages=tuple(person.languages),
            availability=_availability(prefs.get(r.participant_id)),
            preferred_name=person.preferred_name if identity is not None else None,
            contact_channel=channel,
            participant_id=r.participant_id,
        )
    return result


def note_identity_read(
    actor: Actor | None, profile: CandidateProfile, field: str, reads: audit.ReadLog
) -> None:
    """An employer read her name or contact channel (given with IDENTITY consent): it goes
    in her "who read my data", batched with the request's other reads."""
    if actor is not None and actor.role == Role.EMPLOYER:
        audit.record_read(actor, "Candidate", profile.participant_id, (field,), reads)
