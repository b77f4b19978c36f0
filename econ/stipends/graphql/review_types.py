"""What finance reviews: adjustments, awards, payees to confirm, pending amounts, imports."""

from __future__ import annotations

import graphene

from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.stipends import services
from econ.stipends.graphql.base import (
    GrantCategory,
    RunState,
    _by_field,
    _code_field,
    _load_user,
    _money_field,
)
from econ.stipends.graphql.line_types import StipendSchedule


class Adjustment(graphene.ObjectType):
    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True)
    amount = _money_field("amount")
    category = graphene.Field(GrantCategory, description="Set for a support grant.")
    reason = graphene.String(required=True)
    state = graphene.String(required=True)
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who entered it.")


class IncentiveAwardType(graphene.ObjectType):
    class Meta:
        name = "IncentiveAward"

    id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    rule = graphene.String(required=True)
    amount = _money_field("amount")
    note = graphene.String(required=True)
    paid = graphene.Boolean(required=True)
    state = graphene.String(
        required=True, description="PENDING until a second FINANCE user approves (or REJECTED)"
    )
    participant_code = _code_field()
    created_by = _by_field("created_by", "Who entered it; null for an automatic award.")
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_paid(award, info):
        return award.paid_line_id is not None


AdjustmentConnection = connection_type(Adjustment)
IncentiveAwardConnection = connection_type(IncentiveAwardType, "IncentiveAwardConnection")


class ImportSummaryType(graphene.ObjectType):
    class Meta:
        name = "PaymentResultImport"

    rows = graphene.Int(required=True)
    paid = graphene.Int(required=True)
    failed = graphene.Int(required=True)
    returned = graphene.Int(required=True)
    unchanged = graphene.Int(required=True)
    exceptions = graphene.Int(required=True, description="New reconciliation exceptions.")
    run_state = graphene.Field(RunState, required=True)


class PayeeToConfirmType(graphene.ObjectType):
    class Meta:
        name = "PayeeToConfirm"

    participant_id = graphene.ID(required=True)
    participant_code = _code_field()
    kind = graphene.String(required=True, description="PAYEE_UNCONFIRMED or SHARED_ACCOUNT")
    line_id = graphene.ID(required=True)
    run_id = graphene.ID(required=True)


PendingAwardConnection = connection_type(IncentiveAwardType)
PendingAdjustmentConnection = connection_type(Adjustment)
PendingScheduleConnection = connection_type(StipendSchedule)
PayeeToConfirmConnection = connection_type(PayeeToConfirmType)


class PendingAmounts(graphene.ObjectType):
    """What waits for a second FINANCE user, each kind a page (oldest first)."""

    awards = connection_field(PendingAwardConnection, "Awards waiting for approval.")
    adjustments = connection_field(PendingAdjustmentConnection, "Adjustments waiting.")
    schedules = connection_field(
        PendingScheduleConnection, "Draft schedules and requested extensions."
    )
    payees = connection_field(
        PayeeToConfirmConnection,
        "Held until a second FINANCE user confirms her payment details.",
    )

    @staticmethod
    def resolve_awards(root, info, first=None, after=None):
        return paginate_list(PendingAwardConnection, list(root.awards), first, after)

    @staticmethod
    def resolve_adjustments(root, info, first=None, after=None):
        return paginate_list(PendingAdjustmentConnection, list(root.adjustments), first, after)

    @staticmethod
    def resolve_schedules(root, info, first=None, after=None):
        schedules = list(services.pending_schedules(info.context.actor))
        return paginate_list(PendingScheduleConnection, schedules, first, after)

    @staticmethod
    def resolve_payees(root, info, first=None, after=None):
        payees = list(services.payees_to_confirm(info.context.actor))
        return paginate_list(PayeeToConfirmConnection, payees, first, after)


class SharedAccountSignal(graphene.ObjectType):
    account_key = graphene.String(required=True, description="Not the IBAN: a short hash.")
    participant_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    explained = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="Participants for whom a reason was recorded.",
    )

    @staticmethod
    def resolve_account_key(signal, info):
        return signal.account_hash

    @staticmethod
    def resolve_explained(signal, info):
        return sorted(signal.reasons)


SharedAccountSignalConnection = connection_type(SharedAccountSignal)


class PayeeStatusType(graphene.ObjectType):
    class Meta:
        name = "PayeeStatus"

    participant_id = graphene.ID(required=True)
    hold = graphene.String(description="Why her payments are held now; null: payable.")
    detail = graphene.String(required=True, description="The hold in plain words.")
    changed_by_you = graphene.Boolean(
        required=True, description="You changed her details: another FINANCE user confirms."
    )
    shared = graphene.Boolean(
        required=True, description="Another participant has the same account."
    )
    confirmed_by = graphene.Field("econ.security.graphql.User")
    confirmed_at = graphene.DateTime()
    confirmation_note = graphene.String()

    @staticmethod
    async def resolve_confirmed_by(status, info):
        row = status.confirmation
        return await _load_user(row.confirmed_by if row else None, info)

    @staticmethod
    def resolve_confirmed_at(status, info):
        return status.confirmation.created_at if status.confirmation else None

    @staticmethod
    def resolve_confirmation_note(status, info):
        return status.confirmation.note if status.confirmation else None
