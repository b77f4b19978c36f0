"""Today, Caseload, her record (and its details, documents and history), the plan editor,
training, jobs and a job's ranking send as many SQL statements for a caseload of 12 as for
one of 3 (issue 17: "the SQL statement count of each page constant as the caseload grows")."""

from __future__ import annotations

from econ.employers.models import Opportunity
from tests.conftest import truncate_all
from tests.outcomes.test_today import _everything_for
from tests.support.queries import count_queries
from tests.web.counselor_client import PageClient

PAGES = (
    "/staff/today",
    "/staff/caseload",
    "/staff/participants/{pid}",
    "/staff/participants/{pid}/money",  # her income records' corrections: one query
    "/staff/participants/{pid}/plan/edit",
    "/staff/participants/{pid}/edit",  # her details: who she is, nothing restricted
    "/staff/participants/{pid}/documents",
    "/staff/participants/{pid}/history",  # with the form that moves her status
    "/staff/training",
    "/staff/opportunities",
    "/staff/opportunities/{oid}",  # her candidates ranked with their consent state
)


def _counts(app, people, size: int) -> list[int]:
    truncate_all()
    user, counselor = people.counselor()
    first = None
    for i in range(size):
        person = _everything_for(people, counselor, f"P{i:02d}")
        first = first or person.id
    client = PageClient(app).sign_in(user.email)
    counts = []
    for page in PAGES:
        path = page.format(pid=first, oid=Opportunity.select().order_by(Opportunity.id).first().id)
        client.get(path)  # the session's first touch of the idle clock is not the page's
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    return counts


def test_statement_counts_do_not_grow_with_the_caseload(app, http, people):
    assert _counts(app, people, 3) == _counts(app, people, 12)
