"""End to end over HTTP: the run's statements appear by themselves, downloads by role, the
document links, and what every document type never prints."""

from __future__ import annotations

import time

import pytest

from econ.participants import services as participants
from econ.security.models import AuditEntry
from econ.statements import services
from econ.statements.i18n import find_forbidden_words
from tests.support.pages import flat
from tests.support.people import PASSWORD

from . import world
from .pdftext import text

PROGRESS = "query R($id: ID!) { paymentRun(id: $id) { state statementsProgress { done total } } }"
STATEMENTS = """query P($id: ID!) { participant(id: $id) {
    statements { edges { node { id period language createdAt sha256 url } } } } }"""


def _q(api, document: str, variables: dict, token: str) -> dict:
    return flat(api.query(document, variables, token), "statements")


def _wait(check, timeout: float = 30.0):
    """Poll a background result (bounded): returns the first truthy value of `check()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("the background task did not finish")


IMPORT = "importPaymentResults"


@pytest.fixture
def story(people, api):
    story = world.build(people, language="fr", reconcile=False)
    tokens = {
        "finance": api.login(story.world.finance_user.email, PASSWORD),
        "counselor": api.login(story.world.counselor_user.email, PASSWORD),
    }
    her_user, _ = people.participant_login(story.counselor, story.participant)
    tokens["her"] = api.login(her_user.email, PASSWORD)
    employer_user, _ = people.employer()
    tokens["employer"] = api.login(employer_user.email, PASSWORD)
    other_user, _ = people.counselor()
    tokens["other_counselor"] = api.login(other_user.email, PASSWORD)
    admin_user, _ = people.admin()
    tokens["admin"] = api.login(admin_user.email, PASSWORD)
    story.tokens = tokens
    # The bank's results come in over the API: the run completes and, once that is
    # committed, the statements task is sent to the worker.
    payload = api.ok(
        IMPORT,
        {"runId": str(story.run.id), "file": world.paid_rows(story.run)},
        "run { state }",
        tokens["finance"],
    )
    assert payload["run"]["state"] == "COMPLETED"
    return story


def _get(api, url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return api.http.get(url, headers=headers)


def _completed_progress(api, story) -> dict:
    def check():
        run = api.query(PROGRESS, {"id": story.run.id}, story.tokens["finance"])["paymentRun"]
        progress = run["statementsProgress"]
        return run if progress["total"] and progress["done"] == progress["total"] else None

    return _wait(check)


def test_a_completed_run_brings_her_statement_which_only_the_right_people_download(api, story):
    run = _completed_progress(api, story)
    # Her run has one line (hers) plus the two group members' none: one statement.
    assert run["state"] == "COMPLETED"
    assert run["statementsProgress"] == {"done": 1, "total": 1}
    found = _q(api, STATEMENTS, {"id": story.participant.id}, story.tokens["her"])
    [statement] = found["participant"]["statements"]
    assert statement["period"] == world.PERIOD and statement["language"] == "fr"
    assert statement["url"] == f"/statements/{statement['id']}.pdf"

    for who in ("her", "counselor", "finance"):
        response = _get(api, statement["url"], story.tokens[who])
        assert response.status_code == 200, who
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
        printed = text(response.content)
        assert "Montant net 875,00 €" in printed  # her language, French formats
    for who in ("employer", "other_counselor", "admin"):
        assert _get(api, statement["url"], story.tokens[who]).status_code == 404, who
    assert _get(api, "/statements/999999.pdf", story.tokens["finance"]).status_code == 404
    assert _get(api, statement["url"], None).status_code == 401

    downloads = AuditEntry.select().where(AuditEntry.action == "download_statement")
    assert sorted(e.outcome for e in downloads) == ["not_found"] * 4 + ["ok"] * 3


def test_a_counselor_reassigned_away_gets_404_at_once(api, story, people):
    _completed_progress(api, story)
    [statement] = _q(api, STATEMENTS, {"id": story.participant.id}, story.tokens["her"])[
        "participant"
    ]["statements"]
    assert _get(api, statement["url"], story.tokens["counselor"]).status_code == 200
    new_user, _ = people.counselor()
    _, admin = people.admin()
    participants.assign_counselor(admin, story.participant.id, new_user.id)
    assert _get(api, statement["url"], story.tokens["counselor"]).status_code == 404
    new_token = api.login(new_user.email, PASSWORD)
    assert _get(api, statement["url"], new_token).status_code == 200


def test_generate_statement_runs_as_a_task(api, story):
    _completed_progress(api, story)
    payload = api.ok(
        "generateStatement",
        {"participantId": str(story.participant.id), "period": "2026-08", "language": "en"},
        "statement { id }",
        story.tokens["her"],
    )
    assert payload["statement"] is None  # none for August yet; the task writes it

    def august():
        found = _q(api, STATEMENTS, {"id": story.participant.id}, story.tokens["her"])
        return [s for s in found["participant"]["statements"] if s["period"] == "2026-08"]

    [statement] = _wait(august)
    assert statement["language"] == "en"
    printed = text(_get(api, statement["url"], story.tokens["her"]).content)
    assert "No stipend this month." in printed  # no line in August, still her loan and plan
    refused = api.mutate(
        "generateStatement",
        {"participantId": str(story.participant.id), "period": "2026-08"},
        "statement { id }",
        story.tokens["employer"],
    )
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    bad = api.mutate(
        "generateStatement",
        {"participantId": str(story.participant.id), "period": "August"},
        "statement { id }",
        story.tokens["her"],
    )
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("period", "INVALID_MONTH")]


LINKS = """query D($run: ID!, $loan: ID!, $group: ID!, $date: Date!) {
  paymentRunReport(runId: $run) { url }
  loanScheduleDocument(loanId: $loan) { url }
  collectionSheetDocument(groupId: $group, date: $date) { url }
}"""


def test_documents_by_role_and_never_a_forbidden_word_or_her_address(api, story):
    _completed_progress(api, story)
    variables = {
        "run": story.run.id,
        "loan": story.loan.id,
        "group": story.group.id,
        "date": "2026-07-21",
    }
    links = {
        who: api.query(LINKS, variables, story.tokens[who])
        for who in ("finance", "counselor", "her", "employer")
    }
    urls = links["finance"]
    assert urls["paymentRunReport"]["url"] == f"/documents/payment-runs/{story.run.id}/report.pdf"
    assert links["counselor"]["paymentRunReport"] is None  # FINANCE only
    assert links["counselor"]["collectionSheetDocument"] is not None  # she runs the group
    assert links["her"]["loanScheduleDocument"] is not None  # her own loan
    assert links["her"]["collectionSheetDocument"] is None  # others' dues: staff only
    assert links["employer"] == {
        "paymentRunReport": None,
        "loanScheduleDocument": None,
        "collectionSheetDocument": None,
    }

    allowed = {
        "paymentRunReport": ("finance",),
        "loanScheduleDocument": ("finance", "counselor", "her"),
        "collectionSheetDocument": ("finance", "counselor"),
    }
    for kind, readers in allowed.items():
        url = urls[kind]["url"]
        for who in ("finance", "counselor", "her", "employer", "admin", "other_counselor"):
            response = _get(api, url, story.tokens[who])
            assert response.status_code == (200 if who in readers else 404), (kind, who)
            if response.status_code == 200:
                printed = text(response.content)
                assert find_forbidden_words(printed) == [], kind
                assert world.ADDRESS not in printed and world.LEGAL_NAME not in printed, kind
    report = text(
        _get(api, urls["paymentRunReport"]["url"] + "?lang=es", story.tokens["finance"]).content
    )
    assert story.participant.code in report and "875,00 €" in report
    schedule = text(_get(api, urls["loanScheduleDocument"]["url"], story.tokens["her"]).content)
    assert f"L-{story.loan.id}" in schedule and "Nadia" in schedule
    sheet = text(
        _get(api, urls["collectionSheetDocument"]["url"], story.tokens["counselor"]).content
    )
    assert "Tuesday savings group" in sheet and "Amina" in sheet
    audited = {
        e.action for e in AuditEntry.select().where(AuditEntry.action.startswith("download_"))
    }
    assert audited == {
        "download_payment_run_report",
        "download_loan_schedule",
        "download_collection_sheet",
    }


def test_a_loan_preview_document(api, story):
    url = (
        "/documents/loan-preview.pdf?principal=600.00&annualInterestRate=12"
        "&numberOfInstallments=6&frequency=MONTHS&disbursementDate=2026-12-10&lang=es"
    )
    response = _get(api, url, story.tokens["her"])
    assert response.status_code == 200
    printed = text(response.content)
    assert "600,00 €" in printed and find_forbidden_words(printed) == []
    assert _get(api, url, story.tokens["employer"]).status_code == 404


VERSIONS = """query P($id: ID!) { participant(id: $id) {
    statements { edges { node { id version url
      versions { edges { node { version url size sha256 } } } } } } } }"""


def test_she_still_opens_the_version_she_read_after_it_is_made_again(api, story):
    """Issue 15: regenerating a statement (a late return, a retry) kept only the newest PDF."""
    _completed_progress(api, story)
    [before] = _q(api, VERSIONS, {"id": story.participant.id}, story.tokens["her"])["participant"][
        "statements"
    ]
    read_before = _get(api, before["url"], story.tokens["her"]).content
    services.generate(story.participant.id, world.PERIOD, "en")
    [after] = _q(api, VERSIONS, {"id": story.participant.id}, story.tokens["her"])["participant"][
        "statements"
    ]
    assert after["version"] == before["version"] + 1
    versions = [e["node"] for e in after["versions"]["edges"]]
    assert [v["version"] for v in versions] == [after["version"], before["version"]]
    earlier = versions[1]
    assert earlier["url"] == f"{before['url']}?version={before['version']}"
    assert _get(api, earlier["url"], story.tokens["her"]).content == read_before
    assert _get(api, after["url"], story.tokens["her"]).content != read_before
    assert _get(api, earlier["url"], story.tokens["counselor"]).status_code == 200
    for who in ("employer", "other_counselor", "admin"):
        assert _get(api, earlier["url"], story.tokens[who]).status_code == 404, who
    assert _get(api, f"{before['url']}?version=99", story.tokens["her"]).status_code == 404
    for bad in ("x", "-1", "1.5", "99999999999999999999999"):
        assert _get(api, f"{before['url']}?version={bad}", story.tokens["her"]).status_code == 400
    opened = AuditEntry.select().where(
        (AuditEntry.action == "download_statement") & (AuditEntry.detail == "version 1")
    )
    assert {e.participant_id for e in opened} == {story.participant.id}
