"""A stipend schedule with its events, a payment line with its attempts."""

from __future__ import annotations

import graphene

from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.stipends import services
from econ.stipends.graphql.base import (
    ATTEMPTS,
    PARTICIPANT_CODE,
    EndReason,
    LineKind,
    LineStatus,
    PaymentMethodKind,
    ScheduleState,
    _by_field,
    _code_field,
    _money_field,
)
from econ.stipends.models import (
    ScheduleEvent,
)


class ScheduleEventType(graphene.ObjectType):
    class Meta:
        name = "StipendScheduleEvent"

    action = graphene.String(required=True)
    from_state = graphene.Field(ScheduleState)
    to_state = graphene.Field(ScheduleState, required=True)
    reason = graphene.String(required=True)
    at = graphene.DateTime(required=True)


ScheduleEventConnection = connection_type(ScheduleEventType)


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
    events = connection_field(ScheduleEventConnection, "Its moves, oldest first.")
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who created it.")
    requested_by = _by_field("requested_by", "Who asked for the extension.")

    @staticmethod
    def resolve_events(schedule, info, first=None, after=None):
        events = list(schedule.events.order_by(ScheduleEvent.id))
        return paginate_list(ScheduleEventConnection, events, first, after)


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


PaymentAttemptConnection = connection_type(PaymentAttemptType)


async def _attempts_page(info, line_id: int, first, after):
    attempts = await ATTEMPTS.load(info, line_id)
    return paginate_list(PaymentAttemptConnection, attempts, first, after)


class PaymentLineType(graphene.ObjectType):
    class Meta:
        name = "PaymentLine"

    id = graphene.ID(required=True)
    run_id = graphene.ID(required=True)
    kind = graphene.Field(
        LineKind, required=True, description="A month of a stipend, or a loan's principal."
    )
    schedule_id = graphene.ID(description="The stipend schedule (null for a loan line).")
    loan_id = graphene.ID(description="The loan a LOAN_DISBURSEMENT line pays out.")
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
    participant_code = graphene.String(description="Her participant code (FINANCE).")
    attempts = connection_field(PaymentAttemptConnection, "Its transfers, first first.")

    # A run page's lines come with their codes and attempts read for the whole page
    # (`_with_page_reads`): answered without the loaders, so the 50 lines complete
    # without an await each. Lines read elsewhere use the loaders.

    @staticmethod
    def resolve_participant_code(line, info):
        page = getattr(line, "page_reads", None)
        if page is not None:
            return page["code"]
        return PARTICIPANT_CODE.load(info, line.participant_id)

    @staticmethod
    def resolve_payee_name(line, info):
        with visible_or_forbidden("payeeName"):
            return services.line_payee(info.context.actor, line, info.context.reads)[0]

    @staticmethod
    def resolve_attempts(line, info, first=None, after=None):
        page = getattr(line, "page_reads", None)
        if page is not None:  # no await: the run page's lines stay synchronous
            return paginate_list(PaymentAttemptConnection, page["attempts"], first, after)
        return _attempts_page(info, line.id, first, after)


def _with_page_reads(info, lines: list) -> None:
    """Read the codes and attempts of a page of lines in two queries: the loaders' own
    reads (`Relation.batch`; the codes only for FINANCE, as `participant_codes` decides)."""
    actor = info.context.actor
    codes = PARTICIPANT_CODE.batch(actor, [line.participant_id for line in lines])
    attempts = ATTEMPTS.batch(actor, [line.id for line in lines])
    for line, code, tried in zip(lines, codes, attempts, strict=True):
        line.page_reads = {"code": code, "attempts": tried}


PaymentLineConnection = connection_type(PaymentLineType)
