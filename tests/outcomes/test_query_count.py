"""The caseload and the plan overview run as many SQL statements for 100 participants as
for 10 (tests.support.queries counts every statement from every thread)."""

from __future__ import annotations

from datetime import date

from econ.outcomes import services as outcomes
from tests.outcomes import build as b
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

AS_OF = date(2026, 6, 15)
# A page of 50: a page of 100 with every overview list could return more than the cost
# limit's 10,000 objects (econ/schema/cost.py).
QUERY = """{ caseload(first: 50, asOf: "2026-06-15") { totalCount edges { node {
  participant { code } status monthsAtTarget overdueMilestones stipendMonthsLeft loanDaysPastDue
  nextMilestone { title }
  overview {
    training { current { programTitle status attendanceRate }
               completed { programTitle credentialName } }
    employment { referralsByStage { stage count } }
    income { monthsAtTargetInARow projection projectedIndependenceMonth
             months { month amount { amount } } }
    stipend { monthsUsed monthsLeft currentNet { amount } nextPaymentPeriod }
    microcredit { state daysPastDue outstandingPrincipal { amount } nextInstallmentDue }
    milestones { overdue { title } dueSoon { title } done { title } }
  } } } } }"""


def _caseload_of(people, n: int):
    """n participants of one counselor, each with a record in every pathway."""
    from tests.conftest import truncate_all

    truncate_all()
    user, counselor = people.counselor()
    prog = b.program()
    coh = b.cohort(prog, date(2026, 1, 5), date(2026, 3, 31))
    emp = b.employer()
    grp = b.group(counselor.user_id)
    ids = []
    for i in range(n):
        person = people.participant(counselor, preferred_name=f"P{i:03d}")
        b.completed(coh, person, date(2026, 3, 31))
        b.placement(person, emp, date(2026, 4, 1), confirmed=(30,))
        b.referral(person, emp, "INTERVIEW", shared=date(2026, 5, 1))
        b.income(person, "2026-04", "1500.00")
        b.income(person, "2026-05", "1500.00")
        sched = b.schedule(person, "2026-01", 12)
        b.line(sched, "2026-05")
        b.loan(person, grp, date(2026, 4, 1), [(date(2026, 5, 1), "100.00")])
        b.milestone(person, "Bank account", date(2026, 6, 1))
        b.milestone(person, "ID card", date(2026, 7, 1))
        ids.append(person.id)
    return user, counselor, ids


def _http_statements(api, people, n: int) -> int:
    user, _, _ = _caseload_of(people, n)
    token = api.login(user.email, PASSWORD)
    with count_queries() as counter:
        data = api.query(QUERY, None, token)
    assert data["caseload"]["totalCount"] == n
    node = data["caseload"]["edges"][0]["node"]
    assert node["loanDaysPastDue"] == 45  # May 1 unpaid, as of Jun 15
    assert node["overview"]["milestones"]["overdue"] == [{"title": "Bank account"}]
    return counter.count


def test_caseload_with_overviews_statement_count_does_not_grow(api, people):
    assert _http_statements(api, people, 10) == _http_statements(api, people, 50)


def _service_statements(people, n: int) -> tuple[int, int]:
    _, counselor, ids = _caseload_of(people, n)
    with count_queries() as rows:
        assert len(outcomes.caseload(counselor, AS_OF)) == n
    with count_queries() as views:
        assert len(outcomes.overviews(ids, AS_OF)) == n
    return rows.count, views.count


def test_service_statement_counts_do_not_grow(people):
    assert _service_statements(people, 10) == _service_statements(people, 100)
