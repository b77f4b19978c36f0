"""Portfolio figures (PAR30, arrears, buckets) and collection sheets as GraphQL types."""

from __future__ import annotations

import graphene

from econ.microcredit.arrears import Portfolio
from econ.microcredit.graphql.enums import (
    AttendanceStatus,
    MemberRole,
)
from econ.microcredit.graphql.shared import amount
from econ.microcredit.meetings import CollectionSheet


class Bucket(graphene.ObjectType):
    class Meta:
        name = "DelinquencyBucket"

    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    outstanding = graphene.String(required=True)


class PortfolioType(graphene.ObjectType):
    class Meta:
        name = "Portfolio"

    as_of = graphene.Date(required=True)
    loan_count = graphene.Int(required=True)
    outstanding_principal = graphene.String(required=True)
    par30 = graphene.String(
        required=True, description="CGAP PAR30: principal of loans >30 days late / outstanding."
    )
    par30_principal = graphene.String(required=True)
    arrears_rate = graphene.String(
        required=True, description="Overdue principal / outstanding principal (not PAR)."
    )
    overdue_principal = graphene.String(required=True)
    buckets = graphene.List(graphene.NonNull(Bucket), required=True)


def portfolio_type(p: Portfolio) -> PortfolioType:
    return PortfolioType(
        as_of=p.as_of,
        loan_count=p.loans,
        outstanding_principal=amount(p.outstanding_principal),
        par30=str(p.par30),
        par30_principal=amount(p.par30_principal),
        arrears_rate=str(p.arrears_rate),
        overdue_principal=amount(p.overdue_principal),
        buckets=[
            Bucket(label=b.label, count=b.count, outstanding=amount(b.outstanding))
            for b in p.buckets
        ],
    )


class SheetRowType(graphene.ObjectType):
    class Meta:
        name = "CollectionSheetRow"

    participant_id = graphene.ID(required=True)
    preferred_name = graphene.String(required=True)
    role = graphene.Field(MemberRole, required=True)
    loan_id = graphene.ID()
    amount_due = graphene.String(required=True)
    savings_due = graphene.String(required=True)
    attendance = graphene.Field(AttendanceStatus)
    paid = graphene.String(required=True)
    saved = graphene.String(required=True)


class CollectionSheetType(graphene.ObjectType):
    class Meta:
        name = "CollectionSheet"

    group_id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    saved = graphene.Boolean(required=True, description="True once the meeting is recorded.")
    rows = graphene.List(graphene.NonNull(SheetRowType), required=True)


def sheet_type(sheet: CollectionSheet) -> CollectionSheetType:
    return CollectionSheetType(
        group_id=sheet.group.id,
        date=sheet.date,
        saved=sheet.saved,
        rows=[
            SheetRowType(
                participant_id=r.participant_id,
                preferred_name=r.preferred_name,
                role=r.role,
                loan_id=r.loan_id,
                amount_due=amount(r.amount_due),
                savings_due=amount(r.savings_due),
                attendance=r.attendance,
                paid=amount(r.paid),
                saved=amount(r.saved),
            )
            for r in sheet.rows
        ],
    )
