"""Ledger over GraphQL: balances for FINANCE (and ADMIN)."""

from __future__ import annotations

import graphene

from econ.ledger import services
from econ.schema.inputs import parse_id
from econ.schema.scalars import Money, money
from econ.security.permissions import require_role
from econ.security.roles import Role


class LedgerBalance(graphene.ObjectType):
    account = graphene.String(required=True)
    balance = graphene.Field(Money, required=True, description="Debits minus credits.")


class Queries:
    ledger_balance = graphene.Field(
        LedgerBalance,
        account=graphene.String(required=True),
        participant_id=graphene.ID(),
        description="Balance of one account, optionally for one participant (FINANCE, ADMIN).",
    )

    @staticmethod
    def resolve_ledger_balance(root, info, account, participant_id=None):
        require_role(info.context.actor, Role.FINANCE, Role.ADMIN)
        pid = parse_id(participant_id, "participantId", required=False)
        return LedgerBalance(
            account=account, balance=money(services.balance(account, pid), info.context.currency)
        )
