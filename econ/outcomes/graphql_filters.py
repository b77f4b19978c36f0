"""GraphQL surface of saved caseload filters: `savedCaseloadFilters`,
`saveCaseloadFilter`, `deleteCaseloadFilter` (a counselor's own; econ/outcomes/saved_filters.py)."""

from __future__ import annotations

import graphene

from econ.outcomes import saved_filters
from econ.outcomes.graphql import (
    CaseloadFilterInput,
    CaseloadSort,
    CaseloadSortField,
    _caseload_filter,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate


class SavedCaseloadFilterType(graphene.ObjectType):
    """A choice of her caseload page she named; apply it as `caseload(filter:, sort:)`."""

    class Meta:
        name = "SavedCaseloadFilter"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    search = graphene.String(required=True)
    status = graphene.Field("econ.participants.graphql.ParticipantStatus")
    pathway = graphene.Field("econ.participants.graphql.Pathway")
    has_overdue_milestones = graphene.Boolean()
    in_arrears = graphene.Boolean()
    stipend_months_left_at_most = graphene.Int()
    sort = CaseloadSortField(required=True)
    descending = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)


SavedCaseloadFilterConnection = connection_type(SavedCaseloadFilterType)


class Queries:
    saved_caseload_filters = connection_field(
        SavedCaseloadFilterConnection, "COUNSELOR: her saved caseload filters, by name."
    )

    @staticmethod
    def resolve_saved_caseload_filters(root, info, first=None, after=None):
        query = saved_filters.saved_filters(info.context.actor)
        return paginate(SavedCaseloadFilterConnection, query, first, after)


class SaveCaseloadFilterInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="1 to 60 characters; hers once.")
    filter = CaseloadFilterInput()
    sort = CaseloadSort()


class SaveCaseloadFilter(BaseMutation):
    """Keep the caseload's filter and sorting under a name (the same name replaces it)."""

    class Arguments:
        input = SaveCaseloadFilterInput(required=True)

    saved_filter = graphene.Field(SavedCaseloadFilterType)

    @classmethod
    def perform(cls, info, actor, data):
        sort = data.get("sort") or {}
        choice = saved_filters.CaseloadChoice(
            _caseload_filter(data.get("filter")),
            enum_value(sort.get("field")) or "NAME",
            bool(sort.get("descending")),
        )
        return {"saved_filter": saved_filters.save_filter(actor, data["name"], choice)}


class DeleteCaseloadFilterInput(graphene.InputObjectType):
    id = graphene.ID(required=True)


class DeleteCaseloadFilter(BaseMutation):
    """Delete one of her saved filters."""

    class Arguments:
        input = DeleteCaseloadFilterInput(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, actor, data):
        filter_id = parse_id(data["id"], "id")
        saved_filters.delete_filter(actor, filter_id)
        return {"deleted_id": filter_id}


class Mutations:
    save_caseload_filter = SaveCaseloadFilter.Field()
    delete_caseload_filter = DeleteCaseloadFilter.Field()
