"""A payment run's exceptions over GraphQL: what happened, in plain words, and its answer."""

from __future__ import annotations

import graphene

from econ.schema.pagination import connection_type, paginate_prefix
from econ.schema.scalars import Money, money
from econ.stipends import services
from econ.stipends.graphql.base import PARTICIPANT_CODE, _load_user

# info.context.memo key: the codes of a page of exceptions, read with the page
_PAGE_CODES = "payment exception codes"


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
    def resolve_participant_code(item, info):
        if item.participant_id is None:
            return None
        page = info.context.memo.get(_PAGE_CODES, {})
        if item.participant_id in page:  # no await: read with the run's page of them
            return page[item.participant_id]
        return PARTICIPANT_CODE.load(info, item.participant_id)

    @staticmethod
    def resolve_amount(item, info):
        return money(item.amount, info.context.currency)


PaymentExceptionConnection = connection_type(PaymentException)


def exceptions_page(info, run, first, after):
    """A run's exceptions, as many as asked for, with their participants' codes read in one
    query (the loader's own read, `participant_codes`: FINANCE only)."""
    actor = info.context.actor
    total = services.exception_count(actor, run)
    page = paginate_prefix(
        PaymentExceptionConnection,
        lambda n: services.run_exceptions(actor, run, n),
        total,
        first,
        after,
    )
    ids = list({e.node.participant_id for e in page.edges if e.node.participant_id is not None})
    codes = PARTICIPANT_CODE.batch(actor, ids)
    info.context.memo.setdefault(_PAGE_CODES, {}).update(zip(ids, codes, strict=True))
    return page
