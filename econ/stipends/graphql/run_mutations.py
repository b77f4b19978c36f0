"""Mutations of payment runs: create, recalculate, approve, reject, cancel, disburse, import
the bank's results, retry, follow up; payees; and the root `Mutations`."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.stipends import lifecycle, services
from econ.stipends.graphql.amount_mutations import (
    ApproveAdjustment,
    ApproveIncentiveAward,
    CreateAdjustment,
    CreateIncentiveAward,
    RejectAdjustment,
    RejectIncentiveAward,
)
from econ.stipends.graphql.base import FileFormat
from econ.stipends.graphql.exception_types import PaymentException
from econ.stipends.graphql.line_types import PaymentAttemptType, PaymentLineType
from econ.stipends.graphql.review_types import ImportSummaryType
from econ.stipends.graphql.run_types import PaymentRun
from econ.stipends.graphql.schedule_mutations import (
    ApproveStipendSchedule,
    CreateStipendSchedule,
    EndStipend,
    ExtendStipend,
    PauseStipend,
    RejectStipendSchedule,
    ResumeStipend,
    SetPaymentMethod,
)
from econ.stipends.models import (
    PaymentLine,
)


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
    comment = graphene.String(description="Your comment, kept with the approval (optional).")


class ApprovePaymentRun(BaseMutation):
    """A FINANCE user who neither created the run nor authored an amount in it; freezes
    the control totals."""

    class Arguments:
        input = ApprovePaymentRunInput(required=True)

    run = graphene.Field(PaymentRun)

    @classmethod
    def perform(cls, info, actor, data):
        run = services.approve_run(
            actor,
            parse_id(data["run_id"], "runId"),
            data["version"],
            data["control_total"],
            comment=data.get("comment"),
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
