"""Builders for microcredit tests, through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from econ.microcredit import services as mc

DISBURSED_ON = date(2025, 1, 6)  # a Monday; weekly installments fall on Mondays


@dataclass
class World:
    counselor_user: object
    counselor: object
    finance_user: object
    finance: object
    finance2_user: object
    finance2: object
    group: object
    members: list = field(default_factory=list)


def world(people, size: int = 5, activate: bool = True) -> World:
    counselor_user, counselor = people.counselor()
    finance_user, finance = people.finance()
    finance2_user, finance2 = people.finance()
    group = mc.create_group(
        counselor,
        name="Sunflower group",
        meeting_frequency="WEEKLY",
        meeting_weekday="MONDAY",
        meeting_place="Community centre, north side",
        savings_per_meeting="5.00",
    )
    names = ["Maria", "Lina", "Joy", "Ioana", "Sofia", "Amina", "Rosa", "Grace", "Elena", "Nadia"]
    members = []
    for index in range(size):
        person = people.participant(counselor, preferred_name=names[index % len(names)])
        mc.add_member(counselor, group.id, person.id, "LEADER" if index == 0 else "MEMBER")
        members.append(person)
    if activate:
        group = mc.set_group_status(counselor, group.id, "ACTIVE")
    return World(
        counselor_user, counselor, finance_user, finance, finance2_user, finance2, group, members
    )


def disbursed_loan(
    w: World,
    member,
    amount: str = "1000.00",
    installments: int = 10,
    rate: str = "0",
    on: date = DISBURSED_ON,
    **terms,
):
    loan = mc.apply_for_loan(
        w.counselor,
        member.id,
        purpose="WORKING_CAPITAL",
        amount=amount,
        number_of_installments=installments,
        annual_interest_rate=rate,
        **terms,
    )
    mc.approve_loan(w.finance, loan.id)
    return mc.disburse_loan(w.finance, loan.id, on)


def employer_login(people):
    """An EMPLOYER login of a real partner employer (the login must name one)."""
    from econ.employers import services as employers

    _, admin = people.admin()
    employer = employers.create_employer(
        admin,
        name="Bright Bakery Co-op",
        sector="Food",
        size="SMALL",
        agreement_signed_on=date(2026, 1, 10),
        agreement_commitments="Mentoring, flexible hours.",
    )
    return people.employer(employer.id)
