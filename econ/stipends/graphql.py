"""Stipends over GraphQL: schedules, adjustments, awards, payment runs, files, results."""

from __future__ import annotations

import graphene

from econ.participants.relations import USER
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden, visible_or_forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.loaders import Relation
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate, paginate_keyset
from econ.schema.scalars import Money, money
from econ.statements import services as statements
from econ.stipends import lifecycle, services
from econ.stipends.models import (
    END_REASONS,
    GRANT_CATEGORIES,
    LINE_KINDS,
    LINE_STATUSES,
    METHODS,
    RUN_STATES,
    SCHEDULE_STATES,
    PaymentLine,
    ScheduleEvent,
)
from econ.stipends.runs import FORMATS

ScheduleState = enum_of("StipendScheduleState", SCHEDULE_STATES)
EndReason = enum_of("StipendEndReason", END_REASONS)
PaymentMethodKind = enum_of("PaymentMethodKind", METHODS)
GrantCategory = enum_of("SupportGrantCategory", GRANT_CATEGORIES)
RunState = enum_of("PaymentRunState", RUN_STATES)
LineStatus = enum_of("PaymentLineStatus", LINE_STATUSES)
LineKind = enum_of("PaymentLineKind", LINE_KINDS)
FileFormat = enum_of("PaymentFileFormat", FORMATS)


def _money_field(name: str, description: str = "") -> graphene.Field:
    def resolve(record, info):
        return money(getattr(record, name), info.context.currency)

    return graphene.Field(Money, required=True, description=description, resolver=resolve)


def _by_field(name: str, description: str) -> graphene.Field:
    """A User field read from the record's `name` id (who created or asked for it)."""

    async def resolve(record, info):
        if not services.sees_who_decides(info.context.actor):
            return None
        return await _load_user(getattr(record, name), info)

    return graphene.Field(
        "econ.security.graphql.User", description=description + " (FINANCE)", resolver=resolve
    )


def _code_field() -> graphene.Field:
    async def resolve(record, info):
        return await PARTICIPANT_CODE.load(info, record.participant_id)

    return graphene.String(description="Her participant code (FINANCE).", resolver=resolve)


def _payable(run, info):
    """The run's payable totals, summed once per request (the panel shows them twice)."""
    key = ("payable", run.id, run.version)
    if key not in info.context.memo:
        info.context.memo[key] = services.payable_total(run)
    return info.context.memo[key]


# Participant codes of the lines and exceptions a FINANCE user reads (one query).
PARTICIPANT_CODE = Relation("participant code", services.participant_codes, actor=True)


ATTEMPTS = Relation("payment line attempts", services.line_attempts, missing=list)


async def _load_user(user_id, info):
    return None if user_id is None else await USER.load(info, user_id)


class ScheduleEventType(graphene.ObjectType):
    class Meta:
        name = "StipendScheduleEvent"

    action = graphene.String(required=True)
    from_state = graphene.Field(ScheduleState)
    to_state = graphene.Field(ScheduleState, required=True)
    reason = graphene.String(required=True)
    at = graphene.DateTime(required=True)


class StipendSchedule(graphene.ObjectType):
    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    monthly_amount = _money_field("monthly_amount")
    start_month = graphene.String(required=True)
    duration_months = graphene.Int(required=True)
    requested_duration_months = graphene.Int(description="An extension awaiting approval.")
    state = graphene.Field(ScheduleState, required=True)
    end_reason = graphene.Field(EndReason)
    version = graphene.Int(required=True)
    events = graphene.List(graphene.NonNull(ScheduleEventType), required=True)
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who created it.")
    requested_by = _by_field("requested_by", "Who asked for the extension.")

    @staticmethod
    def resolve_events(schedule, info):
        return list(schedule.events.order_by(ScheduleEvent.id))


class PaymentAttemptType(graphene.ObjectType):
    class Meta:
        name = "PaymentAttempt"

    id = graphene.ID(required=True)
    number = graphene.Int(required=True)
    reference = graphene.String(required=True, description="The bank reference (EndToEndId).")
    amount = _money_field("amount")
    status = graphene.String(required=True, description="CREATED, EXPORTED, PAID or FAILED")
    reason = graphene.String()
    file_id = graphene.ID()


class PaymentLineType(graphene.ObjectType):
    class Meta:
        name = "PaymentLine"

    id = graphene.ID(required=True)
    run_id = graphene.ID(required=True)
    kind = graphene.Field(
        LineKind, required=True, description="A month of a stipend, or a loan's principal."
    )
    schedule_id = graphene.ID(description="The stipend schedule (null for a loan line).")
    loan_id = graphene.ID(description="The loan a LOAN_DISBURSEMENT line pays out.")
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True)
    base = _money_field("base")
    earned = _money_field("earned", "Verified income of the month before.")
    taper = _money_field("taper")
    incentives = _money_field("incentives")
    adjustments = _money_field("adjustments")
    net = _money_field("net")
    remainder = _money_field("remainder", "A negative remainder that was not deducted.")
    uses_duration = graphene.Boolean(required=True)
    method = graphene.Field(PaymentMethodKind, required=True)
    status = graphene.Field(LineStatus, required=True)
    exception = graphene.String()
    failure_reason = graphene.String()
    payee_name = graphene.String(description="Snapshot of her legal name (FINANCE, audited).")
    participant_code = graphene.String(description="Her participant code (FINANCE).")
    attempts = graphene.List(graphene.NonNull(PaymentAttemptType), required=True)

    # A run page's lines come with their codes and attempts read for the whole page
    # (`_with_page_reads`): answered without the loaders, so the 50 lines complete
    # without an await each. Lines read elsewhere use the loaders.

    @staticmethod
    def resolve_participant_code(line, info):
        page = getattr(line, "page_reads", None)
        if page is not None:
            return page["code"]
        return PARTICIPANT_CODE.load(info, line.participant_id)

    @staticmethod
    def resolve_payee_name(line, info):
        with visible_or_forbidden("payeeName"):
            return services.line_payee(info.context.actor, line, info.context.reads)[0]

    @staticmethod
    def resolve_attempts(line, info):
        page = getattr(line, "page_reads", None)
        if page is not None:
            return page["attempts"]
        return ATTEMPTS.load(info, line.id)


def _with_page_reads(info, lines: list) -> None:
    """Read the codes and attempts of a page of lines in two queries: the loaders' own
    reads (`Relation.batch`; the codes only for FINANCE, as `participant_codes` decides)."""
    actor = info.context.actor
    codes = PARTICIPANT_CODE.batch(actor, [line.participant_id for line in lines])
    attempts = ATTEMPTS.batch(actor, [line.id for line in lines])
    for line, code, tried in zip(lines, codes, attempts, strict=True):
        line.page_reads = {"code": code, "attempts": tried}


PaymentLineConnection = connection_type(PaymentLineType)


class PaymentJob(graphene.ObjectType):
    kind = graphene.String()
    status = graphene.String(description="QUEUED, RUNNING, FAILED or DONE")
    done = graphene.Int(required=True)
    total = graphene.Int(required=True)
    error = graphene.String()
    task_id = graphene.String()


class RunTotalsType(graphene.ObjectType):
    class Meta:
        name = "PaymentRunTotals"

    line_count = graphene.Int(required=True)
    base = graphene.Field(Money, required=True)
    taper = graphene.Field(Money, required=True)
    incentives = graphene.Field(Money, required=True)
    adjustments = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)


class MethodTotalType(graphene.ObjectType):
    class Meta:
        name = "PaymentMethodTotal"

    method = graphene.Field(PaymentMethodKind, required=True)
    count = graphene.Int(required=True)
    held = graphene.Int(required=True, description="Lines of the method held (not sent).")
    net = _money_field("net")


class RunEventType(graphene.ObjectType):
    class Meta:
        name = "PaymentRunEvent"

    from_state = graphene.String()
    to_state = graphene.String(
        required=True, description="A state, or REJECTED (an event: the run stays CALCULATED)"
    )
    reason = graphene.String(required=True, description="The reason or comment given.")
    at = graphene.DateTime(required=True)
    by = graphene.Field("econ.security.graphql.User")

    @staticmethod
    async def resolve_by(event, info):
        return await _load_user(event.by_user, info)


class SinceLastLook(graphene.ObjectType):
    """Her previous look at the run's approval panel, and what moved since."""

    version = graphene.Int(required=True)
    count = graphene.Int(required=True)
    total = _money_field("total")
    at = graphene.DateTime(required=True)
    events = graphene.List(graphene.NonNull(RunEventType), required=True)


class ControlTotals(graphene.ObjectType):
    """Frozen on approval: the payable lines (held lines are not sent)."""

    count = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)
    hash = graphene.String(required=True)


class ExceptionResolutionType(graphene.ObjectType):
    class Meta:
        name = "PaymentExceptionResolution"

    status = graphene.String(required=True, description="ACKNOWLEDGED or RESOLVED")
    note = graphene.String(required=True)
    by = graphene.Field("econ.security.graphql.User")
    at = graphene.DateTime(required=True)

    @staticmethod
    async def resolve_by(resolution, info):
        return await _load_user(resolution.by_user, info)


class PaymentException(graphene.ObjectType):
    key = graphene.String(required=True, description="Names it for resolvePaymentException.")
    run_id = graphene.ID()
    period = graphene.String()
    source = graphene.String(required=True, description="LINE, SCHEDULE or RECONCILIATION")
    kind = graphene.String(required=True)
    line_id = graphene.ID()
    schedule_id = graphene.ID()
    participant_id = graphene.ID()
    reference = graphene.String()
    amount = graphene.Field(Money)
    detail = graphene.String(required=True, description="What happened, in plain words.")
    participant_code = graphene.String(description="Her participant code.")
    resolution = graphene.Field(ExceptionResolutionType)

    @staticmethod
    async def resolve_participant_code(item, info):
        if item.participant_id is None:
            return None
        return await PARTICIPANT_CODE.load(info, item.participant_id)

    @staticmethod
    def resolve_amount(item, info):
        return money(item.amount, info.context.currency)


class PaymentFileType(graphene.ObjectType):
    class Meta:
        name = "PaymentFile"

    id = graphene.ID(required=True)
    method = graphene.Field(PaymentMethodKind, required=True)
    batch = graphene.Int(required=True)
    format = graphene.String(required=True, description="SEPA, CSV or CASH_LIST")
    filename = graphene.String(required=True)
    sha256 = graphene.String(required=True)
    count = graphene.Int(required=True)
    total = _money_field("total")
    created_at = graphene.DateTime(required=True)
    content = graphene.String(description="The file itself (FINANCE, audited).")

    @staticmethod
    def resolve_content(file, info):
        return services.file_content(info.context.actor, file.id)


class PayableTotals(graphene.ObjectType):
    """What approving the run now would freeze (give `total` as approval's controlTotal)."""

    count = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)


class StatementsProgress(graphene.ObjectType):
    done = graphene.Int(required=True, description="Statements written for the run's lines.")
    total = graphene.Int(required=True, description="Lines of the run (0 until completed).")


class PaymentRun(graphene.ObjectType):
    id = graphene.ID(required=True)
    period = graphene.String(required=True)
    kind = graphene.String(required=True, description="MAIN, or FOLLOW_UP of `parentId`")
    parent_id = graphene.ID()
    state = graphene.Field(RunState, required=True)
    version = graphene.Int(required=True)
    job = graphene.Field(PaymentJob, required=True)
    totals = graphene.Field(RunTotalsType, required=True)
    control = graphene.Field(ControlTotals, description="Null before approval.")
    payable = graphene.Field(
        PayableTotals, required=True, description="The lines approval would freeze (FINANCE)."
    )
    control_hash = graphene.String()
    lines = connection_field(
        PaymentLineConnection,
        "Lines of the run.",
        status=LineStatus(),
        exception=graphene.String(description="An exception kind (PAYMENT_FAILED: failed)."),
        participant_code=graphene.String(description="Her participant code, exactly."),
    )
    by_method = graphene.List(
        graphene.NonNull(MethodTotalType), required=True, description="Totals per method."
    )
    events = graphene.List(
        graphene.NonNull(RunEventType), required=True, description="Every move, oldest first."
    )
    since_last_look = graphene.Field(
        SinceLastLook,
        description="What you saw before this look (and records this one); null the first "
        "time (FINANCE).",
    )
    approval_obstacle = graphene.String(
        description="Why you cannot approve it now: CREATOR, AMOUNT_AUTHOR, REJECTED or "
        "NOT_READY; null when you can (FINANCE)."
    )
    exceptions = graphene.List(
        graphene.NonNull(PaymentException),
        required=True,
        first=graphene.Int(description="At most this many (lines first)."),
    )
    exception_count = graphene.Int(required=True, description="All of them (FINANCE).")
    created_by = graphene.Field("econ.security.graphql.User")
    approved_by = graphene.Field("econ.security.graphql.User")
    approved_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)
    files = graphene.List(graphene.NonNull(PaymentFileType), required=True)
    settings = graphene.JSONString(description="The settings the calculation used.")
    statements_progress = graphene.Field(
        StatementsProgress,
        description="Participant statements of a completed run; null without statements.",
    )

    @staticmethod
    def resolve_statements_progress(run, info):
        done, total = statements.run_progress(run.id, run.state)
        return StatementsProgress(done=done, total=total)

    @staticmethod
    def resolve_job(run, info):
        return PaymentJob(
            kind=run.job_kind,
            status=run.job_status,
            done=run.job_done,
            total=run.job_total,
            error=run.job_error,
            task_id=run.job_task_id,
        )

    @staticmethod
    def resolve_totals(run, info):
        totals = services.run_totals(run)
        cur = info.context.currency
        return RunTotalsType(
            line_count=totals.line_count,
            **{
                k: money(getattr(totals, k), cur)
                for k in ("base", "taper", "incentives", "adjustments", "net")
            },
        )

    @staticmethod
    def resolve_payable(run, info):
        if info.context.actor is None or info.context.actor.role.value != "FINANCE":
            raise forbidden("payable")
        payable = _payable(run, info)
        return PayableTotals(count=payable.count, total=money(payable.total, info.context.currency))

    @staticmethod
    def resolve_control(run, info):
        if run.control_hash is None:
            return None
        return ControlTotals(
            count=run.control_count,
            total=money(run.control_total, info.context.currency),
            hash=run.control_hash,
        )

    @staticmethod
    def resolve_lines(
        run, info, first=None, after=None, status=None, exception=None, participant_code=None
    ):
        status = enum_value(status)
        exception = (exception or "")[:24] or None
        code = (participant_code or "")[:12] or None
        query = services.run_lines(
            info.context.actor, run, status, exception=exception, participant_code=code
        )
        # Keyset pages; the count of a status or exception filter from the run's summary
        # (one grouped query, kept while the run is frozen), of her code by a COUNT.
        total = None if code else services.summary_of(run).count(status, exception)
        page = paginate_keyset(PaymentLineConnection, query, PaymentLine.id, first, after, total)
        _with_page_reads(info, [edge.node for edge in page.edges])
        return page

    @staticmethod
    def resolve_by_method(run, info):
        return services.totals_by_method(info.context.actor, run)

    @staticmethod
    def resolve_events(run, info):
        return services.run_events(info.context.actor, run)

    @staticmethod
    def resolve_since_last_look(run, info):
        return services.since_last_look(info.context.actor, run, _payable(run, info))

    @staticmethod
    def resolve_approval_obstacle(run, info):
        return services.approval_obstacle(info.context.actor, run)

    @staticmethod
    def resolve_exceptions(run, info, first=None):
        limit = None if first is None else max(0, min(first, 100))
        return services.run_exceptions(info.context.actor, run, limit)

    @staticmethod
    def resolve_exception_count(run, info):
        return services.exception_count(info.context.actor, run)

    @staticmethod
    async def resolve_created_by(run, info):
        return await _load_user(run.created_by, info)

    @staticmethod
    async def resolve_approved_by(run, info):
        return await _load_user(run.approved_by, info)

    @staticmethod
    def resolve_files(run, info):
        return services.run_files(info.context.actor, run)


PaymentRunConnection = connection_type(PaymentRun)


class Queries:
    stipend_schedule = graphene.Field(StipendSchedule, id=graphene.ID(required=True))
    payment_runs = connection_field(
        PaymentRunConnection, "Payment runs (FINANCE).", state=RunState()
    )
    payment_run = graphene.Field(PaymentRun, id=graphene.ID(required=True))
    payment_file = graphene.Field(
        PaymentFileType, id=graphene.ID(required=True), description="One file (FINANCE)."
    )
    payee_status = graphene.Field(
        "econ.stipends.graphql.PayeeStatusType",
        participant_id=graphene.ID(required=True),
        description="Whether her payment details hold her payments (FINANCE).",
    )
    pending_amounts = graphene.Field(
        "econ.stipends.graphql.PendingAmounts",
        description="Awards and adjustments waiting for a second FINANCE user (FINANCE).",
    )
    payment_exceptions = graphene.List(
        graphene.NonNull(PaymentException),
        required=True,
        open_only=graphene.Boolean(description="Leave out the resolved ones."),
        description="Every run's exceptions in one list, newest run first (FINANCE).",
    )
    fraud_signals = graphene.List(
        graphene.NonNull("econ.stipends.graphql.SharedAccountSignal"),
        required=True,
        description="IBANs on more than one participant (FINANCE).",
    )

    @staticmethod
    def resolve_pending_amounts(root, info):
        awards, adjustments = services.pending_amounts(info.context.actor)
        return PendingAmounts(awards=awards, adjustments=adjustments)

    @staticmethod
    def resolve_payment_exceptions(root, info, open_only=False):
        return services.all_exceptions(info.context.actor, open_only=bool(open_only))

    @staticmethod
    def resolve_fraud_signals(root, info):
        return services.fraud_signals(info.context.actor)

    @staticmethod
    def resolve_stipend_schedule(root, info, id):
        return or_none(lambda: services.get_schedule(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_payment_runs(root, info, first=None, after=None, state=None):
        query = services.list_runs(info.context.actor, enum_value(state))
        return paginate(PaymentRunConnection, query, first, after)

    @staticmethod
    def resolve_payee_status(root, info, participant_id):
        return or_none(lambda: services.payee_status(info.context.actor, parse_id(participant_id)))

    @staticmethod
    def resolve_payment_file(root, info, id):
        return or_none(lambda: services.get_file(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_payment_run(root, info, id):
        return or_none(lambda: services.get_run(info.context.actor, parse_id(id)))


# ---- mutations ---------------------------------------------------------------------------


class CreateStipendScheduleInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    monthly_amount = graphene.String(description="Default: the program's monthly base.")
    start_month = graphene.String(required=True)
    duration_months = graphene.Int(required=True)


class CreateStipendSchedule(BaseMutation):
    class Arguments:
        input = CreateStipendScheduleInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule = services.create_schedule(
            actor,
            parse_id(data["participant_id"], "participantId"),
            monthly_amount=data.get("monthly_amount"),
            start_month=data["start_month"],
            duration_months=data["duration_months"],
        )
        return {"schedule": schedule}


class ScheduleIdInput(graphene.InputObjectType):
    schedule_id = graphene.ID(required=True)


class ApproveStipendScheduleInput(ScheduleIdInput):
    comment = graphene.String(description="Your note, kept with the approval.")


class ApproveStipendSchedule(BaseMutation):
    """FINANCE, not the creator: a draft, or a requested extension."""

    class Arguments:
        input = ApproveStipendScheduleInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        comment = data.get("comment") or ""
        return {"schedule": services.approve_schedule(actor, schedule_id, comment)}


class RejectStipendScheduleInput(ScheduleIdInput):
    comment = graphene.String(required=True, description="Why: kept with the schedule.")


class RejectStipendSchedule(BaseMutation):
    """FINANCE, not the creator: refuse a draft (it ends) or a requested extension."""

    class Arguments:
        input = RejectStipendScheduleInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        return {"schedule": services.reject_schedule(actor, schedule_id, data["comment"])}


class PauseStipendInput(ScheduleIdInput):
    reason = graphene.String(required=True)


class PauseStipend(BaseMutation):
    class Arguments:
        input = PauseStipendInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        return {"schedule": services.pause_schedule(actor, schedule_id, data["reason"])}


class ResumeStipendInput(ScheduleIdInput):
    reason = graphene.String(required=True)


class ResumeStipend(BaseMutation):
    class Arguments:
        input = ResumeStipendInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        return {"schedule": services.resume_schedule(actor, schedule_id, data["reason"])}


class EndStipendInput(ScheduleIdInput):
    reason = graphene.Field(EndReason, required=True)
    note = graphene.String()


class EndStipend(BaseMutation):
    class Arguments:
        input = EndStipendInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule = services.end_schedule(
            actor,
            parse_id(data["schedule_id"], "scheduleId"),
            enum_value(data["reason"]),
            data.get("note") or "",
        )
        return {"schedule": schedule}


class ExtendStipendInput(ScheduleIdInput):
    duration_months = graphene.Int(required=True)


class ExtendStipend(BaseMutation):
    """Ask for a longer schedule; it applies once another FINANCE user approves."""

    class Arguments:
        input = ExtendStipendInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        return {"schedule": services.extend_schedule(actor, schedule_id, data["duration_months"])}


class SetPaymentMethodInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    method = graphene.Field(PaymentMethodKind, required=True)
    card_reference = graphene.String()


class SetPaymentMethod(BaseMutation):
    class Arguments:
        input = SetPaymentMethodInput(required=True)

    method = graphene.Field(PaymentMethodKind)

    @classmethod
    def perform(cls, info, actor, data):
        row = services.set_payment_method(
            actor,
            parse_id(data["participant_id"], "participantId"),
            enum_value(data["method"]),
            data.get("card_reference"),
        )
        return {"method": row.method}


class Adjustment(graphene.ObjectType):
    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True)
    amount = _money_field("amount")
    category = graphene.Field(GrantCategory, description="Set for a support grant.")
    reason = graphene.String(required=True)
    state = graphene.String(required=True)
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who entered it.")


class CreateAdjustmentInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True)
    amount = graphene.String(required=True, description="Signed, e.g. -50.00")
    reason = graphene.String(required=True)
    category = graphene.Field(GrantCategory)


class CreateAdjustment(BaseMutation):
    class Arguments:
        input = CreateAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment = services.create_adjustment(
            actor,
            parse_id(data["participant_id"], "participantId"),
            period=data["period"],
            amount=data["amount"],
            reason=data["reason"],
            category=enum_value(data.get("category")),
        )
        return {"adjustment": adjustment}


class ApproveAdjustmentInput(graphene.InputObjectType):
    adjustment_id = graphene.ID(required=True)
    comment = graphene.String(description="Your note, kept with the approval.")


class ApproveAdjustment(BaseMutation):
    class Arguments:
        input = ApproveAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment_id = parse_id(data["adjustment_id"], "adjustmentId")
        comment = data.get("comment") or ""
        return {"adjustment": services.approve_adjustment(actor, adjustment_id, comment)}


class RejectAdjustmentInput(graphene.InputObjectType):
    adjustment_id = graphene.ID(required=True)
    comment = graphene.String(required=True, description="Why: it is never paid.")


class RejectAdjustment(BaseMutation):
    """A FINANCE user other than its creator refuses it; it is never paid."""

    class Arguments:
        input = RejectAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment_id = parse_id(data["adjustment_id"], "adjustmentId")
        return {"adjustment": services.reject_adjustment(actor, adjustment_id, data["comment"])}


class IncentiveAwardType(graphene.ObjectType):
    class Meta:
        name = "IncentiveAward"

    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    rule = graphene.String(required=True)
    amount = _money_field("amount")
    note = graphene.String(required=True)
    paid = graphene.Boolean(required=True)
    state = graphene.String(
        required=True, description="PENDING until a second FINANCE user approves (or REJECTED)"
    )
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who entered it; null for an automatic award.")
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_paid(award, info):
        return award.paid_line_id is not None


class CreateIncentiveAwardInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    note = graphene.String(required=True)
    reference = graphene.String(description="Your id for this award: repeats are no-ops.")


class CreateIncentiveAward(BaseMutation):
    """A MANUAL award by FINANCE, paid once by the next run."""

    class Arguments:
        input = CreateIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award = services.create_manual_award(
            actor,
            parse_id(data["participant_id"], "participantId"),
            data["amount"],
            data["note"],
            data.get("reference"),
        )
        return {"award": award}


class CreatePaymentRunInput(graphene.InputObjectType):
    period = graphene.String(required=True, description="YYYY-MM")


class CreatePaymentRun(BaseMutation):
    """Open the run for a month and start its calculation in the background."""

    class Arguments:
        input = CreatePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        return {"run": services.create_run(actor, data["period"])}


class RunIdInput(graphene.InputObjectType):
    run_id = graphene.ID(required=True)


class RecalculatePaymentRunInput(RunIdInput):
    pass


class RecalculatePaymentRun(BaseMutation):
    class Arguments:
        input = RecalculatePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        return {"run": services.recalculate_run(actor, parse_id(data["run_id"], "runId"))}


class ApprovePaymentRunInput(RunIdInput):
    version = graphene.Int(
        required=True, description="The version you reviewed; a newer one is a conflict."
    )
    control_total = graphene.String(
        required=True, description="The control total you reviewed, e.g. 16100.00."
    )


class ApprovePaymentRun(BaseMutation):
    """A FINANCE user who neither created the run nor authored an amount in it; freezes
    the control totals."""

    class Arguments:
        input = ApprovePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.approve_run(
            actor, parse_id(data["run_id"], "runId"), data["version"], data["control_total"]
        )
        return {"run": run}


class RejectPaymentRunInput(RunIdInput):
    version = graphene.Int(required=True, description="The version you reviewed.")
    comment = graphene.String(required=True, description="Why: the creator reads it.")


class RejectPaymentRun(BaseMutation):
    """A FINANCE user other than the creator sends the calculated run back with a comment;
    it cannot be approved until it is recalculated."""

    class Arguments:
        input = RejectPaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.reject_run(
            actor, parse_id(data["run_id"], "runId"), data["version"], data["comment"]
        )
        return {"run": run}


class CancelPaymentRunInput(RunIdInput):
    reason = graphene.String(required=True)


class CancelPaymentRun(BaseMutation):
    class Arguments:
        input = CancelPaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.cancel_run(actor, parse_id(data["run_id"], "runId"), data["reason"])
        return {"run": run}


class DisbursePaymentRunInput(RunIdInput):
    format = graphene.Field(FileFormat, required=True, description="For bank transfers.")


class DisbursePaymentRun(BaseMutation):
    """Write the payment files in the background (cards: CSV, cash: a signing list)."""

    class Arguments:
        input = DisbursePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.disburse_run(
            actor, parse_id(data["run_id"], "runId"), enum_value(data["format"])
        )
        return {"run": run}


class ImportSummaryType(graphene.ObjectType):
    class Meta:
        name = "PaymentResultImport"

    rows = graphene.Int(required=True)
    paid = graphene.Int(required=True)
    failed = graphene.Int(required=True)
    returned = graphene.Int(required=True)
    unchanged = graphene.Int(required=True)
    exceptions = graphene.Int(required=True, description="New reconciliation exceptions.")
    run_state = graphene.Field(RunState, required=True)


class ImportPaymentResultsInput(RunIdInput):
    file = graphene.String(required=True, description="The result CSV as text.")
    dry_run = graphene.Boolean(
        description="Only say what importing would do; nothing changes (the summary "
        "before applying). `exceptions` then counts the rows that would be listed."
    )


class ImportPaymentResults(BaseMutation):
    class Arguments:
        input = ImportPaymentResultsInput(required=True)

    result = graphene.Field(ImportSummaryType)
    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run_id = parse_id(data["run_id"], "runId")
        if data.get("dry_run"):
            summary = services.preview_results(actor, run_id, data["file"])
            fields = {k: v for k, v in summary.__dict__.items() if k != "changed_lines"}
            return {"result": ImportSummaryType(**fields), "run": services.get_run(actor, run_id)}
        before = lifecycle.state_of(run_id)  # for the completion hook only; never returned
        summary = services.import_results(actor, run_id, data["file"])
        lifecycle.settled(run_id, before, summary.run_state)
        if before == summary.run_state:  # a completed run's statements are rewritten here
            lifecycle.lines_changed(summary.changed_lines)
        fields = {k: v for k, v in summary.__dict__.items() if k != "changed_lines"}
        return {
            "result": ImportSummaryType(**fields),
            "run": services.get_run(actor, run_id),
        }


class RetryPaymentLineInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    override = graphene.Boolean(description="Needed when she has exited.")
    reason = graphene.String()


class RetryPaymentLine(BaseMutation):
    """A failed line gets a new attempt; the export job writes it to a new file."""

    class Arguments:
        input = RetryPaymentLineInput(required=True)

    line = graphene.Field(PaymentLineType)
    attempt = graphene.Field(PaymentAttemptType)

    @classmethod
    def perform(cls, info, actor, data):
        attempt = services.retry_line(
            actor,
            parse_id(data["line_id"], "lineId"),
            override=bool(data.get("override")),
            reason=data.get("reason"),
        )
        return {"attempt": attempt, "line": PaymentLine.get_by_id(attempt.line_id)}


class PayeeToConfirmType(graphene.ObjectType):
    class Meta:
        name = "PayeeToConfirm"

    participant_id = graphene.ID(required=True)
    participant_code = _code_field()
    kind = graphene.String(required=True, description="PAYEE_UNCONFIRMED or SHARED_ACCOUNT")
    line_id = graphene.ID(required=True)
    run_id = graphene.ID(required=True)


class PendingAmounts(graphene.ObjectType):
    awards = graphene.List(graphene.NonNull(IncentiveAwardType), required=True)
    adjustments = graphene.List(graphene.NonNull(Adjustment), required=True)
    schedules = graphene.List(
        graphene.NonNull(StipendSchedule),
        required=True,
        description="Draft schedules and requested extensions.",
    )
    payees = graphene.List(
        graphene.NonNull(PayeeToConfirmType),
        required=True,
        description="Held until a second FINANCE user confirms her payment details.",
    )

    @staticmethod
    def resolve_schedules(root, info):
        return services.pending_schedules(info.context.actor)

    @staticmethod
    def resolve_payees(root, info):
        return services.payees_to_confirm(info.context.actor)


class SharedAccountSignal(graphene.ObjectType):
    account_key = graphene.String(required=True, description="Not the IBAN: a short hash.")
    participant_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    explained = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Participants for whom a reason was recorded.",
    )

    @staticmethod
    def resolve_account_key(signal, info):
        return signal.account_hash

    @staticmethod
    def resolve_explained(signal, info):
        return sorted(signal.reasons)


class ApproveIncentiveAwardInput(graphene.InputObjectType):
    award_id = graphene.ID(required=True)
    comment = graphene.String(description="Your note, kept with the approval.")


class ApproveIncentiveAward(BaseMutation):
    """A FINANCE user who did not cause the award; only then can a run pay it."""

    class Arguments:
        input = ApproveIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award_id = parse_id(data["award_id"], "awardId")
        return {"award": services.approve_award(actor, award_id, data.get("comment") or "")}


class RejectIncentiveAwardInput(graphene.InputObjectType):
    award_id = graphene.ID(required=True)
    comment = graphene.String(required=True, description="Why: it is never paid.")


class RejectIncentiveAward(BaseMutation):
    """A FINANCE user who did not cause the award refuses it; it is never paid."""

    class Arguments:
        input = RejectIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award_id = parse_id(data["award_id"], "awardId")
        return {"award": services.reject_award(actor, award_id, data["comment"])}


class ConfirmPayeeInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    note = graphene.String(required=True, description="How you checked it.")
    shared_reason = graphene.String(
        description="Required when another participant has the same account: why."
    )


class ConfirmPayee(BaseMutation):
    """A FINANCE user other than the changer confirms her current payment details."""

    class Arguments:
        input = ConfirmPayeeInput(required=True)

    confirmed = graphene.Boolean()

    @classmethod
    def perform(cls, info, actor, data):
        services.confirm_payee(
            actor,
            parse_id(data["participant_id"], "participantId"),
            data["note"],
            data.get("shared_reason"),
        )
        return {"confirmed": True}


class PayeeStatusType(graphene.ObjectType):
    class Meta:
        name = "PayeeStatus"

    participant_id = graphene.ID(required=True)
    hold = graphene.String(description="Why her payments are held now; null: payable.")
    detail = graphene.String(required=True, description="The hold in plain words.")
    changed_by_you = graphene.Boolean(
        required=True, description="You changed her details: another FINANCE user confirms."
    )
    shared = graphene.Boolean(
        required=True, description="Another participant has the same account."
    )
    confirmed_by = graphene.Field("econ.security.graphql.User")
    confirmed_at = graphene.DateTime()
    confirmation_note = graphene.String()

    @staticmethod
    async def resolve_confirmed_by(status, info):
        row = status.confirmation
        return await _load_user(row.confirmed_by if row else None, info)

    @staticmethod
    def resolve_confirmed_at(status, info):
        return status.confirmation.created_at if status.confirmation else None

    @staticmethod
    def resolve_confirmation_note(status, info):
        return status.confirmation.note if status.confirmation else None


class CreateFollowUpRunInput(graphene.InputObjectType):
    period = graphene.String(required=True, description="YYYY-MM of the main run")


class CreateFollowUpRun(BaseMutation):
    """Pay the month's held and failed lines that can be paid now (approved as any run)."""

    class Arguments:
        input = CreateFollowUpRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        return {"run": services.create_followup_run(actor, data["period"])}


class ResolvePaymentExceptionInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    status = graphene.String(required=True, description="ACKNOWLEDGED or RESOLVED")
    note = graphene.String(required=True)


class ResolvePaymentException(BaseMutation):
    class Arguments:
        input = ResolvePaymentExceptionInput(required=True)

    exception = graphene.Field(PaymentException)

    @classmethod
    def perform(cls, info, actor, data):
        item = services.resolve_exception(actor, data["key"], data["status"], data["note"])
        return {"exception": item}


class Mutations:
    create_stipend_schedule = CreateStipendSchedule.Field()
    approve_stipend_schedule = ApproveStipendSchedule.Field()
    pause_stipend = PauseStipend.Field()
    resume_stipend = ResumeStipend.Field()
    end_stipend = EndStipend.Field()
    extend_stipend = ExtendStipend.Field()
    set_payment_method = SetPaymentMethod.Field()
    create_adjustment = CreateAdjustment.Field()
    approve_adjustment = ApproveAdjustment.Field()
    create_incentive_award = CreateIncentiveAward.Field()
    create_payment_run = CreatePaymentRun.Field()
    recalculate_payment_run = RecalculatePaymentRun.Field()
    approve_payment_run = ApprovePaymentRun.Field()
    reject_payment_run = RejectPaymentRun.Field()
    cancel_payment_run = CancelPaymentRun.Field()
    disburse_payment_run = DisbursePaymentRun.Field()
    import_payment_results = ImportPaymentResults.Field()
    retry_payment_line = RetryPaymentLine.Field()
    approve_incentive_award = ApproveIncentiveAward.Field()
    reject_incentive_award = RejectIncentiveAward.Field()
    reject_adjustment = RejectAdjustment.Field()
    reject_stipend_schedule = RejectStipendSchedule.Field()
    confirm_payee = ConfirmPayee.Field()
    create_follow_up_run = CreateFollowUpRun.Field()
    resolve_payment_exception = ResolvePaymentException.Field()
