"""Her counselor's candidates for one opportunity, and referring one, gated by consent.

Added beside `matching.py` and `referrals.py` (which stay as they are): the ranked matches
carry whether she has a current PROFILE consent for the opportunity's employer, so the
counselor sees at once who she may put forward; `refer_with_consent` refuses without
that consent (CONSENT_REQUIRED, field `consent`) instead of creating a referral that
waits for it. There is no "refer anyway": the consent is recorded with her present
(`give_consent`), then she is referred and shared in one step.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from econ.db import db
from econ.employers.consents import current, current_consents
from econ.employers.errors import EmployerCode
from econ.employers.matching import Match, suggested_candidates
from econ.employers.models import Opportunity, Referral
from econ.employers.opportunities import get_opportunity
from econ.employers.referrals import advance_referral, refer_participant
from econ.errors import DomainError
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role


@dataclass(frozen=True)
class Candidate(Match):
    """A match, and whether she lets this employer see her anonymous profile."""

    profile_consent: bool = False


def require_reader(actor: Actor | None) -> Actor:
    """Only a counselor ranks her own participants for an opening."""
    return require_role(actor, Role.COUNSELOR)


def candidates(actor: Actor | None, opportunity_id: int) -> tuple[Opportunity, list[Candidate]]:
    """The opportunity and her counselor's candidates for it, best first (one consent query)."""
    actor = require_reader(actor)
    opportunity = get_opportunity(actor, opportunity_id)
    matches = suggested_candidates(actor, opportunity)
    given = current_consents((m.participant_id, opportunity.employer_id) for m in matches)
    copied = [{f.name: getattr(m, f.name) for f in fields(Match)} for m in matches]
    return opportunity, [
        Candidate(
            **match,
            profile_consent=(match["participant_id"], opportunity.employer_id, "PROFILE") in given,
        )
        for match in copied
    ]


def refer_with_consent(
    actor: Actor | None, opportunity_id: int, participant_id: int, note: str = ""
) -> Referral:
    """Refer her and share her anonymous profile with the employer, only with her current
    PROFILE consent for it; the referral's own rules (active, open, not referred) apply."""
    actor = require_role(actor, Role.COUNSELOR)
    opportunity = get_opportunity(actor, opportunity_id)
    with db.atomic():
        referral = refer_participant(actor, opportunity.id, participant_id, note)
        # checked after refer_participant's reach check, so an unknown or out-of-reach
        # participant reads NOT_FOUND, never "she has no consent"
        if current(referral.participant_id, opportunity.employer_id, "PROFILE") is None:
            raise DomainError(
                EmployerCode.CONSENT_REQUIRED,
                "she has not given PROFILE consent for this employer: record it with her present",
                "consent",
            )
        return advance_referral(actor, referral.id, "SHARED")
