"""Tables of the participants domain.

Restricted PII lives in its own table, each column AES-GCM encrypted, so that loading a
participant for ordinary work never decrypts (or risks exposing) her identity.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, JSONField, MoneyField, utcnow
from econ.security.models import User

STATUSES = ("ACTIVE", "PAUSED", "EXITED", "GRADUATED")
PATHWAYS = ("EMPLOYMENT", "ENTREPRENEURSHIP", "EDUCATION")
MILESTONE_CATEGORIES = (
    "TRAINING",
    "EMPLOYMENT",
    "INCOME",
    "BANKING",
    "ID_DOCUMENTS",
    "ENTREPRENEURSHIP",
    "EDUCATION",
    "OTHER",
)
MILESTONE_STATUSES = ("OPEN", "IN_PROGRESS", "DONE", "DROPPED")
INCOME_SOURCES = ("EMPLOYMENT", "BUSINESS", "OTHER")
RESTRICTED_FIELDS = (
    "legal_name",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "bank_account",
    "bank_bic",
    "safety_notes",
)


class Participant(BaseModel):
    code = pw.CharField(max_length=12, unique=True)
    preferred_name = pw.CharField(max_length=120)
    languages = JSONField(default=list)
    preferred_language = pw.CharField(max_length=8, default="en")
    skills = JSONField(default=list)  # [{"key": ..., "label": ...}]
    status = pw.CharField(max_length=12, default="ACTIVE", index=True)
    counselor = pw.ForeignKeyField(User, null=True, backref="caseload", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class ParticipantPII(BaseModel):
    """Ciphertext only; see econ.security.crypto for the associated-data binding."""

    participant = pw.ForeignKeyField(Participant, unique=True, backref="pii", on_delete="CASCADE")
    legal_name = pw.TextField(null=True)
    date_of_birth = pw.TextField(null=True)
    phone = pw.TextField(null=True)
    email = pw.TextField(null=True)
    address = pw.TextField(null=True)
    bank_account = pw.TextField(null=True)
    bank_bic = pw.TextField(null=True)  # only where her bank's country needs it (econ.iban)
    safety_notes = pw.TextField(null=True)
    # Who last changed bank_account / bank_bic: payments take the change only once a
    # FINANCE user other than this person confirms it (econ.stipends.payees).
    bank_changed_by = pw.IntegerField(null=True)


class StatusChange(BaseModel):
    participant = pw.ForeignKeyField(Participant, backref="status_changes", on_delete="CASCADE")
    from_status = pw.CharField(max_length=12, null=True)
    to_status = pw.CharField(max_length=12)
    reason = pw.TextField()
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)


class Plan(BaseModel):
    participant = pw.ForeignKeyField(Participant, unique=True, backref="plans", on_delete="CASCADE")
    revision = pw.IntegerField(default=0)
    pathways = JSONField(default=list)
    target_monthly_income = MoneyField(null=True)
    agreed_at = pw.DateTimeField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)


class PlanRevision(BaseModel):
    """A frozen copy of the plan as it stood at each revision."""

    plan = pw.ForeignKeyField(Plan, backref="revisions", on_delete="CASCADE")
    revision = pw.IntegerField()
    pathways = JSONField()
    target_monthly_income = MoneyField(null=True)
    milestones = JSONField()
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    agreed_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("plan", "revision"), True),)


class Milestone(BaseModel):
    plan = pw.ForeignKeyField(Plan, backref="milestones", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    category = pw.CharField(max_length=20)
    due_date = pw.DateField(null=True)
    status = pw.CharField(max_length=12, default="OPEN")
    position = pw.IntegerField(default=0)
    created_at = pw.DateTimeField(default=utcnow)
    # Optional link to a record of another domain whose goal state completes it.
    linked_type = pw.CharField(max_length=20, null=True)
    linked_id = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("linked_type", "linked_id"), False),)


class MilestoneStatusChange(BaseModel):
    milestone = pw.ForeignKeyField(Milestone, backref="status_changes", on_delete="CASCADE")
    from_status = pw.CharField(max_length=12)
    to_status = pw.CharField(max_length=12)
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)
    note = pw.CharField(max_length=200, default="")


class IncomeRecord(BaseModel):
    participant = pw.ForeignKeyField(Participant, backref="income_records", on_delete="CASCADE")
    month = pw.CharField(max_length=7)  # YYYY-MM
    source = pw.CharField(max_length=12)
    amount = MoneyField()
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    verified_at = pw.DateTimeField(null=True)
    verified_by = pw.IntegerField(null=True)
    # Each report that replaces the amount is a new version; verifying names the version
    # the counselor read, so a change made while she reviews it is never verified unseen.
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("participant", "month", "source"), True),)


class IncomeCorrection(BaseModel):
    """A verified income record corrected: the new amount supersedes the record's once a
    second person verifies it (the record itself is never edited). Append-only."""

    record = pw.ForeignKeyField(IncomeRecord, backref="corrections", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="income_corrections", on_delete="CASCADE")
    month = pw.CharField(max_length=7)
    amount = MoneyField()
    reason = pw.CharField(max_length=500)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField()
    verified_at = pw.DateTimeField(null=True)
    verified_by = pw.IntegerField(null=True)


MODELS = [
    Participant,
    ParticipantPII,
    StatusChange,
    Plan,
    PlanRevision,
    Milestone,
    MilestoneStatusChange,
    IncomeRecord,
    IncomeCorrection,
]
