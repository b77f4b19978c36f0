"""What a hire sets off across records: a placement, her linked milestones, and the
opportunity FILLED once all its openings are taken.

Above placements and opportunities, below referrals (which decides whether the move to
HIRED is allowed at all).
"""

from __future__ import annotations

from econ.employers import opportunities, placements
from econ.employers.models import Referral
from econ.participants import services as participants
from econ.security.roles import Actor


def hire_details(referral: Referral, given: dict) -> dict:
    """The placement's details, checked before anything is written."""
    return placements.clean_placement(referral, given)


def record_hire(actor: Actor, referral: Referral, details: dict) -> None:
    """Inside the referral's transaction: her placement and the milestones it completes."""
    placements.create_placement(actor, referral, details)
    participants.complete_linked_milestones("referral", referral.id, actor)


def after_hire(actor: Actor, referral: Referral) -> None:
    """After the hire is committed: the opportunity fills when no opening is left."""
    opportunities.fill_if_complete(actor, referral.opportunity_id)
