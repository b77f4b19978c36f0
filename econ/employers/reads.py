"""Batch reads for other domains (outcomes): rows for a set of participants, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

from collections.abc import Iterable

from econ.db import Ids
from econ.employers.models import Placement, Referral


def referrals_of_participants(ids: Iterable[int]) -> list[Referral]:
    return list(Referral.select().where(Referral.participant.in_(Ids(ids))).order_by(Referral.id))


def placements_of_participants(ids: Iterable[int]) -> list[Placement]:
    return list(
        Placement.select().where(Placement.participant.in_(Ids(ids))).order_by(Placement.start_date)
    )


def placed_participant_ids(employer_id: int) -> list[int]:
    """Participants placed with one employer (for its own retention figures only)."""
    query = (
        Placement.select(Placement.participant).where(Placement.employer == employer_id).distinct()
    )
    return [p.participant_id for p in query]
