"""`Participant.loans`: her loans, for whoever may see her loans (never an EMPLOYER)."""

from __future__ import annotations

import graphene

from econ.grouping import group_by
from econ.microcredit.access import visible_loans
from econ.microcredit.models import Loan


def _loans_loader(info):
    actor = info.context.actor

    def batch(ids):
        found = group_by(
            visible_loans(actor).where(Loan.borrower.in_(ids)), lambda x: x.borrower_id
        )
        return [found.get(i, []) for i in ids]

    return info.context.loader("microcredit.loans_by_borrower", batch)


class ParticipantFields:
    loans = graphene.List(
        graphene.NonNull("econ.microcredit.graphql.LoanType"),
        description="Her microcredit loans, oldest first.",
    )

    @staticmethod
    async def resolve_loans(participant, info):
        return await _loans_loader(info).load(participant.id)
