"""Mutations of stipend schedules: create, approve or reject, pause, resume, end, extend;
her payment method."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.stipends import services
from econ.stipends.graphql.base import EndReason, PaymentMethodKind
from econ.stipends.graphql.line_types import StipendSchedule


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
