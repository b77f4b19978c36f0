"""Her plan over GraphQL: revise or change it, agree to it, a milestone's status."""

from __future__ import annotations

import graphene

from econ.participants import services
from econ.participants.graphql.types import (
    MilestoneCategory,
    MilestoneStatus,
    MilestoneType,
    Pathway,
    PlanType,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class MilestoneInput(graphene.InputObjectType):
    id = graphene.ID(description="Keep an existing milestone (and its status).")
    title = graphene.String(required=True)
    category = MilestoneCategory(required=True)
    due_date = graphene.String(description="YYYY-MM-DD")


class RevisePlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    pathways = graphene.List(graphene.NonNull(Pathway), required=True)
    target_monthly_income = graphene.String(description='Decimal string, e.g. "1400.00".')
    milestones = graphene.List(graphene.NonNull(MilestoneInput))


class RevisePlan(BaseMutation):
    """Write a new plan revision; earlier revisions stay readable; she agrees afterwards."""

    class Arguments:
        input = RevisePlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        milestones = [
            {**dict(m), "category": enum_value(m.get("category"))}
            for m in data.get("milestones") or []
        ]
        plan = services.revise_plan(
            actor,
            parse_id(data["participant_id"], "participantId"),
            pathways=[enum_value(p) for p in data["pathways"]],
            target_monthly_income=data.get("target_monthly_income"),
            milestones=milestones,
        )
        return {"plan": plan}


class MilestonePatchInput(graphene.InputObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(description="Left out: unchanged.")
    category = MilestoneCategory(description="Left out: unchanged.")
    due_date = graphene.String(description="YYYY-MM-DD; left out: unchanged.")
    clear_due_date = graphene.Boolean(description="Remove the due date.")


class NewMilestoneInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    category = MilestoneCategory(required=True)
    due_date = graphene.String(description="YYYY-MM-DD")


class ChangePlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    base_revision = graphene.Int(
        required=True, description="The revision this changes (REVISION_CHANGED if not current)."
    )
    pathways = graphene.List(graphene.NonNull(Pathway), description="Left out: unchanged.")
    target_monthly_income = graphene.String(description='"1400.00"; left out: unchanged.')
    clear_target_monthly_income = graphene.Boolean()
    update = graphene.List(graphene.NonNull(MilestonePatchInput), description="Only these change.")
    add = graphene.List(graphene.NonNull(NewMilestoneInput))
    drop = graphene.List(graphene.NonNull(graphene.ID), description="Marked DROPPED, kept.")


class ChangePlan(BaseMutation):
    """The next revision as a change to the current one: only the milestones named change;
    every other one stays as it is. Every bad field is reported at once."""

    class Arguments:
        input = ChangePlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        change = services.PlanChange(
            base_revision=data["base_revision"],
            pathways=[enum_value(p) for p in data["pathways"]]
            if data.get("pathways") is not None
            else None,
            target_monthly_income=data.get("target_monthly_income"),
            clear_target=bool(data.get("clear_target_monthly_income")),
            update=[
                services.MilestonePatch(
                    id=parse_id(p["id"], f"update.{i}.id"),
                    title=p.get("title"),
                    category=enum_value(p.get("category")) if p.get("category") else None,
                    due_date=p.get("due_date"),
                    clear_due_date=bool(p.get("clear_due_date")),
                )
                for i, p in enumerate(data.get("update") or [])
            ],
            add=[
                {**dict(m), "category": enum_value(m.get("category"))}
                for m in data.get("add") or []
            ],
            drop=[parse_id(m, f"drop.{i}") for i, m in enumerate(data.get("drop") or [])],
        )
        plan = services.change_plan(
            actor, parse_id(data["participant_id"], "participantId"), change
        )
        return {"plan": plan}


class AgreeToPlanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    revision = graphene.Int(description="The revision she read (REVISION_CHANGED if not current).")


class AgreeToPlan(BaseMutation):
    """The participant co-signs the current revision of her plan."""

    class Arguments:
        input = AgreeToPlanInput(required=True)

    plan = graphene.Field(PlanType)

    @classmethod
    def perform(cls, info, actor, data):
        return {
            "plan": services.agree_to_plan(
                actor, parse_id(data["participant_id"], "participantId"), data.get("revision")
            )
        }


class SetMilestoneStatusInput(graphene.InputObjectType):
    milestone_id = graphene.ID(required=True)
    status = MilestoneStatus(required=True)
    note = graphene.String()


class SetMilestoneStatus(BaseMutation):
    """Complete, start, reopen or drop a milestone (history kept)."""

    class Arguments:
        input = SetMilestoneStatusInput(required=True)

    milestone = graphene.Field(MilestoneType)

    @classmethod
    def perform(cls, info, actor, data):
        milestone = services.set_milestone_status(
            actor,
            parse_id(data["milestone_id"], "milestoneId"),
            enum_value(data["status"]),
            data.get("note") or "",
        )
        return {"milestone": milestone}
