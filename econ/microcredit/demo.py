"""Demo microcredit: one ACTIVE solidarity group of five, two disbursed loans, a few repayments.

Dates are relative to today so the demo always shows a running group: loans disbursed six
weeks ago, weekly installments, one borrower on time and one a week behind.
"""

from __future__ import annotations

from datetime import date, timedelta

from econ.microcredit import services as mc
from econ.participants import services as participants

COUNSELOR = "counselor@demo.econ"


def load(ctx) -> None:
    counselor = ctx.actor(COUNSELOR)
    finance = ctx.actor("finance@demo.econ")
    members = [
        p
        for p in ctx.participants
        if p.counselor_id == counselor.user_id and _status(p) == "ACTIVE"
    ][:5]
    if len(members) < 3:
        return
    today = date.today()
    # The meeting weekday is today's, so the weekly due dates fall on meeting days.
    weekday = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    group = mc.create_group(
        counselor,
        name="Sunflower savings circle",
        meeting_frequency="WEEKLY",
        meeting_weekday=weekday[today.weekday()],
        meeting_place="Community centre, north side",
        savings_per_meeting="5.00",
    )
    for index, person in enumerate(members):
        mc.add_member(counselor, group.id, person.id, "LEADER" if index == 0 else "MEMBER")
    mc.set_group_status(counselor, group.id, "ACTIVE")
    disbursed_on = today - timedelta(weeks=6)
    for person, amount, paid_weeks in ((members[0], "600.00", 6), (members[1], "400.00", 4)):
        loan = mc.apply_for_loan(
            counselor,
            person.id,
            purpose="EQUIPMENT" if amount == "600.00" else "WORKING_CAPITAL",
            purpose_note="sewing machine" if amount == "600.00" else "market stall stock",
            amount=amount,
            number_of_installments=12,
        )
        mc.approve_loan(finance, loan.id)
        mc.disburse_loan(finance, loan.id, disbursed_on)
        weekly = mc.installments_of(loan)[0].principal
        for week in range(1, paid_weeks + 1):
            mc.record_repayment(
                counselor, loan.id, weekly, disbursed_on + timedelta(weeks=week), "CASH"
            )
    for person in members:
        mc.record_savings_contribution(
            counselor, group.id, person.id, "5.00", today - timedelta(weeks=1)
        )


def _status(participant) -> str:
    return participants.participants_by_id([participant.id])[participant.id].status
