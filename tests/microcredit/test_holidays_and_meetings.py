"""Repayment holidays (one loan, a whole group) and atomic collection sheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from econ.errors import DomainError
from econ.ledger.models import JournalEntry
from econ.microcredit import services as mc
from econ.microcredit.models import (
    Attendance,
    Installment,
    Meeting,
    Repayment,
    RepaymentHoliday,
    SavingsContribution,
)
from econ.security.models import AuditEntry
from tests.microcredit.factory import disbursed_loan, world

D = Decimal


def schedule(loan_id: int) -> list[tuple]:
    return [
        (i.number, i.due_date, i.principal, i.interest)
        for i in Installment.select()
        .where(Installment.loan == loan_id)
        .order_by(Installment.number)
    ]


def test_group_holiday_moves_each_loans_unpaid_installments_without_extra_interest(people):
    w = world(people)
    # 12 % declining, 4 weekly from 6 Jan: due 13, 20, 27 Jan, 3 Feb.
    ahead = disbursed_loan(w, w.members[0], amount="400.00", installments=4, rate="12")
    behind = disbursed_loan(w, w.members[1], amount="400.00", installments=4, rate="12")
    pending = mc.apply_for_loan(
        w.counselor, w.members[2].id, purpose="OTHER", amount="100.00", number_of_installments=2
    )
    first_total = schedule(ahead.id)[0][2] + schedule(ahead.id)[0][3]
    # "ahead" pays installment 1 in full and part of 2; "behind" pays nothing.
    mc.record_repayment(w.finance, ahead.id, first_total + D("10.00"), date(2025, 1, 13))
    before_ahead, before_behind = schedule(ahead.id), schedule(behind.id)
    assert code(mc.grant_repayment_holiday, w.counselor, group_id=w.group.id) == "FORBIDDEN"
    holiday = mc.grant_repayment_holiday(
        w.finance, group_id=w.group.id, installments=2, reason="market closed by flooding"
    )
    assert sorted(holiday.loan_ids) == sorted([ahead.id, behind.id])
    two_weeks = date(2025, 1, 27) - date(2025, 1, 13)
    after_ahead, after_behind = schedule(ahead.id), schedule(behind.id)
    # Paid installment 1 keeps its date; 2..4 (first unpaid onwards) move two weeks.
    assert after_ahead[0] == before_ahead[0]
    assert [r[1] for r in after_ahead[1:]] == [r[1] + two_weeks for r in before_ahead[1:]]
    assert [r[1] for r in after_behind] == [r[1] + two_weeks for r in before_behind]
    # Amounts unchanged: no extra interest, no fee.
    assert [r[2:] for r in after_ahead] == [r[2:] for r in before_ahead]
    assert [r[2:] for r in after_behind] == [r[2:] for r in before_behind]
    # The original dates are kept beside the moved ones.
    first_moved = Installment.get((Installment.loan == behind.id) & (Installment.number == 1))
    assert (first_moved.original_due_date, first_moved.due_date) == (
        date(2025, 1, 13),
        date(2025, 1, 27),
    )
    # As of 26 January nobody in the group is late any more on what moved.
    assert mc.days_past_due(behind, date(2025, 1, 26)) == 0
    assert mc.installments_of(pending) == []
    audited = AuditEntry.select().where(AuditEntry.action == "repayment_holiday")
    assert sorted(e.record_id for e in audited) == sorted([str(ahead.id), str(behind.id)])
    assert RepaymentHoliday.get().reason == "market closed by flooding"


def test_single_loan_holiday_and_validation(people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    other = disbursed_loan(w, w.members[1], amount="300.00", installments=3)
    assert code(mc.grant_repayment_holiday, w.finance, loan_id=loan.id, installments=0) == (
        "INVALID_INSTALLMENTS"
    )
    assert code(mc.grant_repayment_holiday, w.finance) == "ONE_TARGET"
    assert (
        code(mc.grant_repayment_holiday, w.finance, loan_id=loan.id, group_id=w.group.id)
        == "ONE_TARGET"
    )
    mc.grant_repayment_holiday(w.finance, loan_id=loan.id, installments=1, reason="illness")
    assert [r[1] for r in schedule(loan.id)] == [
        date(2025, 1, 20),
        date(2025, 1, 27),
        date(2025, 2, 3),
    ]
    assert [r[1] for r in schedule(other.id)] == [
        date(2025, 1, 13),
        date(2025, 1, 20),
        date(2025, 1, 27),
    ]


def code(call, *args, installments: int = 1, reason: str = "crisis", **kwargs) -> str:
    with pytest.raises(DomainError) as info:
        call(*args, installments=installments, reason=reason, **kwargs)
    return info.value.code


def rows_for(w, amounts: list[str]) -> list[dict]:
    return [
        {"participant_id": m.id, "attendance": "PRESENT", "amount": a, "savings": "5.00"}
        for m, a in zip(w.members, amounts, strict=True)
    ]


def test_collection_sheet_rolls_back_entirely_when_one_row_is_invalid(people):
    w = world(people)
    loans = [disbursed_loan(w, m, amount="200.00", installments=4) for m in w.members[:4]]
    entries_before = JournalEntry.select().count()
    # Row 3 overpays (200.00 owed): rows 0-2 are written first, then everything is undone.
    rows = rows_for(w, ["50.00", "50.00", "50.00", "250.00", "0"])
    with pytest.raises(DomainError) as info:
        mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert (info.value.code, info.value.field) == ("OVERPAYMENT", "rows.3.amount")
    assert Meeting.select().count() == 0
    assert Attendance.select().count() == 0
    assert Repayment.select().count() == 0
    assert SavingsContribution.select().count() == 0
    assert JournalEntry.select().count() == entries_before
    assert all(i.paid_principal == 0 for i in Installment.select())
    # A malformed amount and a stranger are named too, before anything is written.
    rows[3]["amount"] = "5O.00"
    with pytest.raises(DomainError) as info:
        mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert (info.value.code, info.value.field) == ("INVALID_AMOUNT", "rows.3.amount")
    rows[3]["amount"] = "50.00"
    rows[4]["amount"] = "10.00"  # member 4 has no loan
    with pytest.raises(DomainError) as info:
        mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert (info.value.code, info.value.field) == ("NO_OPEN_LOAN", "rows.4.amount")
    rows[4]["amount"] = "0"
    rows[2]["attendance"] = "ASLEEP"
    with pytest.raises(DomainError) as info:
        mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert info.value.field == "rows.2.attendance"
    rows[2]["attendance"] = "PRESENT"
    # Fixed: the sheet saves as a whole.
    meeting = mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert Repayment.select().where(Repayment.meeting == meeting.id).count() == 4
    assert mc.fund_total(w.group.id) == D("25.00")
    assert [mc.outstanding_principal(loan) for loan in loans] == [D("150.00")] * 4
    with pytest.raises(DomainError) as info:
        mc.save_collection_sheet(w.counselor, w.group.id, date(2025, 1, 13), rows)
    assert info.value.code == "MEETING_EXISTS"


def test_collection_sheet_lists_amount_due_by_the_meeting_date(people):
    w = world(people, size=3)
    loan = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    mc.record_repayment(w.finance, loan.id, "40.00", date(2025, 1, 13))
    sheet = mc.collection_sheet(w.counselor, w.group.id, date(2025, 1, 20))
    # Due by 20 Jan: #1 and #2 = 200, 40 paid -> 160.
    assert [(r.preferred_name, r.amount_due, r.savings_due) for r in sheet.rows] == [
        ("Maria", D("160.00"), D("5.00")),
        ("Lina", D("0.00"), D("5.00")),
        ("Joy", D("0.00"), D("5.00")),
    ]
    _, other = people.counselor()
    with pytest.raises(DomainError) as info:
        mc.collection_sheet(other, w.group.id, date(2025, 1, 20))
    assert info.value.code == "NOT_FOUND"


def test_a_saved_sheet_prints_what_was_recorded_not_what_is_left(people):
    """Issue 15: printed after the meeting, the sheet showed the remaining due beside the
    payment (100 due, 100 paid read as 0 due, 100 paid), blank savings, and no row for a
    loan repaid in full at the meeting."""
    w = world(people, size=3)
    first = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    second = disbursed_loan(w, w.members[1], amount="100.00", installments=1)
    on = date(2025, 1, 13)
    before = {
        r.participant_id: r.amount_due
        for r in mc.collection_sheet(w.counselor, w.group.id, on).rows
    }
    rows = rows_for(w, ["100.00", "100.00", "0"])
    mc.save_collection_sheet(w.counselor, w.group.id, on, rows)
    assert mc.get_loan(w.finance, second.id).state == "REPAID"
    sheet = mc.collection_sheet(w.counselor, w.group.id, on)
    assert sheet.saved
    assert {r.participant_id: r.amount_due for r in sheet.rows} == before
    by_member = {r.participant_id: r for r in sheet.rows}
    assert by_member[w.members[1].id].loan_id == second.id  # repaid at this very meeting
    assert [(r.paid, r.saved) for r in sheet.rows] == [(D("100.00"), D("5.00"))] * 2 + [
        (D("0.00"), D("5.00"))
    ]
    assert first.id == by_member[w.members[0].id].loan_id


def _group_meeting_on(people, w, weekday: str, frequency: str = "WEEKLY"):
    group = mc.create_group(
        w.counselor, name=f"{weekday} group", meeting_frequency=frequency,
        meeting_weekday=weekday, savings_per_meeting="0.00",
    )  # fmt: skip
    members = [people.participant(w.counselor, preferred_name=n) for n in ("Rosa", "Elena", "Ana")]
    for index, person in enumerate(members):
        mc.add_member(w.counselor, group.id, person.id, "MEMBER" if index else "LEADER")
    mc.set_group_status(w.counselor, group.id, "ACTIVE")
    return members[0]


def _due_dates(loan_id: int) -> list[date]:
    return [row[1] for row in schedule(loan_id)]


@pytest.mark.parametrize(
    ("frequency", "first", "step_days"),
    [("WEEKLY", date(2025, 1, 14), 7), ("BIWEEKLY", date(2025, 1, 21), 14)],
)
def test_weekly_loans_fall_due_on_the_groups_meeting_day(people, frequency, first, step_days):
    """Issue 15: due dates counted from the disbursement day (a Monday) missed the group's
    Tuesday meetings, where the money is collected."""
    w = world(people, size=3)
    rosa = _group_meeting_on(people, w, "TUESDAY", frequency)
    loan = disbursed_loan(w, rosa, amount="400.00", installments=4)  # Monday 6 January
    dates = _due_dates(loan.id)
    assert dates[0] == first and all(d.weekday() == 1 for d in dates)
    assert [(b - a).days for a, b in pairwise(dates)] == [step_days] * 3


def test_a_chosen_first_due_date_and_monthly_loans_keep_their_own_dates(people):
    w = world(people, size=3)
    rosa = _group_meeting_on(people, w, "TUESDAY")
    loan = mc.apply_for_loan(
        w.counselor, rosa.id, purpose="OTHER", amount="400.00", number_of_installments=4
    )
    mc.approve_loan(w.finance, loan.id)
    mc.disburse_loan(w.finance, loan.id, date(2025, 1, 6), date(2025, 1, 16))  # a Thursday
    assert _due_dates(loan.id)[0] == date(2025, 1, 16)
    monthly = _group_meeting_on(people, w, "FRIDAY", "MONTHLY")
    by_month = disbursed_loan(w, monthly, amount="300.00", installments=3)
    assert _due_dates(by_month.id) == [date(2025, 2, 6), date(2025, 3, 6), date(2025, 4, 6)]
