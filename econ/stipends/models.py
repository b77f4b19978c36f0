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

SCHEDULE_STATES = ("DRAFT", "APPROVED", "ACTIVE", "PAUSED", "ENDED")
LIVE_SCHEDULE_STATES = ("DRAFT", "APPROVED", "ACTIVE", "PAUSED")
END_REASONS = ("DURATION_USED", "INDEPENDENCE", "EXIT", "MANUAL")
METHODS = ("BANK_TRANSFER", "PREPAID_CARD", "CASH")
GRANT_CATEGORIES = ("TRANSPORT", "CHILDCARE", "EQUIPMENT", "EDUCATION_FEES", "EMERGENCY", "OTHER")
ADJUSTMENT_STATES = ("PENDING", "APPROVED", "REJECTED")
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
RUN_KINDS = ("MAIN", "FOLLOW_UP")
# What a line pays: a month of a stipend schedule, or a loan's principal (issue 15).
LINE_KINDS = ("STIPEND", "LOAN_DISBURSEMENT")
STIPEND, LOAN = LINE_KINDS  # a month of a schedule; a loan's principal paid out
RESOLUTIONS = ("ACKNOWLEDGED", "RESOLVED")
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
    # Computed from a verified income correction (no second approval: nobody chose it);
    # unique, so one correction never adjusts twice.
    correction_id = pw.IntegerField(null=True, unique=True)


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
    # A FOLLOW_UP run pays lines of its MAIN run (`parent_id`) that became payable.
    kind = pw.CharField(max_length=10, default="MAIN")
    parent_id = pw.IntegerField(null=True, index=True)


# At most one non-cancelled main run per period (follow-up runs share its period).
PaymentRun.add_index(
    PaymentRun.index(PaymentRun.period, unique=True, name="payment_run_one_per_period").where(
        (PaymentRun.state != "CANCELLED") & (PaymentRun.kind == "MAIN")
    )
)


class PaymentRunChunk(BaseModel):
    """One chunk task of a run's calculation (issue 21): generation `generation`'s
    schedules with ids in (after_id, last_id] (the last chunk has no upper bound), and
    what it wrote once DONE. The run's lines and this row's DONE are one transaction, so
    a chunk killed or delivered twice writes nothing twice (docs/stipends.md "Chunks")."""

    run = pw.ForeignKeyField(PaymentRun, backref="chunks", on_delete="CASCADE", index=False)
    generation = pw.IntegerField()
    number = pw.IntegerField()
    after_id = pw.IntegerField()
    last_id = pw.IntegerField(null=True)
    state = pw.CharField(max_length=8, default="PENDING")  # PENDING or DONE
    schedules = pw.IntegerField(default=0)  # schedules taken (the run's progress)
    line_count = pw.IntegerField(default=0)
    net = MoneyField(default=0)
    notes = JSONField(null=True)  # schedules ended or skipped, gathered by the last chunk
    done_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("run", "generation", "number"), True),)


class PaymentExportChunk(BaseModel):
    """One chunk task of a run's export (issue 21): round `round`'s payable lines with ids
    in (after_id, last_id] (the last chunk has no upper bound). Once DONE, `kept` holds
    what the files need that no attempt stores: {method: [[attempt id, screened BIC]]},
    the attempts it prepared. Its holds, attempts and DONE are one transaction
    (docs/stipends.md "Export chunks")."""

    run = pw.ForeignKeyField(PaymentRun, backref="export_chunks", on_delete="CASCADE", index=False)
    round = pw.CharField(max_length=64)  # the planning task's id: one export of the run
    number = pw.IntegerField()
    after_id = pw.IntegerField()
    last_id = pw.IntegerField(null=True)
    state = pw.CharField(max_length=8, default="PENDING")  # PENDING or DONE
    lines = pw.IntegerField(default=0)  # lines taken (the export's progress)
    kept = JSONField(null=True)
    done_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("run", "round", "number"), True),)


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
    # A STIPEND line pays a month of its schedule; a LOAN_DISBURSEMENT line has none.
    schedule = pw.ForeignKeyField(StipendSchedule, null=True, backref="lines", on_delete="RESTRICT")
    kind = pw.CharField(max_length=20, default="STIPEND")
    # The loan a LOAN_DISBURSEMENT line pays out (an id: microcredit sits above stipends).
    # Unique: one line per loan, every payment of it an attempt of that line.
    loan_id = pw.IntegerField(null=True, unique=True)
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
    # In the control totals a second person approved (set at approval for PENDING lines,
    # or by the approval of the follow-up run that took the line over).
    approved = pw.BooleanField(default=False)
    # The follow-up run that pays this line now (its main run no longer exports it).
    followup_run_id = pw.IntegerField(null=True, index=True)

    class Meta:
        indexes = (
            (("schedule", "period"), True),  # never two lines for one month of one schedule
            (("run", "status"), False),
        )


# Every figure of the run page in one grouped scan of the index alone (econ/stipends/summary.py):
# the grouping columns first, in the order of the GROUP BY, then the amounts summed.
PaymentLine.add_index(
    PaymentLine.index(
        PaymentLine.run,
        PaymentLine.method,
        PaymentLine.status,
        PaymentLine.exception,
        PaymentLine.followup_run_id,
        PaymentLine.base,
        PaymentLine.taper,
        PaymentLine.incentives,
        PaymentLine.adjustments,
        PaymentLine.net,
        name="payment_line_run_summary",
    )
)
# A run's lines in id order (pages of lines, its exceptions) without sorting the run (m0026).
PaymentLine.add_index(
    PaymentLine.index(PaymentLine.run, PaymentLine.id, name="payment_line_run_order")
)


class PaymentFile(BaseModel):
    run = pw.ForeignKeyField(PaymentRun, backref="files", on_delete="CASCADE")
    method = pw.CharField(max_length=16)
    batch = pw.IntegerField()
    format = pw.CharField(max_length=10)  # SEPA, CSV, CASH_LIST
    filename = pw.CharField(max_length=80)
    sha256 = pw.CharField(max_length=64)  # of the whole content, checked on every read
    count = pw.IntegerField()
    total = MoneyField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("run", "method", "batch"), True),)


class PaymentFileChunk(BaseModel):
    """A piece of a file's content, sealed on its own: payment_file.content.<file>.<number>
    (read and written by file_store.py only)."""

    file = pw.ForeignKeyField(PaymentFile, backref="chunks", on_delete="CASCADE", index=False)
    number = pw.IntegerField()
    content = pw.TextField()

    class Meta:
        indexes = ((("file", "number"), True),)


class PaymentAttempt(BaseModel):
    line = pw.ForeignKeyField(PaymentLine, backref="attempts", on_delete="RESTRICT")
    number = pw.IntegerField()
    # The run whose file carries it (the line's run, or the follow-up run paying it).
    run_id = pw.IntegerField(null=True, index=True)
    # Payee details as they were when the attempt was written (encrypted per attempt).
    method = pw.CharField(max_length=16, null=True)
    payee_hash = pw.CharField(max_length=64, default="")  # keyed hash of method|account
    payee_name = pw.TextField(null=True)  # encrypted: payment_attempt.payee_name.<reference>
    account = pw.TextField(null=True)  # encrypted: payment_attempt.account.<reference>
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
    line_id = pw.IntegerField(null=True)
    participant_id = pw.IntegerField(null=True)
    source = pw.CharField(max_length=12, default="CSV")  # CSV, PAIN002 or CAMT054

    class Meta:
        indexes = ((("run", "key"), True),)


class PayeeConfirmation(BaseModel):
    """A FINANCE user (not the one who changed them) confirmed her payee details.

    `payee_hash` is the keyed hash of method|account; `shared_reason` is set when the
    account is also another participant's and someone recorded why (a fraud signal)."""

    participant = pw.ForeignKeyField(
        Participant, backref="payee_confirmations", on_delete="CASCADE"
    )
    payee_hash = pw.CharField(max_length=64)
    changed_by = pw.IntegerField(null=True)
    confirmed_by = pw.IntegerField()
    note = pw.CharField(max_length=500, default="")
    shared_reason = pw.CharField(max_length=500, null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("participant", "payee_hash"), True),)


class ExceptionResolution(BaseModel):
    """Who acknowledged or resolved an exception, with a note. `key` names the exception:
    LINE:<line>:<kind>, SCHEDULE:<run>:<schedule>:<kind> or RECONCILIATION:<id>."""

    key = pw.CharField(max_length=80, unique=True)
    status = pw.CharField(max_length=12)  # ACKNOWLEDGED or RESOLVED
    note = pw.CharField(max_length=500)
    by_user = pw.IntegerField()
    at = pw.DateTimeField(default=utcnow)


class RunView(BaseModel):
    """Each version of a run a FINANCE user saw on its approval panel (its payable count
    and total, the snapshot of its lines, when she last looked at it), so that the panel
    tells her what changed since the version she saw before (m0016, m0027)."""

    run = pw.ForeignKeyField(PaymentRun, backref="views", on_delete="CASCADE")
    user_id = pw.IntegerField()
    version = pw.IntegerField()
    count = pw.IntegerField()
    total = MoneyField()
    at = pw.DateTimeField(default=utcnow)
    snapshot_id = pw.IntegerField(null=True)  # RunSnapshot; null for looks before m0027

    class Meta:
        indexes = ((("run", "user_id", "version"), True),)


class RunSnapshot(BaseModel):
    """A calculation's lines as the approval panel showed them: one per run and
    generation (lines change only with a recalculation while the run is CALCULATED), so
    that two versions a reviewer saw are compared line by line in the database."""

    run = pw.ForeignKeyField(PaymentRun, backref="snapshots", on_delete="CASCADE", index=False)
    generation = pw.IntegerField()
    count = pw.IntegerField()  # payable lines
    total = MoneyField()  # payable total
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("run", "generation"), True),)


class RunSnapshotLine(BaseModel):
    """One line of a snapshot: what it pays whom. `subject_id` is its schedule (STIPEND)
    or its loan (LOAN_DISBURSEMENT): the same line of two calculations has new ids."""

    snapshot = pw.ForeignKeyField(RunSnapshot, backref="lines", on_delete="CASCADE", index=False)
    kind = pw.CharField(max_length=20)
    subject_id = pw.IntegerField()
    participant_id = pw.IntegerField()
    net = MoneyField()
    status = pw.CharField(max_length=8)

    class Meta:
        indexes = ((("snapshot", "kind", "subject_id"), True),)


# Awards are earned in other pipelines (training, employers, microcredit) through
# `awards.grant_award` and paid exactly once by the next payment run.
class IncentiveAward(BaseModel):
    participant = pw.ForeignKeyField(Participant, backref="incentive_awards", on_delete="CASCADE")
    rule = pw.CharField(max_length=24)
    source_type = pw.CharField(max_length=24)  # e.g. "enrollment", "placement", "loan", "manual"
    source_id = pw.CharField(max_length=40)
    amount = MoneyField()
    note = pw.CharField(max_length=200, default="")
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    # Set by the payment run that pays it (a line id); null while unpaid.
    paid_line_id = pw.IntegerField(null=True, index=True)
    # Money in needs four eyes: a run pays an award only once a FINANCE user who did not
    # cause it (not `created_by`) approved it.
    state = pw.CharField(max_length=10, default="PENDING")
    approved_by = pw.IntegerField(null=True)
    approved_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("participant", "rule", "source_type", "source_id"), True),)


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
    PayeeConfirmation,
    ExceptionResolution,
    RunView,
    RunSnapshot,
    RunSnapshotLine,
    IncentiveAward,
]
