"""Batch reads for other domains (outcomes): rows for a set of participants, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from econ.db import Ids
from econ.employers.models import Placement, Referral


def referrals_of_participants(ids: Iterable[int]) -> list[Referral]:
    return list(Referral.select().where(Referral.participant.in_(Ids(ids))).order_by(Referral.id))


class ReferralState(NamedTuple):
    """Where a referral stands, as the figures a "today" row needs."""

    id: int
    participant_id: int
    employer_id: int
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    shared_at: dt.datetime | None


def referral_states_of_participants(
    ids: Iterable[int], statuses: tuple[str, ...]
) -> list[ReferralState]:
    """Their referrals in one of `statuses`, by id: figures, not models."""
    query = (
        Referral.select(
            Referral.id,
            Referral.participant,
            Referral.employer,
            Referral.status,
            Referral.created_at,
            Referral.updated_at,
            Referral.shared_at,
        )
        .where(Referral.participant.in_(Ids(ids)) & Referral.status.in_(statuses))
        .order_by(Referral.id)
    )
    return [ReferralState(*row) for row in query.tuples()]


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
