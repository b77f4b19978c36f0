"""Tables of microcredit: solidarity groups, loans, installments, repayments, meetings.

Money columns are integer cents (`MoneyField`). A loan's schedule is stored as installment
rows at disbursement; holidays move their due dates, repayments fill their paid columns.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, JSONField, MoneyField, utcnow
from econ.participants.models import Participant

GROUP_STATUSES = ("FORMING", "ACTIVE", "CLOSED")
MEETING_FREQUENCIES = ("WEEKLY", "BIWEEKLY", "MONTHLY")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MEMBER_ROLES = ("LEADER", "MEMBER")
LOAN_PURPOSES = ("EQUIPMENT", "WORKING_CAPITAL", "EDUCATION", "OTHER")
LOAN_STATES = ("APPLIED", "APPROVED", "REJECTED", "DISBURSED", "REPAID", "WRITTEN_OFF")
# A borrower holds at most one loan in these states.
OPEN_STATES = ("APPLIED", "APPROVED", "DISBURSED")
REPAYMENT_CHANNELS = ("CASH", "BANK_TRANSFER", "MOBILE_MONEY", "COLLECTION_SHEET")
ATTENDANCE = ("PRESENT", "ABSENT", "EXCUSED", "LATE")


class LoanGroup(BaseModel):
    name = pw.CharField(max_length=120)
    counselor_id = pw.IntegerField(index=True)  # the counselor who runs the group
    status = pw.CharField(max_length=12, default="FORMING", index=True)
    meeting_frequency = pw.CharField(max_length=10)
    meeting_weekday = pw.CharField(max_length=10)
    # Coarse on purpose ("community centre, north side"): never a home address.
    meeting_place = pw.CharField(max_length=120, default="")
    savings_per_meeting = MoneyField(default=0)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)


class GroupMember(BaseModel):
    group = pw.ForeignKeyField(LoanGroup, backref="memberships", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="loan_group_memberships")
    role = pw.CharField(max_length=8, default="MEMBER")
    joined_at = pw.DateTimeField(default=utcnow)
    left_at = pw.DateTimeField(null=True)
    # = participant id while a member, NULL after leaving: one live membership per woman.
    active_participant = pw.IntegerField(null=True, unique=True)


class Loan(BaseModel):
    borrower = pw.ForeignKeyField(Participant, backref="loans")
    group = pw.ForeignKeyField(LoanGroup, backref="loans")
    state = pw.CharField(max_length=12, default="APPLIED", index=True)
    purpose = pw.CharField(max_length=16)
    purpose_note = pw.CharField(max_length=200, default="")
    principal = MoneyField()
    currency = pw.CharField(max_length=3)
    # Schedule terms other than principal and dates (rate as a decimal string), see loans.py.
    terms = JSONField()
    applied_by = pw.IntegerField()
    applied_at = pw.DateTimeField(default=utcnow)
    decided_by = pw.IntegerField(null=True)
    decided_at = pw.DateTimeField(null=True)
    rejection_reason = pw.CharField(max_length=300, default="")
    # A FINANCE user asked for the principal to be paid through the next payment run.
    disbursement_requested_by = pw.IntegerField(null=True)
    disbursement_requested_at = pw.DateTimeField(null=True)
    disbursed_by = pw.IntegerField(null=True)
    disbursement_date = pw.DateField(null=True)
    first_due_date = pw.DateField(null=True)
    repaid_at = pw.DateTimeField(null=True)
    write_off_reason = pw.CharField(max_length=300, default="")
    write_off_requested_by = pw.IntegerField(null=True)
    written_off_by = pw.IntegerField(null=True)
    written_off_at = pw.DateTimeField(null=True)
    # Set by the nightly arrears run; live figures are computed by arrears.py.
    days_past_due = pw.IntegerField(default=0)
    arrears_as_of = pw.DateField(null=True)
    # = borrower id while the loan is open, NULL otherwise: one open loan per borrower,
    # enforced by the database whatever the race.
    open_borrower = pw.IntegerField(null=True, unique=True)


class Installment(BaseModel):
    loan = pw.ForeignKeyField(Loan, backref="installments", on_delete="CASCADE")
    number = pw.IntegerField()
    due_date = pw.DateField()
    original_due_date = pw.DateField()
    principal = MoneyField()
    interest = MoneyField()
    paid_principal = MoneyField(default=0)
    paid_interest = MoneyField(default=0)

    class Meta:
        indexes = ((("loan", "number"), True),)


class Meeting(BaseModel):
    group = pw.ForeignKeyField(LoanGroup, backref="meetings", on_delete="CASCADE")
    date = pw.DateField()
    saved_by = pw.IntegerField()
    saved_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("group", "date"), True),)


class Attendance(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant)
    status = pw.CharField(max_length=8)

    class Meta:
        indexes = ((("meeting", "participant"), True),)


class Repayment(BaseModel):
    loan = pw.ForeignKeyField(Loan, backref="repayments", on_delete="CASCADE")
    amount = MoneyField()
    paid_on = pw.DateField()
    channel = pw.CharField(max_length=16)
    meeting = pw.ForeignKeyField(Meeting, null=True, backref="repayments")
    recorded_by = pw.IntegerField()
    recorded_at = pw.DateTimeField(default=utcnow)
    # [[installment number, principal cents, interest cents], ...] of the latest allocation.
    allocation = JSONField(default=list)
    reversed_at = pw.DateTimeField(null=True)
    reversed_by = pw.IntegerField(null=True)
    reversal_reason = pw.CharField(max_length=300, default="")


class SavingsContribution(BaseModel):
    group = pw.ForeignKeyField(LoanGroup, backref="contributions", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant)
    amount = MoneyField()
    paid_on = pw.DateField()
    meeting = pw.ForeignKeyField(Meeting, null=True, backref="contributions")
    recorded_by = pw.IntegerField()
    recorded_at = pw.DateTimeField(default=utcnow)


class RepaymentHoliday(BaseModel):
    """An audited FINANCE decision; one row per decision, the loans it moved in `loan_ids`."""

    loan = pw.ForeignKeyField(Loan, null=True, backref="holidays")
    group = pw.ForeignKeyField(LoanGroup, null=True, backref="holidays")
    installments = pw.IntegerField()
    reason = pw.CharField(max_length=300)
    loan_ids = JSONField(default=list)
    decided_by = pw.IntegerField()
    decided_at = pw.DateTimeField(default=utcnow)


class PortfolioSnapshot(BaseModel):
    """The nightly arrears run's figures for one as-of date (recomputing replaces them)."""

    as_of = pw.DateField(unique=True)
    outstanding_principal = MoneyField()
    par30_principal = MoneyField()
    overdue_principal = MoneyField()
    buckets = JSONField(default=list)
    computed_at = pw.DateTimeField(default=utcnow)


MODELS = [
    LoanGroup,
    GroupMember,
    Loan,
    Installment,
    Meeting,
    Attendance,
    Repayment,
    SavingsContribution,
    RepaymentHoliday,
    PortfolioSnapshot,
]
