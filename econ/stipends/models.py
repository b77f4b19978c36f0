"""Tables of stipends and payment runs (awards are in `awards.py`).

Money columns are cents. Uniqueness that protects money is enforced by the database,
not by checks in code: one live schedule per participant, one non-cancelled run per
period, one line per schedule and period across all runs, one attempt per line and
number, one file per run, method and batch.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, JSONField, MoneyField, utcnow
from econ.participants.models import Participant
from econ.security.crypto import decrypt, encrypt

SCHEDULE_STATES = ("DRAFT", "APPROVED", "ACTIVE", "PAUSED", "ENDED")
LIVE_SCHEDULE_STATES = ("DRAFT", "APPROVED", "ACTIVE", "PAUSED")
END_REASONS = ("DURATION_USED", "INDEPENDENCE", "EXIT", "MANUAL")
METHODS = ("BANK_TRANSFER", "PREPAID_CARD", "CASH")
GRANT_CATEGORIES = ("TRANSPORT", "CHILDCARE", "EQUIPMENT", "EDUCATION_FEES", "EMERGENCY", "OTHER")
ADJUSTMENT_STATES = ("PENDING", "APPROVED")
RUN_STATES = (
    "DRAFT",
    "CALCULATING",
    "CALCULATED",
    "APPROVED",
    "DISBURSING",
    "COMPLETED",
    "COMPLETED_WITH_FAILURES",
    "CANCELLED",
)
JOB_STATUSES = ("QUEUED", "RUNNING", "FAILED", "DONE")
LINE_STATUSES = ("PENDING", "HELD", "SENT", "PAID", "FAILED")
ATTEMPT_STATUSES = ("CREATED", "EXPORTED", "PAID", "FAILED")


class PaymentMethod(BaseModel):
    participant = pw.ForeignKeyField(
        Participant, unique=True, backref="payment_method", on_delete="CASCADE"
    )
    method = pw.CharField(max_length=16)
    card_reference = pw.TextField(null=True)  # encrypted: payment_method.card_reference.<pid>
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.IntegerField(null=True)


class StipendSchedule(BaseModel):
    participant = pw.ForeignKeyField(Participant, backref="stipend_schedules", on_delete="CASCADE")
    monthly_amount = MoneyField()
    start_month = pw.CharField(max_length=7)
    duration_months = pw.IntegerField()
    # An extension waits here for a second approval; payments go on meanwhile.
    requested_duration_months = pw.IntegerField(null=True)
    requested_by = pw.IntegerField(null=True)
    state = pw.CharField(max_length=10, default="DRAFT")
    end_reason = pw.CharField(max_length=16, null=True)
    version = pw.IntegerField(default=1)
    created_by = pw.IntegerField(null=True)
    approved_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)


# A participant has at most one schedule that is not ENDED.
StipendSchedule.add_index(
    StipendSchedule.index(
        StipendSchedule.participant, unique=True, name="stipend_schedule_one_live"
    ).where(StipendSchedule.state != "ENDED")
)


class ScheduleEvent(BaseModel):
    """Append-only history: every schedule transition with its reason."""

    schedule = pw.ForeignKeyField(StipendSchedule, backref="events", on_delete="CASCADE")
    action = pw.CharField(max_length=20)
    from_state = pw.CharField(max_length=10, null=True)
    to_state = pw.CharField(max_length=10)
    reason = pw.CharField(max_length=500, default="")
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)


class Adjustment(BaseModel):
    """A one-off amount for a period; with a category it is a support grant."""

    participant = pw.ForeignKeyField(Participant, backref="adjustments", on_delete="CASCADE")
    period = pw.CharField(max_length=7)
    amount = MoneyField()  # signed
    category = pw.CharField(max_length=16, null=True)
    reason = pw.CharField(max_length=500)
    state = pw.CharField(max_length=10, default="PENDING")
    created_by = pw.IntegerField(null=True)
    approved_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    paid_line_id = pw.IntegerField(null=True, index=True)


class PaymentRun(BaseModel):
    period = pw.CharField(max_length=7, index=True)
    state = pw.CharField(max_length=24, default="DRAFT")
    version = pw.IntegerField(default=1)
    # Bumped by every (re)calculation; a task of an older generation stops.
    generation = pw.IntegerField(default=0)
    job_kind = pw.CharField(max_length=12, null=True)  # CALCULATE or DISBURSE
    job_status = pw.CharField(max_length=8, null=True)
    job_done = pw.IntegerField(default=0)
    job_total = pw.IntegerField(default=0)
    job_error = pw.CharField(max_length=500, null=True)
    job_task_id = pw.CharField(max_length=64, null=True)
    settings = JSONField(null=True)  # the program settings the calculation used
    transfer_format = pw.CharField(max_length=8, null=True)  # SEPA or CSV
    created_by = pw.IntegerField()
    created_at = pw.DateTimeField(default=utcnow)
    approved_by = pw.IntegerField(null=True)
    approved_at = pw.DateTimeField(null=True)
    control_count = pw.IntegerField(null=True)
    control_total = MoneyField(null=True)
    control_hash = pw.CharField(max_length=64, null=True)
    control_by_method = JSONField(null=True)  # {method: {"count": n, "total": "12.34"}}
    exceptions = JSONField(default=list)  # review notes of the calculation (no PII)


# At most one non-cancelled run per period.
PaymentRun.add_index(
    PaymentRun.index(PaymentRun.period, unique=True, name="payment_run_one_per_period").where(
        PaymentRun.state != "CANCELLED"
    )
)


class RunEvent(BaseModel):
    """Append-only: every run transition (actor, from, to, reason)."""

    run = pw.ForeignKeyField(PaymentRun, backref="events", on_delete="CASCADE")
    from_state = pw.CharField(max_length=24, null=True)
    to_state = pw.CharField(max_length=24)
    reason = pw.CharField(max_length=500, default="")
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)


class PaymentLine(BaseModel):
    run = pw.ForeignKeyField(PaymentRun, backref="lines", on_delete="CASCADE")
    schedule = pw.ForeignKeyField(StipendSchedule, backref="lines", on_delete="RESTRICT")
    participant = pw.ForeignKeyField(Participant, backref="payment_lines", on_delete="RESTRICT")
    period = pw.CharField(max_length=7)
    base = MoneyField()
    earned = MoneyField()
    taper = MoneyField()
    incentives = MoneyField()
    adjustments = MoneyField()
    net = MoneyField()
    remainder = MoneyField(default=0)  # negative remainder not paid (reported)
    uses_duration = pw.BooleanField()
    method = pw.CharField(max_length=16)
    payee_name = pw.TextField(null=True)  # encrypted: payment_line.payee_name.<run>.<schedule>
    account = pw.TextField(null=True)  # encrypted: payment_line.account.<run>.<schedule>
    account_hash = pw.CharField(max_length=64, default="")
    inputs = JSONField()  # settings and ids used (no PII)
    status = pw.CharField(max_length=8, default="PENDING")
    exception = pw.CharField(max_length=24, null=True)
    failure_reason = pw.CharField(max_length=500, null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("schedule", "period"), True),  # never two lines for one month of one schedule
            (("run", "status"), False),
        )


class SealedTextField(pw.TextField):
    """Text encrypted at rest under one context (a payment file lists names and IBANs)."""

    def __init__(self, context: str, *args, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        return None if value is None else encrypt(value, self.context)

    def python_value(self, value):
        if value is None or not value.startswith("v1:"):
            return value  # written before sealing: readable as it was stored
        return decrypt(value, self.context)


class PaymentFile(BaseModel):
    run = pw.ForeignKeyField(PaymentRun, backref="files", on_delete="CASCADE")
    method = pw.CharField(max_length=16)
    batch = pw.IntegerField()
    format = pw.CharField(max_length=10)  # SEPA, CSV, CASH_LIST
    filename = pw.CharField(max_length=80)
    content = SealedTextField("payment_file.content")
    sha256 = pw.CharField(max_length=64)
    count = pw.IntegerField()
    total = MoneyField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("run", "method", "batch"), True),)


class PaymentAttempt(BaseModel):
    line = pw.ForeignKeyField(PaymentLine, backref="attempts", on_delete="RESTRICT")
    number = pw.IntegerField()
    reference = pw.CharField(max_length=35, unique=True)  # the SEPA EndToEndId
    amount = MoneyField()
    status = pw.CharField(max_length=8, default="CREATED")
    file = pw.ForeignKeyField(PaymentFile, null=True, backref="attempts", on_delete="RESTRICT")
    reason = pw.CharField(max_length=500, null=True)
    override_reason = pw.CharField(max_length=500, null=True)
    created_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    resolved_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("line", "number"), True),)


class ResultImport(BaseModel):
    run = pw.ForeignKeyField(PaymentRun, backref="imports", on_delete="CASCADE")
    sha256 = pw.CharField(max_length=64)
    rows = pw.IntegerField()
    changes = pw.IntegerField()
    exceptions = pw.IntegerField()
    created_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)


class ReconciliationException(BaseModel):
    run = pw.ForeignKeyField(PaymentRun, backref="reconciliation_exceptions", on_delete="CASCADE")
    key = pw.CharField(max_length=64)  # sha256 of reference, kind and row content
    reference = pw.CharField(max_length=35)
    kind = pw.CharField(max_length=24)
    status = pw.CharField(max_length=8)
    amount = MoneyField()
    reason = pw.CharField(max_length=500, default="")
    detail = pw.CharField(max_length=300, default="")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("run", "key"), True),)


MODELS = [
    PaymentMethod,
    StipendSchedule,
    ScheduleEvent,
    Adjustment,
    PaymentRun,
    RunEvent,
    PaymentLine,
    PaymentFile,
    PaymentAttempt,
    ResultImport,
    ReconciliationException,
]
