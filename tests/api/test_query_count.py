"""Nested participant lists run a bounded number of SQL statements."""

from __future__ import annotations

from tests.support.people import PASSWORD
from tests.support.queries import count_queries

QUERY = """{ participants(first: 100) { totalCount edges { node {
  code legalName bankAccount counselor { displayName }
  statusHistory { edges { node { toStatus } } } } } } }"""


def _statements_for(api, people, n: int) -> int:
    from tests.conftest import truncate_all

    truncate_all()
    counselor_user, counselor = people.counselor()
    for i in range(n):
        people.participant(counselor, preferred_name=f"P{i}")
    token = api.login(counselor_user.email, PASSWORD)
    with count_queries() as counter:
        data = api.query(QUERY, None, token)
    assert data["participants"]["totalCount"] == n
    return counter.count


def test_participant_list_statement_count_does_not_grow_with_rows(api, people):
    assert _statements_for(api, people, 3) == _statements_for(api, people, 30)
