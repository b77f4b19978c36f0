"""The counselor's pages over HTTP (issue 17): today, caseload, her record and its tabs,
revealing restricted fields; and the attacks: another caseload, a forged id, no CSRF token,
another role, hostile strings in the address."""

from __future__ import annotations

import html

import pytest

from econ.security.models import AuditEntry
from econ.web.counselor_views import TABS
from tests.outcomes.test_today import _everything_for
from tests.web.counselor_client import PageClient


@pytest.fixture
def desk(app, http, people):
    """A counselor with Maria (every kind of item) and Ines, another counselor with Zoe."""
    user, counselor = people.counselor()
    maria = _everything_for(people, counselor, "Maria")
    ines = people.participant(counselor, preferred_name="Ines", legal_name="Ines Canary Legal")
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    client = PageClient(app).sign_in(user.email)
    return client, maria, ines, zoe


def _text(response) -> str:
    return html.unescape(response.text)


def test_counselor_lands_on_today_and_every_item_links_to_her_record(desk):
    client, maria, _, _ = desk
    start = client.get("/staff", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/staff/today"
    page = client.get("/staff/today")
    assert page.status_code == 200
    text = _text(page)
    assert "Ask her for consent before the referral to Asked Ltd" in text
    assert "Stipend held (no bank account on file)" in text
    assert f'href="/staff/participants/{maria.id}/work#referral-' in page.text
    assert f'href="/staff/participants/{maria.id}/money#loan-' in page.text  # the loan in arrears
    assert f'href="/staff/participants/{maria.id}/edit#bankAccount"' in page.text


def test_caseload_search_filters_sort_and_pages(desk, people):
    client, _, ines, _ = desk
    page = _text(client.get("/staff/caseload"))
    assert "Maria" in page and "Ines" in page and "Zoe" not in page
    assert "Participants found: 2" in page
    found = _text(client.get("/staff/caseload?q=mar"))
    assert "Maria" in found and "Ines" not in found
    by_code = _text(client.get(f"/staff/caseload?q={ines.code.lower()}"))
    assert "Ines" in by_code and "Maria" not in by_code
    assert "Ines" not in _text(client.get("/staff/caseload?pathway=EMPLOYMENT"))
    assert "Participants found: 1" in _text(client.get("/staff/caseload?signal=overdue"))
    # a made-up choice is dropped, never passed on (the page shows everyone)
    assert "Participants found: 2" in _text(client.get("/staff/caseload?status=bogus&sort=x"))
    ordered = _text(client.get("/staff/caseload?sort=NAME&order=desc"))
    assert ordered.index("Maria") < ordered.index("Ines")


def test_caseload_pages_of_25(app, http, people):
    user, counselor = people.counselor()
    for i in range(27):
        people.participant(counselor, preferred_name=f"Woman{i:02d}")
    client = PageClient(app).sign_in(user.email)
    first = client.get("/staff/caseload")
    assert "Woman24" in first.text and "Woman25" not in first.text
    assert 'rel="next"' in first.text
    next_href = html.unescape(
        first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    )
    second = client.get(next_href)
    assert "Woman25" in second.text and "Woman26" in second.text and "Woman00" not in second.text


def test_every_tab_of_her_record(desk):
    client, maria, _, _ = desk
    for name, _label in TABS:
        path = f"/staff/participants/{maria.id}" + ("" if name == "overview" else f"/{name}")
        page = client.get(path)
        assert page.status_code == 200, (name, page.text[-500:])
        assert "Maria" in page.text and maria.code in page.text
        assert "Canary" not in page.text  # restricted fields are never on a tab
    money = _text(client.get(f"/staff/participants/{maria.id}/money"))
    assert "HELD (no bank account on file)" in money
    work = _text(client.get(f"/staff/participants/{maria.id}/work"))
    assert "Quiet Ltd" in work and "Hired Ltd" in work


def test_reveal_shows_restricted_fields_once_and_is_audited(desk):
    client, _, ines, _ = desk
    path = f"/staff/participants/{ines.id}"
    before = AuditEntry.select().where(AuditEntry.participant_id == ines.id).count()
    assert "Ines Canary Legal" not in client.get(path).text
    shown = client.post(f"{path}/reveal", {}, token_from=path)
    assert shown.status_code == 200
    assert "Ines Canary Legal" in shown.text and "Canary safety note" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    entries = AuditEntry.select().where(
        (AuditEntry.participant_id == ines.id) & (AuditEntry.action == "read_restricted")
    )
    assert entries.count() >= 1 and AuditEntry.select().count() > before
    assert "Ines Canary Legal" not in client.get(path).text  # not kept
    back = client.get(f"{path}/reveal", follow_redirects=False)  # e.g. a language link
    assert back.status_code == 303 and back.headers["location"] == path
    log = _text(client.get(f"{path}/access"))
    assert "Readings of her restricted data: 0" not in log


def test_reveal_without_csrf_token_reveals_nothing(desk):
    client, _, ines, _ = desk
    answer = client.http.post(f"/staff/participants/{ines.id}/reveal", data={},
                              headers={"Accept": "text/html"})  # fmt: skip
    assert answer.status_code == 403 and "Canary" not in answer.text
    forged = client.http.post(
        f"/staff/participants/{ines.id}/reveal", data={"csrf": "forged"},
        headers={"Accept": "text/html"},
    )  # fmt: skip
    assert forged.status_code == 403 and "Canary" not in forged.text


def test_another_caseload_and_made_up_ids_read_as_not_found(desk):
    client, _, _, zoe = desk
    theirs = client.get(f"/staff/participants/{zoe.id}")
    missing = client.get("/staff/participants/987654")
    huge = client.get("/staff/participants/99999999999999999999")
    assert theirs.status_code == missing.status_code == huge.status_code == 404
    assert "Zoe" not in theirs.text
    assert client.get(f"/staff/participants/{zoe.id}/money").status_code == 404
    reveal = client.post(f"/staff/participants/{zoe.id}/reveal", {}, token_from="/staff/today")
    assert reveal.status_code == 404 and "Canary" not in reveal.text


def test_other_roles_are_sent_away(app, http, people, desk):
    _, maria, _, _ = desk
    user, _ = people.finance()
    finance = PageClient(app).sign_in(user.email)
    for path in ("/staff/today", "/staff/caseload", f"/staff/participants/{maria.id}"):
        answer = finance.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "Maria" not in answer.text
    anonymous = PageClient(app).get("/staff/today", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/sign-in?next=/staff/today")


def test_hostile_strings_in_the_address_are_escaped(desk):
    client, _, _, _ = desk
    page = client.get('/staff/caseload?q=<script>alert(1)</script>"&after=%00%ff')
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    made_up = client.get("/staff/caseload?q=a&after=QUFBQQ==", follow_redirects=False)
    assert made_up.status_code == 303 and made_up.headers["location"] == "/staff/caseload?q=a"


def test_headers_on_every_counselor_page(desk):
    client, maria, _, _ = desk
    for path in ("/staff/today", "/staff/caseload", f"/staff/participants/{maria.id}"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("language,word", [("es", "Hoy"), ("fr", "Aujourd")])
def test_pages_in_her_language(desk, language, word):
    client, maria, _, _ = desk
    client.http.cookies.set("econ_lang", language)
    for path in ("/staff/today", "/staff/caseload", f"/staff/participants/{maria.id}"):
        page = client.get(path)
        assert page.status_code == 200 and f'lang="{language}"' in page.text
    assert word in _text(client.get("/staff/today"))
