"""Stipends' queries: schedules, runs, what waits for approval, payee status."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.pagination import connection_field, paginate, paginate_list
from econ.stipends import services
from econ.stipends.graphql.base import RunState
from econ.stipends.graphql.exception_types import PaymentExceptionConnection
from econ.stipends.graphql.line_types import StipendSchedule
from econ.stipends.graphql.review_types import PendingAmounts, SharedAccountSignalConnection
from econ.stipends.graphql.run_types import (
    PaymentFileType,
    PaymentRun,
    PaymentRunConnection,
)


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
    payment_exceptions = connection_field(
        PaymentExceptionConnection,
        "Every run's exceptions in one list, newest run first (FINANCE).",
        open_only=graphene.Boolean(description="Leave out the resolved ones."),
    )
    fraud_signals = connection_field(
        SharedAccountSignalConnection, "IBANs on more than one participant (FINANCE)."
    )

    @staticmethod
    def resolve_pending_amounts(root, info):
        awards, adjustments = services.pending_amounts(info.context.actor)
        return PendingAmounts(awards=awards, adjustments=adjustments)

    @staticmethod
    def resolve_payment_exceptions(root, info, first=None, after=None, open_only=False):
        found = services.all_exceptions(info.context.actor, open_only=bool(open_only))
        return paginate_list(PaymentExceptionConnection, found, first, after)

    @staticmethod
    def resolve_fraud_signals(root, info, first=None, after=None):
        signals = list(services.fraud_signals(info.context.actor))
        return paginate_list(SharedAccountSignalConnection, signals, first, after)

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
