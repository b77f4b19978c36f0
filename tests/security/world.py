"""The seeded data set for the audit and leak checks: the demo, plus one canary participant.

The demo (`econ demo`) gives every role a login and every domain some records. The canary
is a participant with unmistakable restricted values, paid in a run of the current month,
with a stored statement and an employer referral under PROFILE consent only: the places
where her data could leak to someone who may not read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from econ import demo
from econ.participants import services as participants
from econ.security.models import User
from econ.stipends import services as stipends

CANARY = {
    "legal_name": "Quenby Canarystone",
    "phone": "+34 611 987 654",
    "email": "quenby.canary@example.org",
    "bank_account": "FR1420041010050500013M02606",  # the standard French example IBAN
    "address": "99 Canary Lane, Toledo",
    "safety_notes": "CANARY SAFETY he waits at the bus station",
}
# Fragments that identify each value however it is formatted (IBANs print in groups of 4).
CANARY_NEEDLES = {
    "legal_name": ["Canarystone"],
    "phone": ["611 987 654", "611987654"],
    "email": ["quenby.canary"],
    "bank_account": ["FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606"],
    "address": ["99 Canary Lane"],
    "safety_notes": ["he waits at the bus station"],
}
# Who may read which canary value (DOMAIN.md roles; FINANCE only what a transfer needs).
MAY_READ = {
    "ADMIN": set(),
    "COUNSELOR": set(CANARY),  # her own counselor
    "FINANCE": {"legal_name", "bank_account"},
    "EMPLOYER": set(),  # PROFILE consent only: anonymous profile
    "PARTICIPANT": set(),  # another participant (the demo login is not the canary)
    "ANONYMOUS": set(),
    "OTHER_COUNSELOR": set(),  # a counselor whose caseload does not include her
}
PASSWORDS = {email: password for email, password, *_ in demo.LOGINS}
PASSWORDS["participant@demo.econ"] = "demo-participant-pass"
PASSWORDS["employer@demo.econ"] = "demo-employer-pass"
ROLE_LOGINS = {
    "ADMIN": "admin@demo.econ",
    "COUNSELOR": "counselor@demo.econ",
    "FINANCE": "finance@demo.econ",
    "EMPLOYER": "employer@demo.econ",
    "PARTICIPANT": "participant@demo.econ",
    "OTHER_COUNSELOR": "counselor2@demo.econ",
}


@dataclass
class World:
    ctx: demo.DemoContext
    canary_id: int
    canary_code: str
    tokens: dict[str, str | None] = field(default_factory=dict)


def this_month(offset: int = 0) -> str:
    return demo._month(offset)


def seed(api, *, with_run: bool = True, with_statement: bool = True) -> World:
    ctx = demo.load()
    counselor = ctx.actor("counselor@demo.econ")
    canary = participants.create_participant(
        counselor,
        preferred_name="Bird",
        languages=["en"],
        preferred_language="en",
        date_of_birth="1990-03-04",
        **CANARY,
    )
    ctx.participants.append(canary)
    _refer_with_profile_consent(ctx, canary.id)
    _placed_with_the_demo_employer()
    if with_run:
        _paid_in_a_run(ctx, canary.id)
    if with_statement:
        from econ.statements import services as statements

        statements.generate(canary.id, this_month(0))
    world = World(ctx, canary.id, canary.code)
    for role, email in ROLE_LOGINS.items():
        world.tokens[role] = api.login(email, PASSWORDS[email])
    world.tokens["ANONYMOUS"] = None
    return world


def _refer_with_profile_consent(ctx, participant_id: int) -> None:
    from econ.employers import services as employers
    from econ.employers.models import Opportunity

    counselor = ctx.actor("counselor@demo.econ")
    staff = User.get(User.email == "employer@demo.econ")
    opening = Opportunity.select().where(Opportunity.employer == staff.employer_id).first()
    employers.give_consent(
        counselor, participant_id, staff.employer_id, "PROFILE", participant_present=True
    )
    referral = employers.refer_participant(counselor, opening.id, participant_id)
    employers.advance_referral(counselor, referral.id, "SHARED")


def _placed_with_the_demo_employer() -> None:
    """The demo participant hired by the demo employer, 30-day checkpoint confirmed, so the
    walk reads placements and checkpoints (the demo itself has none)."""
    import datetime as dt

    from econ.employers.models import Employer
    from econ.participants.models import Participant
    from tests.outcomes import build

    her = User.get(User.email == "participant@demo.econ")
    staff = User.get(User.email == "employer@demo.econ")
    start = dt.date.today() - dt.timedelta(days=40)
    build.placement(
        Participant.get_by_id(her.participant_id),
        Employer.get_by_id(staff.employer_id),
        start,
        confirmed=(30,),
    )


def _paid_in_a_run(ctx, participant_id: int) -> None:
    counselor = ctx.actor("counselor@demo.econ")
    finance, finance2 = ctx.actor("finance@demo.econ"), ctx.actor("finance2@demo.econ")
    schedule = stipends.create_schedule(
        counselor,
        participant_id,
        monthly_amount="900.00",
        start_month=this_month(0),
        duration_months=6,
    )
    stipends.approve_schedule(finance, schedule.id)
    run = stipends.create_run(finance, this_month(0), run_tasks=False)
    stipends.calculate_run(run.id, run.generation)
    run = stipends.get_run(finance2, run.id)
    stipends.approve_run(finance2, run.id, run.version, stipends.payable_total(run).total)
    stipends.disburse_run(finance, run.id, "SEPA", run_tasks=False)
    stipends.export_run(run.id)


def needles_hidden_from(role: str) -> list[str]:
    """Canary fragments that must never appear in what `role` receives."""
    return [
        needle
        for name, needles in CANARY_NEEDLES.items()
        if name not in MAY_READ[role]
        for needle in needles
    ]


ALL_NEEDLES = [needle for needles in CANARY_NEEDLES.values() for needle in needles]


def found(text: str, needles: list[str]) -> list[str]:
    lowered = text.lower()
    return [needle for needle in needles if needle.lower() in lowered]
