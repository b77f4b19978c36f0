"""Listing loans and groups with nested fields runs a bounded number of SQL statements."""

from __future__ import annotations

from datetime import date

from econ.microcredit import services as mc
from tests.microcredit.factory import disbursed_loan, world
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

# Two documents: schedules (up to 520 installments each) and repayments of a page of
# loans together would exceed the cost limit (econ/schema/cost.py) in the worst case.
QUERIES = (
    """{
  loans(first: 12) { totalCount edges { node { id state daysPastDue outstandingPrincipal
    borrower { preferredName } group { name memberCount fund }
    schedule { installments { number paid } } } } } }""",
    """{
  loans(first: 12) { totalCount edges { node { id repayments { edges { node { amount } } } } } }
  loanGroups(first: 6) { edges { node { name memberCount fund
    members { role participant { preferredName } } loans { edges { node { id } } } } } }
}""",
)


def _statements_for(api, people, groups: int) -> int:
    from tests.conftest import truncate_all

    truncate_all()
    finance_user = None
    for _ in range(groups):
        w = world(people, size=3)
        finance_user = w.finance_user
        for member in w.members[:2]:
            loan = disbursed_loan(w, member, amount="300.00", installments=3)
            mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
        mc.record_savings_contribution(w.finance, w.group.id, w.members[0].id, "5.00", date.today())
    token = api.login(finance_user.email, PASSWORD)
    with count_queries() as counter:
        for query in QUERIES:
            data = api.query(query, None, token)
            assert data["loans"]["totalCount"] == 2 * groups
    return counter.count


def test_statement_count_does_not_grow_with_groups_and_loans(api, people):
    assert _statements_for(api, people, 1) == _statements_for(api, people, 6)
