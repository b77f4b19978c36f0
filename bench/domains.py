"""Data of the other domains for a generated population: loans, training, placements.

Through the real services (so the rows are what the program writes), on a subset of the
population: statements and GraphQL benchmarks read them; the payment run does not.
"""

from __future__ import annotations

import datetime as dt

from bench import common

LOAN_DAY = dt.date(2026, 5, 15)


def add_loans(counselor, finance, participant_ids: list[int], group_size: int = 5) -> int:
    """Groups of `group_size`; every member gets a 6-month loan disbursed in May, repaid once."""
    from econ.microcredit import services as mc

    made = 0
    for lo in range(0, len(participant_ids), group_size):
        members = participant_ids[lo : lo + group_size]
        if len(members) < 3:
            break
        group = mc.create_group(
            counselor,
            name=f"Savings group {lo // group_size + 1}",
            meeting_frequency="MONTHLY",
            meeting_weekday="TUESDAY",
            meeting_place="Community room",
            savings_per_meeting="5.00",
        )
        for pid in members:
            mc.add_member(counselor, group.id, pid, "MEMBER")
        mc.set_group_status(counselor, group.id, "ACTIVE")
        for pid in members:
            loan = mc.apply_for_loan(
                counselor,
                pid,
                purpose="EQUIPMENT",
                amount="600.00",
                number_of_installments=6,
                annual_interest_rate="12",
            )
            mc.approve_loan(finance, loan.id)
            mc.disburse_loan(finance, loan.id, LOAN_DAY)
            mc.record_repayment(finance, loan.id, "103.00", dt.date(2026, 6, 15))
            made += 1
    return made


def add_training(admin, counselor, participant_ids: list[int], cohort_size: int = 10) -> int:
    """Cohorts of ten, four sessions of attendance, completed with a credential."""
    from econ.training import services as training

    program = training.create_program(
        admin,
        title="Professional cooking, level 1",
        provider="Cooking school",
        format="IN_PERSON",
        languages=["es", "en"],
        total_hours="120",
        hours_per_week="8",
        cost="0.00",
        capacity=cohort_size,
        credential_name="Food handler certificate",
    )
    days = [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 5), dt.date(2026, 3, 9)]
    done = 0
    for lo in range(0, len(participant_ids), cohort_size):
        cohort = training.create_cohort(
            counselor,
            program.id,
            start_date=dt.date(2026, 3, 2),
            end_date=dt.date(2026, 5, 29),
            session_days=["MON", "TUE", "THU"],
            today=dt.date(2026, 2, 1),
        )
        enrollments = [
            training.enroll_participant(counselor, cohort.id, pid, today=dt.date(2026, 2, 10))
            for pid in participant_ids[lo : lo + cohort_size]
        ]
        for k, day in enumerate(days):
            status = "ABSENT" if k == 2 else "PRESENT"
            training.record_attendance(
                counselor,
                cohort.id,
                day,
                [{"enrollment_id": e.id, "status": status} for e in enrollments],
                today=day + dt.timedelta(days=1),
            )
        for e in enrollments:
            training.complete_enrollment(
                counselor,
                e.id,
                dt.date(2026, 5, 29),
                {"name": "Food handler certificate"},
                today=dt.date(2026, 6, 1),
            )
            done += 1
    return done


def employer_with_opportunity(email: str = "hr@bench.econ"):
    """An ACTIVE partner employer, its HR login (user, actor) and one published opening
    (with the demo's skills vocabulary, which an employer's openings choose from)."""
    from econ.employers import services
    from econ.security.roles import SYSTEM
    from econ.training import demo as training_demo

    training_demo.load_vocabulary(SYSTEM)

    employer = services.create_employer(
        SYSTEM, name="Bright Bakery Co-op", agreement_signed_on=dt.date(2026, 1, 15)
    )
    services.set_employer_status(SYSTEM, employer.id, "ACTIVE", "agreement signed")
    hr = common.staff("EMPLOYER", email, employer_id=employer.id)
    return employer, hr, open_position(hr[1])


def open_position(hr_actor, openings: int = 100):
    """A published opening with `openings` places (100 is the most the service allows)."""
    from econ.employers import services

    draft = services.create_opportunity(
        hr_actor,
        None,
        title="Bakery assistant",
        description="Morning shifts: shaping, baking, packing orders.",
        type="PART_TIME",
        pay_amount="13.50",
        pay_period="HOURLY",
        hours_per_week=20,
        flexible_schedule=True,
        location="Centro",
        required_skills=[{"key": "customer-service", "label": "Customer service"}],
        languages=["es", "en"],
        openings=openings,
    )
    return services.publish_opportunity(hr_actor, draft.id)


def refer(
    counselor,
    opportunity,
    employer_id: int,
    participant_ids: list[int],
    hire: bool,
    consent: bool = True,
):
    """Consent (unless already given) and a shared referral for each; with `hire`, taken
    through to a placement."""
    from econ.employers import services

    referrals = []
    for pid in participant_ids:
        if consent:
            services.give_consent(counselor, pid, employer_id, "PROFILE", participant_present=True)
        referral = services.refer_participant(counselor, opportunity.id, pid, "keen to start")
        services.advance_referral(counselor, referral.id, "SHARED")
        if hire:
            for status in ("INTERVIEW", "OFFERED"):
                services.advance_referral(counselor, referral.id, status)
            services.advance_referral(
                counselor, referral.id, "HIRED", placement={"start_date": dt.date.today()}
            )
        referrals.append(referral)
    return referrals
