"""Stipends over GraphQL: schedules, adjustments, awards, payment runs, files, results."""

from __future__ import annotations

import graphene

from econ.errors import PermissionDenied
from econ.participants.services import counselors_by_id
from econ.plugins import optional_import
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money
from econ.stipends import jobs, services
from econ.stipends.models import (
    END_REASONS,
    GRANT_CATEGORIES,
    LINE_STATUSES,
    METHODS,
    RUN_STATES,
    SCHEDULE_STATES,
    PaymentAttempt,
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
FileFormat = enum_of("PaymentFileFormat", FORMATS)


def _money_field(name: str, description: str = "") -> graphene.Field:
    def resolve(record, info):
        return money(getattr(record, name), info.context.currency)

    return graphene.Field(Money, required=True, description=description, resolver=resolve)


def _user_loader(info):
    def batch(ids):
        found = counselors_by_id(ids)
        return [found.get(i) for i in ids]

    return info.context.loader("user.by_id", batch)


async def _load_user(user_id, info):
    return None if user_id is None else await _user_loader(info).load(user_id)


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
    schedule_id = graphene.ID(required=True)
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
    attempts = graphene.List(graphene.NonNull(PaymentAttemptType), required=True)

    @staticmethod
    def resolve_payee_name(line, info):
        try:
            return services.line_payee(info.context.actor, line)[0]
        except PermissionDenied:
            raise forbidden("payeeName") from None

    @staticmethod
    async def resolve_attempts(line, info):
        def batch(ids):
            found: dict[int, list] = {i: [] for i in ids}
            for attempt in (
                PaymentAttempt.select()
                .where(PaymentAttempt.line.in_(list(ids)))
                .order_by(PaymentAttempt.number)
            ):
                found[attempt.line_id].append(attempt)
            return [found[i] for i in ids]

        return await info.context.loader("payment_line.attempts", batch).load(line.id)


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


class ControlTotals(graphene.ObjectType):
    """Frozen on approval: the payable lines (held lines are not sent)."""

    count = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)
    hash = graphene.String(required=True)


class PaymentException(graphene.ObjectType):
    source = graphene.String(required=True, description="LINE, SCHEDULE or RECONCILIATION")
    kind = graphene.String(required=True)
    line_id = graphene.ID()
    schedule_id = graphene.ID()
    participant_id = graphene.ID()
    reference = graphene.String()
    amount = graphene.Field(Money)
    detail = graphene.String(required=True)

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


class StatementsProgress(graphene.ObjectType):
    done = graphene.Int(required=True, description="Statements written for the run's lines.")
    total = graphene.Int(required=True, description="Lines of the run (0 until completed).")


class PaymentRun(graphene.ObjectType):
    id = graphene.ID(required=True)
    period = graphene.String(required=True)
    state = graphene.Field(RunState, required=True)
    version = graphene.Int(required=True)
    job = graphene.Field(PaymentJob, required=True)
    totals = graphene.Field(RunTotalsType, required=True)
    control = graphene.Field(ControlTotals, description="Null before approval.")
    control_hash = graphene.String()
    lines = connection_field(PaymentLineConnection, "Lines of the run.", status=LineStatus())
    exceptions = graphene.List(graphene.NonNull(PaymentException), required=True)
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
        statements = optional_import("econ.statements.services")
        if statements is None:
            return None
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
        totals = services.run_totals(run.id)
        cur = info.context.currency
        return RunTotalsType(
            line_count=totals.line_count,
            **{
                k: money(getattr(totals, k), cur)
                for k in ("base", "taper", "incentives", "adjustments", "net")
            },
        )

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
    def resolve_lines(run, info, first=None, after=None, status=None):
        query = services.run_lines(info.context.actor, run.id, enum_value(status))
        return paginate(PaymentLineConnection, query, first, after)

    @staticmethod
    def resolve_exceptions(run, info):
        return services.run_exceptions(info.context.actor, run.id)

    @staticmethod
    async def resolve_created_by(run, info):
        return await _load_user(run.created_by, info)

    @staticmethod
    async def resolve_approved_by(run, info):
        return await _load_user(run.approved_by, info)

    @staticmethod
    def resolve_files(run, info):
        return services.run_files(info.context.actor, run.id)


PaymentRunConnection = connection_type(PaymentRun)


class Queries:
    stipend_schedule = graphene.Field(StipendSchedule, id=graphene.ID(required=True))
    payment_runs = connection_field(
        PaymentRunConnection, "Payment runs (FINANCE).", state=RunState()
    )
    payment_run = graphene.Field(PaymentRun, id=graphene.ID(required=True))

    @staticmethod
    def resolve_stipend_schedule(root, info, id):
        return or_none(lambda: services.get_schedule(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_payment_runs(root, info, first=None, after=None, state=None):
        query = services.list_runs(info.context.actor, enum_value(state))
        return paginate(PaymentRunConnection, query, first, after)

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
    pass


class ApproveStipendSchedule(BaseMutation):
    """FINANCE, not the creator: a draft, or a requested extension."""

    class Arguments:
        input = ApproveStipendScheduleInput(required=True)

    schedule = graphene.Field(StipendSchedule)

    @classmethod
    def perform(cls, info, actor, data):
        schedule_id = parse_id(data["schedule_id"], "scheduleId")
        return {"schedule": services.approve_schedule(actor, schedule_id)}


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


class ApproveAdjustment(BaseMutation):
    class Arguments:
        input = ApproveAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment_id = parse_id(data["adjustment_id"], "adjustmentId")
        return {"adjustment": services.approve_adjustment(actor, adjustment_id)}


class IncentiveAwardType(graphene.ObjectType):
    class Meta:
        name = "IncentiveAward"

    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    rule = graphene.String(required=True)
    amount = _money_field("amount")
    note = graphene.String(required=True)
    paid = graphene.Boolean(required=True)

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
    version = graphene.Int(description="The version you reviewed; a newer one is a conflict.")


class ApprovePaymentRun(BaseMutation):
    """A FINANCE user other than the creator; freezes the control totals."""

    class Arguments:
        input = ApprovePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.approve_run(actor, parse_id(data["run_id"], "runId"), data.get("version"))
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


class ImportPaymentResults(BaseMutation):
    class Arguments:
        input = ImportPaymentResultsInput(required=True)

    result = graphene.Field(ImportSummaryType)
    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run_id = parse_id(data["run_id"], "runId")
        before = jobs.run_state(run_id)  # for the completion hook only; never returned
        summary = services.import_results(actor, run_id, data["file"])
        jobs.run_settled(run_id, before, summary.run_state)
        return {
            "result": ImportSummaryType(**summary.__dict__),
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
    cancel_payment_run = CancelPaymentRun.Field()
    disburse_payment_run = DisbursePaymentRun.Field()
    import_payment_results = ImportPaymentResults.Field()
    retry_payment_line = RetryPaymentLine.Field()
