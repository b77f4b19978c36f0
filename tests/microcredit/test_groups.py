"""Solidarity groups: size limits, states, leader, membership, the group fund in the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.ledger.services import balance
from econ.microcredit import services as mc
from econ.microcredit.models import GroupMember, LoanGroup
from econ.security.roles import SYSTEM
from econ.settings.services import update_settings
from tests.microcredit.factory import disbursed_loan, world


def code(call, *args) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as info:
        call(*args)
    return info.value.code, info.value.field


def test_size_limits_come_from_the_settings(people):
    update_settings(SYSTEM, {"loan_group_max_size": "4"})
    w = world(people, size=3, activate=False)
    # Default minimum 3: two members are not enough to start (checked before the third joined
    # in a separate group below).
    small = world(people, size=2, activate=False)
    assert code(mc.set_group_status, small.counselor, small.group.id, "ACTIVE") == (
        "GROUP_TOO_SMALL",
        "status",
    )
    fourth = people.participant(w.counselor, preferred_name="Rosa")
    mc.add_member(w.counselor, w.group.id, fourth.id)
    fifth = people.participant(w.counselor, preferred_name="Grace")
    assert code(mc.add_member, w.counselor, w.group.id, fifth.id) == ("GROUP_FULL", "groupId")
    assert mc.member_count(w.group.id) == 4


def test_states_and_membership_rules(people):
    w = world(people, size=3, activate=False)
    assert mc.set_group_status(w.counselor, w.group.id, "ACTIVE").status == "ACTIVE"
    assert code(mc.set_group_status, w.counselor, w.group.id, "FORMING")[0] == "INVALID_TRANSITION"
    # One live membership per woman.
    other = world(people, size=3, activate=False)
    assert code(mc.add_member, other.counselor, other.group.id, w.members[0].id)[0] == "NOT_FOUND"
    assert code(mc.add_member, w.counselor, w.group.id, w.members[0].id) == (
        "ALREADY_IN_A_GROUP",
        "participantId",
    )
    # Only the group's counselor changes it.
    assert code(mc.add_member, w.finance, w.group.id, w.members[0].id)[0] == "FORBIDDEN"
    loan = disbursed_loan(w, w.members[1], amount="100.00", installments=1)
    assert code(mc.remove_member, w.counselor, w.group.id, w.members[1].id)[0] == "OPEN_LOAN"
    assert code(mc.set_group_status, w.counselor, w.group.id, "CLOSED")[0] == "OPEN_LOAN"
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
    mc.remove_member(w.counselor, w.group.id, w.members[1].id)
    assert mc.member_count(w.group.id) == 2
    # Having left, she may join another group.
    assert GroupMember.get_or_none(GroupMember.active_participant == w.members[1].id) is None
    assert mc.set_group_status(w.counselor, w.group.id, "CLOSED").status == "CLOSED"


def test_one_leader_at_a_time(people):
    w = world(people, size=3)
    assert [m.role for m in mc.active_members(w.group.id)] == ["LEADER", "MEMBER", "MEMBER"]
    mc.set_leader(w.counselor, w.group.id, w.members[2].id)
    assert [m.role for m in mc.active_members(w.group.id)] == ["MEMBER", "MEMBER", "LEADER"]


def test_group_input_validation(people):
    _, counselor = people.counselor()
    cases = [
        ({"name": " "}, ("REQUIRED", "name")),
        ({"meeting_frequency": "DAILY"}, ("INVALID_CHOICE", "meetingFrequency")),
        ({"meeting_weekday": "FUNDAY"}, ("INVALID_CHOICE", "meetingWeekday")),
        ({"savings_per_meeting": "-1"}, ("INVALID_AMOUNT", "savingsPerMeeting")),
    ]
    base = {"name": "Rose", "meeting_frequency": "WEEKLY", "meeting_weekday": "MONDAY"}
    for change, expected in cases:
        with pytest.raises(DomainError) as info:
            mc.create_group(counselor, **{**base, **change})
        assert (info.value.code, info.value.field) == expected
    assert LoanGroup.select().count() == 0


def test_savings_feed_the_fund_and_the_ledger(people):
    w = world(people, size=3)
    mc.record_savings_contribution(w.counselor, w.group.id, w.members[0].id, "10.00", date.today())
    mc.record_savings_contribution(w.finance, w.group.id, w.members[1].id, "2.50", date.today())
    assert mc.fund_total(w.group.id) == Decimal("12.50")
    # The programme holds the fund: a liability of 12.50 (credit balance), cash in the bank.
    assert balance("group_fund") == Decimal("-12.50")
    assert balance("group_fund", w.members[0].id) == Decimal("-10.00")
    assert balance("bank") == Decimal("12.50")
    outsider = people.participant(w.counselor, preferred_name="Carmen")
    with pytest.raises(DomainError) as info:
        mc.record_savings_contribution(w.counselor, w.group.id, outsider.id, "1.00", date.today())
    assert info.value.code == "NOT_A_MEMBER"
