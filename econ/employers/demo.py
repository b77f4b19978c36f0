"""Demo partner employer: Bright Bakery Co-op, its HR login, two open jobs, two referrals."""

from __future__ import annotations

import datetime as dt

from econ.employers import services
from econ.security.roles import SYSTEM
from econ.training import demo as training_demo

LOGIN = ("employer@demo.econ", "demo-employer-pass")
COUNSELOR = "counselor@demo.econ"


def _employer():
    employer = services.create_employer(
        SYSTEM,
        name="Bright Bakery Co-op",
        sector="Food and hospitality",
        size="SMALL",
        agreement_signed_on=dt.date.today() - dt.timedelta(days=60),
        agreement_commitments=(
            "A named mentor for each hire; flexible shifts on request; no questions about "
            "past work or records; pay at or above the programme's minimum."
        ),
        agreement_review_on=dt.date.today() + dt.timedelta(days=305),
    )
    return services.set_employer_status(SYSTEM, employer.id, "ACTIVE", "agreement signed")


def _opportunities(staff) -> list:
    jobs = [
        {
            "title": "Bakery assistant",
            "description": "Morning shifts: shaping, baking, packing orders.",
            "type": "PART_TIME",
            "pay_amount": "13.50",
            "pay_period": "HOURLY",
            "hours_per_week": 20,
            "flexible_schedule": True,
            "childcare_friendly": True,
            "location": "Centro",
            "required_skills": [
                {"key": "customer-service", "label": "Customer service"},
                {"key": "food-hygiene", "label": "Food hygiene"},
            ],
            "optional_skills": [{"key": "cash-handling", "label": "Cash handling"}],
            "languages": ["es", "en"],
            "openings": 2,
        },
        {
            "title": "Café counter staff",
            "description": "Serving customers and the till in our café.",
            "type": "FULL_TIME",
            "pay_amount": "2150.00",
            "pay_period": "MONTHLY",
            "hours_per_week": 40,
            "location": "Lavapiés",
            "required_skills": [{"key": "customer-service", "label": "Customer service"}],
            "languages": ["en", "fr"],
            "openings": 1,
        },
    ]
    opened = []
    for job in jobs:
        draft = services.create_opportunity(staff, None, **job)
        opened.append(services.publish_opportunity(staff, draft.id))
    return opened


def _refer(counselor, person, opportunity, employer_id: int, *, identity: bool) -> None:
    services.set_work_preferences(
        counselor,
        person.id,
        available_hours_per_week=30 if identity else 20,
        needs_flexible_schedule=not identity,
    )
    services.give_consent(counselor, person.id, employer_id, "PROFILE", participant_present=True)
    if identity:
        services.give_consent(
            counselor,
            person.id,
            employer_id,
            "IDENTITY",
            participant_present=True,
            channel_type="OTHER",
            channel_value="Through her counselor Ana Ruiz, +34 910 000 000",
        )
    referral = services.refer_participant(counselor, opportunity.id, person.id, "keen to start")
    services.advance_referral(counselor, referral.id, "SHARED")


def load(ctx) -> None:
    training_demo.load_vocabulary(SYSTEM)
    employer = _employer()
    ctx.grant(
        "admin@demo.econ",
        LOGIN[1],
        email=LOGIN[0],
        role="EMPLOYER",
        employer=services.login_link(employer.id),
        display_name="Bright Bakery HR",
    )
    staff = ctx.actor(LOGIN[0])
    bakery, cafe = _opportunities(staff)
    counselor = ctx.actor(COUNSELOR)
    mine = [
        p for p in ctx.participants if p.counselor_id == counselor.user_id and p.status == "ACTIVE"
    ]
    by_name = {p.preferred_name: p for p in mine}
    if "Grace" in by_name:
        _refer(counselor, by_name["Grace"], bakery, employer.id, identity=False)
    if "Lina" in by_name:
        _refer(counselor, by_name["Lina"], cafe, employer.id, identity=True)
