"""`Participant.loans`: her loans, for whoever may see her loans (never an EMPLOYER)."""

from __future__ import annotations

import graphene

from econ.grouping import group_by
from econ.microcredit.access import visible_loans
from econ.microcredit.models import Loan
from econ.schema.loaders import Relation


def _loans_by_borrower(actor, participant_ids: list[int]) -> dict:
    rows = visible_loans(actor).where(Loan.borrower.in_(participant_ids))
    return group_by(rows, lambda loan: loan.borrower_id)


LOANS = Relation("her loans", _loans_by_borrower, missing=list, actor=True)


class ParticipantFields:
    loans = graphene.List(
        graphene.NonNull("econ.microcredit.graphql.LoanType"),
        description="Her microcredit loans, oldest first.",
    )

    @staticmethod
    async def resolve_loans(participant, info):
        return await LOANS.load(info, participant.id)
