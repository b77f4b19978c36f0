"""Microcredit queries: schedule preview, groups, loans, portfolio, collection sheets."""

from __future__ import annotations

from datetime import date

import graphene

from econ.microcredit import services
from econ.microcredit.graphql.enums import (
    LoanState,
)
from econ.microcredit.graphql.groups import LoanGroupConnection, LoanGroupType
from econ.microcredit.graphql.loans import LoanConnection, LoanType
from econ.microcredit.graphql.portfolio import (
    CollectionSheetType,
    PortfolioType,
    portfolio_type,
    sheet_type,
)
from econ.microcredit.graphql.preview import (
    LoanSchedulePreviewInput,
    SchedulePreview,
    schedule_preview,
)
from econ.microcredit.graphql.shared import actor_of
from econ.microcredit.models import (
    Loan,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.pagination import connection_field, paginate


class Queries:
    loan_schedule_preview = graphene.Field(
        graphene.NonNull(SchedulePreview),
        input=LoanSchedulePreviewInput(required=True),
        description="Any schedule, computed and not saved (Fineract cumulative conventions).",
    )
    loan_groups = connection_field(LoanGroupConnection, "Loan groups you may see.")
    loan_group = graphene.Field(LoanGroupType, id=graphene.ID(required=True))
    loans = connection_field(
        LoanConnection,
        "Loans you may see.",
        state=LoanState(),
        write_off_pending=graphene.Boolean(description="Only those with a write-off proposed."),
    )
    loan = graphene.Field(LoanType, id=graphene.ID(required=True))
    portfolio = graphene.Field(
        graphene.NonNull(PortfolioType),
        as_of=graphene.Date(),
        group_id=graphene.ID(),
        description="PAR30, arrears rate and delinquency buckets as of a date (default today).",
    )
    collection_sheet = graphene.Field(
        graphene.NonNull(CollectionSheetType),
        group_id=graphene.ID(required=True),
        date=graphene.Date(required=True),
    )

    @staticmethod
    def resolve_loan_schedule_preview(root, info, input):
        return schedule_preview(info, input)

    @staticmethod
    def resolve_loan_groups(root, info, first=None, after=None):
        return paginate(LoanGroupConnection, services.visible_groups(actor_of(info)), first, after)

    @staticmethod
    def resolve_loan_group(root, info, id):
        return or_none(services.get_group, actor_of(info), parse_id(id))

    @staticmethod
    def resolve_loans(root, info, first=None, after=None, state=None, write_off_pending=None):
        query = services.visible_loans(actor_of(info))
        if state is not None:
            query = query.where(Loan.state == enum_value(state))
        if write_off_pending:
            query = query.where(
                (Loan.state == "DISBURSED") & Loan.write_off_requested_by.is_null(False)
            )
        return paginate(LoanConnection, query, first, after)

    @staticmethod
    def resolve_loan(root, info, id):
        return or_none(services.get_loan, actor_of(info), parse_id(id))

    @staticmethod
    def resolve_portfolio(root, info, as_of=None, group_id=None):
        group = parse_id(group_id, "groupId", required=False)
        return portfolio_type(services.portfolio(actor_of(info), as_of or date.today(), group))

    @staticmethod
    def resolve_collection_sheet(root, info, group_id, date):
        return sheet_type(
            services.collection_sheet(actor_of(info), parse_id(group_id, "groupId"), date)
        )
