"""`Participant.loans`: her loans, for whoever may see her loans (never an EMPLOYER).

A keyset page read in SQL for every participant of a list at once; the loader's key is
(her id, page size, cursor key), what the caller may see `visible_loans`' to decide."""

from __future__ import annotations

from econ.microcredit.access import visible_loans
from econ.microcredit.models import Loan
from econ.paging import keyset_pages, pages_by_key
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_at, connection_field, keyset_args, keyset_connection

LOANS = "econ.microcredit.graphql.loans.LoanConnection"


def _loan_pages(actor, keys) -> dict:
    query = visible_loans(actor)
    return pages_by_key(
        keys, lambda ids, size, after: keyset_pages(query, Loan.borrower, Loan.id, ids, size, after)
    )


LOAN_PAGES = Relation("her loans", _loan_pages, actor=True)


class ParticipantFields:
    loans = connection_field(LOANS, "Her microcredit loans, oldest first.", required=False)

    @staticmethod
    async def resolve_loans(participant, info, first=None, after=None):
        size, start = keyset_args(first, after)
        page = await LOAN_PAGES.load(info, (participant.id, size, start))
        return keyset_connection(
            connection_at(LOANS), page.rows, "id", page.has_next, page.total, start
        )
