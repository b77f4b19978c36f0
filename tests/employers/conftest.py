"""A small partner-employer world built through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from econ.employers import services
from econ.security.roles import Actor
from tests.support.people import PASSWORD


@dataclass
class World:
    admin: Actor
    counselor: Actor
    counselor_user: object
    employer: object  # the Employer row
    employer_actor: Actor
    employer_user: object
    opportunity: object

    def token(self, api, user) -> str:
        return api.login(user.email, PASSWORD)


def make_employer(admin: Actor, name: str = "Bright Bakery Co-op", active: bool = True):
    employer = services.create_employer(
        admin,
        name=name,
        sector="Food",
        size="SMALL",
        agreement_signed_on=dt.date(2026, 1, 10),
        agreement_commitments="Mentoring, flexible hours, no background questions.",
    )
    if active:
        employer = services.set_employer_status(admin, employer.id, "ACTIVE", "agreement signed")
    return employer


def opportunity_fields(**overrides) -> dict:
    fields = {
        "title": "Bakery assistant",
        "type": "PART_TIME",
        "pay_amount": "13.50",
        "pay_period": "HOURLY",
        "hours_per_week": 20,
        "flexible_schedule": True,
        "childcare_friendly": True,
        "location": "Centro",
        "required_skills": [
            {"key": "food-hygiene", "label": "Food hygiene"},
            {"key": "customer-service", "label": "Customer service"},
        ],
        "optional_skills": [{"key": "cash-handling", "label": "Cash handling"}],
        "languages": ["es", "en"],
        "openings": 1,
    }
    fields.update(overrides)
    return fields


def open_opportunity(actor: Actor, employer_id: int | None = None, **overrides):
    opportunity = services.create_opportunity(actor, employer_id, **opportunity_fields(**overrides))
    return services.publish_opportunity(actor, opportunity.id)


@pytest.fixture
def world(people) -> World:
    _, admin = people.admin()
    counselor_user, counselor = people.counselor()
    employer = make_employer(admin)
    employer_user, employer_actor = people.employer(employer.id)
    opportunity = open_opportunity(employer_actor)
    return World(
        admin=admin,
        counselor=counselor,
        counselor_user=counselor_user,
        employer=employer,
        employer_actor=employer_actor,
        employer_user=employer_user,
        opportunity=opportunity,
    )


def consent(counselor: Actor, participant_id: int, employer_id: int, scope="PROFILE", **kw):
    if scope == "IDENTITY":  # IDENTITY consent always names how the employer may reach her
        kw.setdefault("channel_type", "PHONE")
        kw.setdefault("channel_value", "+34 600 000 111")
    return services.give_consent(
        counselor, participant_id, employer_id, scope, participant_present=True, **kw
    )


def shared_referral(world: World, participant, note: str = ""):
    """Refer her with PROFILE consent and share the referral with the employer."""
    consent(world.counselor, participant.id, world.employer.id)
    referral = services.refer_participant(
        world.counselor, world.opportunity.id, participant.id, note
    )
    return services.advance_referral(world.counselor, referral.id, "SHARED")
