"""`paginate` counts only when the page cannot say the total itself: the last page, or the
only one, gives it as the rows before it and on it."""

from __future__ import annotations

import pytest

from econ.participants.graphql.types import ParticipantConnection
from econ.participants.models import Participant
from econ.schema.pagination import paginate
from tests.support.queries import count_queries


def _page(first: int, after: str | None = None):
    query = Participant.select().order_by(Participant.id)
    with count_queries() as counter:
        page = paginate(ParticipantConnection, query, first, after)
    return page, counter.count


@pytest.mark.parametrize("n", [0, 3, 5])
def test_a_page_that_shows_the_end_is_its_own_count(people, n):
    _, counselor = people.counselor()
    for i in range(n):
        people.participant(counselor, preferred_name=f"P{i}")
    page, statements = _page(5)
    assert (page.total_count, len(page.edges), page.page_info.has_next_page) == (n, n, False)
    assert statements == 1


def test_a_page_with_more_after_it_counts_and_so_does_one_past_the_end(people):
    _, counselor = people.counselor()
    for i in range(7):
        people.participant(counselor, preferred_name=f"P{i}")
    first, statements = _page(3)
    assert (first.total_count, first.page_info.has_next_page, statements) == (7, True, 2)
    second, _ = _page(3, first.page_info.end_cursor)
    last, statements = _page(3, second.page_info.end_cursor)
    assert (last.total_count, len(last.edges), statements) == (7, 1, 1)
    beyond, statements = _page(3, last.page_info.end_cursor)  # past the end: no rows
    assert (beyond.total_count, len(beyond.edges), statements) == (7, 0, 2)
