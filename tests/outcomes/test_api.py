"""Indicators, caseload and overview over HTTP, on the hand-built data set."""

from __future__ import annotations

import pytest

from tests.outcomes.dataset import make
from tests.support.people import PASSWORD

OUTCOMES = """
query O($from: Date!, $to: Date!, $g: OutcomeGrouping) {
  outcomes(from: $from, to: $to, groupBy: $g) {
    rows { edges { node { key placementRate retention30 retention90 retention180 medianEarningsQ2
           credentialRate completionRate skillGainRate repaymentRate par30
           medianStipendMonthsToIndependence independentCount reentries suppressed
           cells { name numerator denominator suppressed } } } }
  }
}"""
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture
def world(people):
    return make(people)


def _token(api, people, role):
    user, _ = getattr(people, role)()
    return api.login(user.email, PASSWORD)


def test_admin_reads_every_indicator(api, people, world):
    token = _token(api, people, "admin")
    row = api.query(OUTCOMES, PERIOD, token)["outcomes"]["rows"]["edges"][0]["node"]
    # the figures worked out by hand in test_indicators.py
    assert row == {
        **row,
        "key": "ALL",
        "placementRate": "0.5000",
        "retention30": "1.0000",
        "retention90": "0.5000",
        "retention180": "0.5000",
        "medianEarningsQ2": "1050.00",
        "credentialRate": "0.6000",
        "completionRate": "0.8000",
        "skillGainRate": "0.4286",
        "repaymentRate": "0.3333",
        "par30": "0.8519",
        "medianStipendMonthsToIndependence": "4.5",
        "independentCount": 3,
        "reentries": 2,
        "suppressed": False,
    }
    completion = next(c for c in row["cells"] if c["name"] == "completion_rate")
    assert (completion["numerator"], completion["denominator"]) == (4, 5)


def test_finance_gets_small_cells_suppressed(api, people, world):
    token = _token(api, people, "finance")
    row = api.query(OUTCOMES, PERIOD, token)["outcomes"]["rows"]["edges"][0]["node"]
    assert row["completionRate"] == "0.8000"  # 5 enrolments
    assert row["retention30"] is None and row["independentCount"] is None  # 3 and 3
    assert row["suppressed"] is True
    hidden = next(c for c in row["cells"] if c["name"] == "retention30")
    assert hidden == {
        "name": "retention30",
        "numerator": None,
        "denominator": None,
        "suppressed": True,
    }


def test_participant_gets_forbidden(api, people, world):
    from econ.participants import services as participants  # noqa: F401

    token = api.login(*_participant_login(people, world))
    body = api.post(OUTCOMES, PERIOD, token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def _participant_login(people, world):
    user, _ = people.user("PARTICIPANT", participant_id=world.p["P1"].id)
    return user.email, PASSWORD


REPORT = "query R($from: Date!, $to: Date!) { outcomesReport(from: $from, to: $to) { url } }"


def test_report_link_for_admin_only_and_the_pdf_route(api, people, world):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from econ.outcomes.http import routes

    admin = _token(api, people, "admin")
    url = api.query(REPORT, PERIOD, admin)["outcomesReport"]["url"]
    assert url == "/outcomes/report.pdf?from=2026-01-01&to=2026-06-30"
    counselor = _token(api, people, "counselor")
    body = api.post(REPORT, PERIOD, counselor)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # the route (server.py mounts econ.outcomes.http.routes())
    client = TestClient(Starlette(routes=routes()))
    pdf = client.get(url, headers={"Authorization": f"Bearer {admin}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": f"Bearer {counselor}"}).status_code == 404
    bad = client.get(
        "/outcomes/report.pdf?from=x&to=y", headers={"Authorization": f"Bearer {admin}"}
    )
    assert bad.status_code == 400


CASELOAD = """
query C($first: Int, $after: String, $sort: CaseloadSort, $filter: CaseloadFilterInput) {
  caseload(first: $first, after: $after, sort: $sort, filter: $filter, asOf: "2026-06-30") {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { participant { preferredName } status monthsAtTarget independenceProgress
                   overdueMilestones stipendMonthsLeft loanDaysPastDue
                   nextMilestone { title } } }
  }
}"""


def _names(data):
    return [e["node"]["participant"]["preferredName"] for e in data["caseload"]["edges"]]


def test_caseload_sorted_filtered_paginated(api, people, world):
    from datetime import date

    from tests.outcomes import build as b

    b.milestone(world.p["P3"], "Open a bank account", date(2026, 6, 1))  # overdue
    b.milestone(world.p["P5"], "ID card", date(2026, 7, 10))  # due soon
    token = api.login(world.c1_user.email, PASSWORD)
    data = api.query(CASELOAD, {"first": 3, "sort": {"field": "NAME"}}, token)
    assert data["caseload"]["totalCount"] == 7  # P1-P7 (P8 is C2's)
    assert _names(data) == ["P1", "P2", "P3"]
    after = data["caseload"]["pageInfo"]["endCursor"]
    data = api.query(CASELOAD, {"first": 3, "after": after, "sort": {"field": "NAME"}}, token)
    assert _names(data) == ["P4", "P5", "P6"]
    # days past due as of Jun 30: P2 90 (unpaid since Apr 1), P4 60 (since May 1)
    data = api.query(
        CASELOAD,
        {"filter": {"inArrears": True}, "sort": {"field": "DAYS_PAST_DUE", "descending": True}},
        token,
    )
    assert _names(data) == ["P2", "P4"]
    assert [e["node"]["loanDaysPastDue"] for e in data["caseload"]["edges"]] == [90, 60]
    data = api.query(CASELOAD, {"filter": {"hasOverdueMilestones": True}}, token)
    assert _names(data) == ["P3"]
    data = api.query(CASELOAD, {"filter": {"search": "p5"}}, token)
    (p5,) = [
        e["node"]
        for e in data["caseload"]["edges"]
        if e["node"]["participant"]["preferredName"] == "P5"
    ]
    assert p5["nextMilestone"] == {"title": "ID card"}
    # P7: stipend of 12 months, Jan-Jun used -> 6 left; the last complete month as of
    # Jun 30 is May, and Apr, May are at target -> 2 of 3 = 0.67
    data = api.query(CASELOAD, {"filter": {"search": "P7"}}, token)
    # The search also matches codes, and a random code may contain "P7": pick her by name.
    (node,) = [
        e["node"]
        for e in data["caseload"]["edges"]
        if e["node"]["participant"]["preferredName"] == "P7"
    ]
    assert (node["stipendMonthsLeft"], node["monthsAtTarget"], node["independenceProgress"]) == (
        6,
        2,
        "0.67",
    )


def test_caseload_is_for_counselors(api, people, world):
    token = _token(api, people, "finance")
    body = api.post(CASELOAD, {}, token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
