"""Batch reads for other domains (outcomes): rows for a set of participants, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from econ.db import Ids, PreparedShape
from econ.employers.models import Placement, Referral


def referrals_of_participants(ids: Iterable[int]) -> list[Referral]:
    return _REFERRALS.rows(Ids(ids))


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
    return [ReferralState(*row) for row in _REFERRAL_STATES.rows(Ids(ids), statuses)]


def placements_of_participants(ids: Iterable[int]) -> list[Placement]:
    return _PLACEMENTS.rows(Ids(ids))


# Views read them on every request: SQL built once per shape (econ.db.PreparedShape).
_REFERRALS = PreparedShape(
    lambda ids: Referral.select().where(Referral.participant.in_(ids)).order_by(Referral.id)
)
_REFERRAL_STATES = PreparedShape(
    lambda ids, statuses: (
        Referral.select(
            Referral.id,
            Referral.participant,
            Referral.employer,
            Referral.status,
            Referral.created_at,
            Referral.updated_at,
            Referral.shared_at,
        )
        .where(Referral.participant.in_(ids) & Referral.status.in_(statuses))
        .order_by(Referral.id)
        .tuples()
    )
)
_PLACEMENTS = PreparedShape(
    lambda ids: (
        Placement.select().where(Placement.participant.in_(ids)).order_by(Placement.start_date)
    )
)


def placed_participant_ids(employer_id: int) -> list[int]:
    """Participants placed with one employer (for its own retention figures only)."""
    query = (
        Placement.select(Placement.participant).where(Placement.employer == employer_id).distinct()
    )
    return [p.participant_id for p in query]
