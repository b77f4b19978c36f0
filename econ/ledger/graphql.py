"""Ledger over GraphQL: balances for FINANCE (and ADMIN)."""

from __future__ import annotations

import graphene

from econ.ledger import services
from econ.money import from_cents
from econ.participants.relations import PARTICIPANT
from econ.schema.inputs import parse_id
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money


class LedgerBalance(graphene.ObjectType):
    account = graphene.String(required=True)
    balance = graphene.Field(Money, required=True, description="Debits minus credits.")


class LedgerAccountPeriod(graphene.ObjectType):
    account = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True, description="ASSET, LIABILITY, EXPENSE, INCOME, EQUITY")
    opening = graphene.Field(Money, required=True, description="Before the month.")
    debits = graphene.Field(Money, required=True)
    credits = graphene.Field(Money, required=True, description="Negative.")
    closing = graphene.Field(Money, required=True, description="At the month's end.")

    @staticmethod
    def resolve_account(row, info):
        return row.code


for _name in ("opening", "debits", "credits", "closing"):
    setattr(
        LedgerAccountPeriod,
        f"resolve_{_name}",
        staticmethod(lambda row, info, _n=_name: money(getattr(row, _n), info.context.currency)),
    )


class LedgerLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    memo = graphene.String(required=True)
    source_type = graphene.String(required=True, description="run, loan, ...")
    source_id = graphene.String(required=True)
    amount = graphene.Field(Money, required=True, description="Debit > 0, credit < 0.")
    participant_id = graphene.ID()
    participant_code = graphene.String(description="Her participant code.")

    @staticmethod
    async def resolve_participant_code(line, info):
        if line.participant_id is None:
            return None

        participant = await PARTICIPANT.load(info, line.participant_id)
        return None if participant is None else participant.code

    @staticmethod
    def resolve_at(line, info):
        return line.entry.at

    @staticmethod
    def resolve_memo(line, info):
        return line.entry.memo

    @staticmethod
    def resolve_source_type(line, info):
        return line.entry.source_type

    @staticmethod
    def resolve_source_id(line, info):
        return line.entry.source_id

    @staticmethod
    def resolve_amount(line, info):
        return money(from_cents(line.amount_cents), info.context.currency)


LedgerLineConnection = connection_type(LedgerLine)


class Queries:
    ledger_balance = graphene.Field(
        LedgerBalance,
        account=graphene.String(required=True),
        participant_id=graphene.ID(),
        description="Balance of one account (FINANCE, ADMIN); for one participant FINANCE only.",
    )

    @staticmethod
    def resolve_ledger_balance(root, info, account, participant_id=None):
        pid = parse_id(participant_id, "participantId", required=False)
        amount = services.account_balance(info.context.actor, account, pid)
        return LedgerBalance(account=account, balance=money(amount, info.context.currency))

    ledger_period = graphene.List(
        graphene.NonNull(LedgerAccountPeriod),
        required=True,
        period=graphene.String(required=True, description="YYYY-MM"),
        description="Every account's opening, debits, credits and closing (FINANCE).",
    )
    ledger_entries = connection_field(
        LedgerLineConnection,
        "The lines behind an account's figure for a month, newest first (FINANCE).",
        account=graphene.String(required=True),
        period=graphene.String(required=True),
    )

    @staticmethod
    def resolve_ledger_period(root, info, period):
        return services.period_balances(info.context.actor, period)

    @staticmethod
    def resolve_ledger_entries(root, info, account, period, first=None, after=None):
        query = services.entries_of(info.context.actor, account[:60], period)
        return paginate(LedgerLineConnection, query, first, after)
