"""Microcredit mutations on groups: create one, members, status, savings, collection sheets."""

from __future__ import annotations

from datetime import date

import graphene

from econ.errors import DomainError
from econ.microcredit import services
from econ.microcredit.graphql.enums import (
    AttendanceStatus,
    GroupStatus,
    MeetingFrequency,
    MemberRole,
    Weekday,
)
from econ.microcredit.graphql.groups import LoanGroupType, MeetingType
from econ.microcredit.graphql.portfolio import CollectionSheetType, sheet_type
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class CreateLoanGroupInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    meeting_frequency = MeetingFrequency(required=True)
    meeting_weekday = Weekday(required=True)
    meeting_place = graphene.String(description="Coarse place, e.g. 'community centre'.")
    savings_per_meeting = graphene.String(description='Decimal string, e.g. "5.00".')


class CreateLoanGroup(BaseMutation):
    """COUNSELOR forms a solidarity group (FORMING)."""

    class Arguments:
        input = CreateLoanGroupInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.create_group(
            actor,
            name=data["name"],
            meeting_frequency=enum_value(data["meeting_frequency"]),
            meeting_weekday=enum_value(data["meeting_weekday"]),
            meeting_place=data.get("meeting_place") or "",
            savings_per_meeting=data.get("savings_per_meeting") or "0.00",
        )
        return {"group": group}


class AddGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    role = MemberRole(description="LEADER replaces the current leader.")


class AddGroupMember(BaseMutation):
    class Arguments:
        input = AddGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        member = services.add_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            enum_value(data.get("role")) or "MEMBER",
        )
        return {"group": member.group}


class RemoveGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)


class RemoveGroupMember(BaseMutation):
    class Arguments:
        input = RemoveGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.remove_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
        )
        return {"group": group}


class SetGroupStatusInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    status = GroupStatus(required=True)


class SetGroupStatus(BaseMutation):
    class Arguments:
        input = SetGroupStatusInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.set_group_status(
            actor, parse_id(data["group_id"], "groupId"), enum_value(data["status"])
        )
        return {"group": group}


class RecordSavingsContributionInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date()


class RecordSavingsContribution(BaseMutation):
    class Arguments:
        input = RecordSavingsContributionInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        contribution = services.record_savings_contribution(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            data["amount"],
            data.get("paid_on") or date.today(),
        )
        return {"group": contribution.group}


class CollectionSheetRowInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    attendance = AttendanceStatus(required=True)
    amount = graphene.String(description="Repayment collected (decimal string).")
    savings = graphene.String(description="Savings collected (decimal string).")


class SaveCollectionSheetInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    rows = graphene.List(graphene.NonNull(CollectionSheetRowInput), required=True)


class SaveCollectionSheet(BaseMutation):
    """All rows in one transaction; the first bad row (rows.<i>.<field>) aborts all."""

    class Arguments:
        input = SaveCollectionSheetInput(required=True)

    meeting = graphene.Field(MeetingType)
    sheet = graphene.Field(CollectionSheetType)

    @classmethod
    def perform(cls, info, actor, data):
        rows = []
        for index, row in enumerate(data["rows"]):
            row = dict(row)
            try:
                pid = parse_id(row["participant_id"], f"rows.{index}.participantId")
            except DomainError:
                pid = None
            rows.append({**row, "participant_id": pid, "attendance": enum_value(row["attendance"])})
        group_id = parse_id(data["group_id"], "groupId")
        meeting = services.save_collection_sheet(actor, group_id, data["date"], rows)
        sheet = services.collection_sheet(actor, group_id, data["date"])
        return {"meeting": meeting, "sheet": sheet_type(sheet)}
