"""Tables of the employers domain: companies, opportunities, consent, referrals, placements.

Nothing here copies a participant's identity in plaintext: the only personal value stored
is the contact channel she chose for one employer, encrypted like any restricted field.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, JSONField, MoneyField, utcnow
from econ.participants.models import Participant

EMPLOYER_STATUSES = ("PROSPECT", "ACTIVE", "SUSPENDED")
EMPLOYER_SIZES = ("MICRO", "SMALL", "MEDIUM", "LARGE")
OPPORTUNITY_TYPES = ("FULL_TIME", "PART_TIME", "INTERNSHIP", "APPRENTICESHIP", "SHORT_TERM")
OPPORTUNITY_STATUSES = ("DRAFT", "OPEN", "FILLED", "CLOSED")
PAY_PERIODS = ("HOURLY", "MONTHLY")
CONSENT_SCOPES = ("PROFILE", "IDENTITY")
CHANNEL_TYPES = ("PHONE", "EMAIL", "MESSAGING", "OTHER")
REFERRAL_STATUSES = ("PROPOSED", "SHARED", "INTERVIEW", "OFFERED", "HIRED", "DECLINED", "WITHDRAWN")
# An employer's "not a fit", by what did not fit (issue 19: feedback her counselor can use).
NOT_A_FIT_REASONS = ("NOT_A_FIT_SKILLS", "NOT_A_FIT_AVAILABILITY", "NOT_A_FIT_LANGUAGES")
REASON_CODES = (
    "DECLINED_BY_EMPLOYER",
    *NOT_A_FIT_REASONS,
    "DECLINED_BY_PARTICIPANT",
    "WITHDRAWN_BY_COUNSELOR",
    "CONSENT_REVOKED",
    "OPPORTUNITY_CLOSED",
    "EMPLOYER_SUSPENDED",  # set by the system when an ADMIN suspends the company
    "OTHER",
)
PLACEMENT_END_REASONS = ("RESIGNED", "DISMISSED", "CONTRACT_ENDED", "OTHER")
CHECKPOINT_DAYS = (30, 90, 180)
CHECKPOINT_STATUSES = ("DUE", "CONFIRMED_EMPLOYED", "CONFIRMED_NOT_EMPLOYED", "UNREACHABLE")


class Employer(BaseModel):
    name = pw.CharField(max_length=200)
    sector = pw.CharField(max_length=100, default="")
    size = pw.CharField(max_length=10, default="SMALL")
    agreement_signed_on = pw.DateField(null=True)
    agreement_commitments = pw.TextField(default="")
    agreement_review_on = pw.DateField(null=True)
    status = pw.CharField(max_length=10, default="PROSPECT", index=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class EmployerStatusChange(BaseModel):
    employer = pw.ForeignKeyField(Employer, backref="status_changes", on_delete="CASCADE")
    from_status = pw.CharField(max_length=10)
    to_status = pw.CharField(max_length=10)
    reason = pw.CharField(max_length=500, default="")
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)


class Opportunity(BaseModel):
    employer = pw.ForeignKeyField(Employer, backref="opportunities", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    type = pw.CharField(max_length=16)
    pay_amount = MoneyField()
    pay_period = pw.CharField(max_length=8)
    hours_per_week = pw.IntegerField()
    flexible_schedule = pw.BooleanField(default=False)
    childcare_friendly = pw.BooleanField(default=False)
    location = pw.CharField(max_length=120, default="")  # coarse: a district or town
    required_skills = JSONField(default=list)  # [{"key", "label"}]
    optional_skills = JSONField(default=list)
    languages = JSONField(default=list)
    openings = pw.IntegerField(default=1)
    closes_on = pw.DateField(null=True)
    status = pw.CharField(max_length=8, default="DRAFT", index=True)
    created_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    published_at = pw.DateTimeField(null=True)
    closed_at = pw.DateTimeField(null=True)


class WorkPreferences(BaseModel):
    """What she can and wants to work: hard filters and the schedule part of the score."""

    participant = pw.ForeignKeyField(
        Participant, unique=True, backref="work_preferences", on_delete="CASCADE"
    )
    available_hours_per_week = pw.IntegerField(null=True)
    available_from = pw.DateField(null=True)
    opportunity_types = JSONField(default=list)  # empty: any type
    needs_flexible_schedule = pw.BooleanField(default=False)
    needs_childcare_friendly = pw.BooleanField(default=False)
    minimum_pay = MoneyField(null=True)
    minimum_pay_period = pw.CharField(max_length=8, null=True)
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.IntegerField(null=True)


class Consent(BaseModel):
    """One grant; revocation stamps it. A new grant after revocation is a new row."""

    participant = pw.ForeignKeyField(Participant, backref="consents", on_delete="CASCADE")
    employer = pw.ForeignKeyField(Employer, backref="consents", on_delete="CASCADE")
    scope = pw.CharField(max_length=10)
    given_at = pw.DateTimeField(default=utcnow)
    given_by = pw.IntegerField(null=True)
    # "PARTICIPANT" (her own login) or "COUNSELOR_WITH_PARTICIPANT_PRESENT".
    recorded_as = pw.CharField(max_length=40)
    channel_type = pw.CharField(max_length=12, null=True)
    channel_value = pw.TextField(null=True)  # ciphertext, context consent.channel.<id>
    revoked_at = pw.DateTimeField(null=True)
    revoked_by = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("participant", "employer", "scope", "revoked_at"), False),)


class Referral(BaseModel):
    opportunity = pw.ForeignKeyField(Opportunity, backref="referrals", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="referrals", on_delete="CASCADE")
    employer = pw.ForeignKeyField(Employer, backref="referrals", on_delete="CASCADE")
    handle = pw.CharField(max_length=16, unique=True)
    status = pw.CharField(max_length=10, default="PROPOSED", index=True)
    reason_code = pw.CharField(max_length=24, null=True)
    note = pw.TextField(default="")  # counselor's, never shown to the employer
    created_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    shared_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("opportunity", "participant"), True),)


class ReferralStage(BaseModel):
    referral = pw.ForeignKeyField(Referral, backref="stages", on_delete="CASCADE")
    from_status = pw.CharField(max_length=10, null=True)
    to_status = pw.CharField(max_length=10)
    reason_code = pw.CharField(max_length=24, null=True)
    note = pw.CharField(max_length=500, default="")
    actor_id = pw.IntegerField(null=True)
    actor_role = pw.CharField(max_length=12)
    at = pw.DateTimeField(default=utcnow)


class Placement(BaseModel):
    referral = pw.ForeignKeyField(Referral, unique=True, backref="placement", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="placements", on_delete="CASCADE")
    employer = pw.ForeignKeyField(Employer, backref="placements", on_delete="CASCADE")
    opportunity = pw.ForeignKeyField(Opportunity, backref="placements", on_delete="CASCADE")
    type = pw.CharField(max_length=16)
    start_date = pw.DateField()
    pay_amount = MoneyField()
    pay_period = pw.CharField(max_length=8)
    hours_per_week = pw.IntegerField()
    ended_on = pw.DateField(null=True)
    end_reason = pw.CharField(max_length=16, null=True)
    end_note = pw.CharField(max_length=500, default="")
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)


class RetentionCheckpoint(BaseModel):
    placement = pw.ForeignKeyField(Placement, backref="checkpoints", on_delete="CASCADE")
    days = pw.IntegerField()
    due_on = pw.DateField()
    status = pw.CharField(max_length=24, default="DUE")
    evidence = pw.TextField(default="")  # sealed, context retention.evidence.<id>; "" none
    confirmed_at = pw.DateTimeField(null=True)
    confirmed_by = pw.IntegerField(null=True)
    confirmer_role = pw.CharField(max_length=12, null=True)

    class Meta:
        indexes = ((("placement", "days"), True),)


MODELS = [
    Employer,
    EmployerStatusChange,
    Opportunity,
    WorkPreferences,
    Consent,
    Referral,
    ReferralStage,
    Placement,
    RetentionCheckpoint,
]
