"""A participant with data in every domain a statement prints, built through the real
services with fixed past dates, so every expected figure can be worked out by hand.

    stipend run 2026-07: base 900.00; income of 2026-06 500.00 -> taper (500 - 300) * 50 %
        = 100.00; incentive "Training completed" 100.00 (setting); adjustment -25.00
        -> net 900 - 100 + 100 - 25 = 875.00, paid.
    loan: 600.00, 6 monthly installments at 0 %, disbursed 2026-05-15 -> 100.00 due on the
        15th of Jun..Nov; 100.00 repaid on 2026-06-15; as of 2026-07-20 July's 100.00 is 5
        days late, outstanding principal 500.00, next three 2026-08-15, 09-15, 10-15.
    training: 3 PRESENT + 1 ABSENT -> 75 %, credential "Food handler certificate".
    plan: three dated open milestones, one done, one without a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from econ.microcredit import services as mc
from econ.participants import services as participants
from econ.security.roles import Actor
from econ.stipends import services as stipends
from econ.training import services as training
from tests.stipends.conftest import World as StipendWorld

PERIOD = "2026-07"
AS_OF = dt.date(2026, 7, 20)
ADDRESS = "12 Canary Street, Madrid"
LEGAL_NAME = "Maria Canary Legalname"


@dataclass
class Story:
    world: StipendWorld
    counselor: Actor
    finance: Actor
    participant: object
    run: object
    loan: object
    group: object


def _training(w: StipendWorld, admin: Actor, participant) -> None:
    program = training.create_program(
        admin,
        title="Professional cooking, level 1",
        provider="Cooking school",
        format="IN_PERSON",
        languages=["es", "en"],
        total_hours="120",
        hours_per_week="8",
        cost="0.00",
        capacity=10,
        credential_name="Food handler certificate",
    )
    cohort = training.create_cohort(
        w.counselor,
        program.id,
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 5, 29),
        session_days=["MON", "TUE", "THU"],
        today=dt.date(2026, 2, 1),
    )
    enrollment = training.enroll_participant(
        w.counselor, cohort.id, participant.id, today=dt.date(2026, 2, 10)
    )
    days = [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 5), dt.date(2026, 3, 9)]
    for day, status in zip(days, ["PRESENT", "PRESENT", "ABSENT", "PRESENT"], strict=True):
        training.record_attendance(
            w.counselor,
            cohort.id,
            day,
            [{"enrollment_id": enrollment.id, "status": status}],
            today=day + dt.timedelta(days=1),
        )
    training.complete_enrollment(
        w.counselor,
        enrollment.id,
        dt.date(2026, 5, 29),
        {"name": "Food handler certificate"},
        today=dt.date(2026, 6, 1),
    )


def _plan(w: StipendWorld, participant) -> None:
    participants.revise_plan(
        w.counselor,
        participant.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income=None,
        milestones=[
            {"title": "Open a savings account", "category": "BANKING", "due_date": "2026-08-10"},
            {"title": "Renew identity card", "category": "ID_DOCUMENTS", "due_date": "2026-09-01"},
            {"title": "Driving theory test", "category": "OTHER", "due_date": "2026-10-20"},
            {"title": "Write a CV", "category": "EMPLOYMENT", "due_date": "2026-12-01"},
            {"title": "Someday goal", "category": "OTHER"},
        ],
    )


def _loan(w: StipendWorld, participant):
    group = mc.create_group(
        w.counselor,
        name="Tuesday savings group",
        meeting_frequency="MONTHLY",
        meeting_weekday="TUESDAY",
        meeting_place="Community room, north district",
        savings_per_meeting="5.00",
    )
    others = [w.participant(preferred_name=n) for n in ("Amina", "Grace")]
    for member in [participant, *others]:
        mc.add_member(w.counselor, group.id, member.id, "MEMBER")
    group = mc.set_group_status(w.counselor, group.id, "ACTIVE")
    loan = mc.apply_for_loan(
        w.counselor,
        participant.id,
        purpose="EQUIPMENT",
        amount="600.00",
        number_of_installments=6,
        annual_interest_rate="0",
    )
    mc.approve_loan(w.finance, loan.id)
    loan = mc.disburse_loan(w.finance, loan.id, dt.date(2026, 5, 15))
    mc.record_repayment(w.finance, loan.id, "100.00", dt.date(2026, 6, 15))
    return loan, group


def paid_rows(run) -> str:
    """The bank's result file marking every exported payment of the run PAID."""
    from tests.stipends.conftest import attempts_of

    rows = [
        f"{a.reference},PAID,{a.amount:.2f}," for a in attempts_of(run) if a.status == "EXPORTED"
    ]
    return "reference,status,amount,reason\n" + "\n".join(rows)


def build(people, *, language: str = "es", reconcile: bool = True) -> Story:
    """Everything above; the run reconciled (COMPLETED) or, with `reconcile=False`, only
    disbursed so that a test can import the bank's results itself (over HTTP)."""
    w = StipendWorld(people)
    w.counselor_user.display_name = "Claire Dubois"
    w.counselor_user.work_phone = "+34 910 000 000"
    w.counselor_user.save()
    _, admin = people.admin()
    participant = w.participant(
        preferred_name="Nadia",
        legal_name=LEGAL_NAME,
        address=ADDRESS,
        preferred_language=language,
    )
    _training(w, admin, participant)
    _plan(w, participant)
    loan, group = _loan(w, participant)
    w.schedule(participant, amount="900.00", start="2026-01", duration=12)
    w.income(participant, "2026-06", "500.00")
    adjustment = stipends.create_adjustment(
        w.finance, participant.id, period=PERIOD, amount="-25.00", reason="Transport card"
    )
    stipends.approve_adjustment(w.finance2, adjustment.id)
    for award in stipends.pending_amounts(w.finance2)[0]:  # her training award: four eyes
        stipends.approve_award(w.finance2, award.id)
    run = w.paid_run(PERIOD) if reconcile else w.disburse(w.approve(w.calculate(PERIOD)))
    return Story(w, w.counselor, w.finance, participant, run, loan, group)
