"""Microcredit enums: the stored value tuples of the models, as GraphQL enums."""

from __future__ import annotations

from econ.microcredit.models import (
    ATTENDANCE,
    GROUP_STATUSES,
    LOAN_PURPOSES,
    LOAN_STATES,
    MEETING_FREQUENCIES,
    MEMBER_ROLES,
    REPAYMENT_CHANNELS,
    WEEKDAYS,
)
from econ.schema.enums import enum_of

GroupStatus = enum_of("LoanGroupStatus", GROUP_STATUSES)
MeetingFrequency = enum_of("MeetingFrequency", MEETING_FREQUENCIES)
Weekday = enum_of("MeetingWeekday", WEEKDAYS)
MemberRole = enum_of("GroupMemberRole", MEMBER_ROLES)
LoanPurpose = enum_of("LoanPurpose", LOAN_PURPOSES)
LoanState = enum_of("LoanState", LOAN_STATES)
RepaymentChannel = enum_of("RepaymentChannel", REPAYMENT_CHANNELS)
AttendanceStatus = enum_of("MeetingAttendanceStatus", ATTENDANCE)
InterestMethod = enum_of("InterestMethod", ("FLAT", "DECLINING_BALANCE"))
Amortization = enum_of("Amortization", ("EQUAL_INSTALLMENTS", "EQUAL_PRINCIPAL"))
LoanFrequency = enum_of("LoanFrequency", ("DAYS", "WEEKS", "MONTHS"))
InterestCalculationPeriod = enum_of(
    "InterestCalculationPeriod", ("SAME_AS_REPAYMENT_PERIOD", "DAILY")
)
RoundingMode = enum_of(
    "RoundingMode", ("UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN")
)
