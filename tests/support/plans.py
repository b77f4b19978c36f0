"""A plan with one milestone, for tests of records that complete linked milestones."""

from __future__ import annotations

from econ.participants import services as participants
from econ.participants.models import Milestone
from econ.security.roles import Actor


def plan_with_milestone(
    counselor: Actor, participant_id: int, title: str, category: str
) -> Milestone:
    """Her plan (employment pathway, target 1400.00) with this one milestone; returns it."""
    plan = participants.revise_plan(
        counselor,
        participant_id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1400.00",
        milestones=[{"title": title, "category": category}],
    )
    return plan.milestones.get()
