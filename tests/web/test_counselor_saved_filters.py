"""Saved caseload filters (issue 17, the caseload): she saves the page's choice under a
name, sees it on the caseload, applies it and deletes it; names are checked (length,
storable text), every form needs its CSRF token, and no other user ever reads, applies
or deletes hers (service, GraphQL and pages)."""

from __future__ import annotations

import html

import pytest

from econ.errors import DomainError, NotFound
from econ.outcomes import saved_filters
from econ.outcomes.caseload import CaseloadFilter
from econ.outcomes.models import SavedCaseloadFilter
from econ.web.sessions import CSRF_FIELD
from tests.support.people import PASSWORD
from tests.web.counselor_client import HTML, PageClient

ARREARS = {"q": "", "status": "ACTIVE", "pathway": "", "signal": "arrears", "sort": "DAYS_PAST_DUE",
           "order": "desc"}  # fmt: skip
LIST = "query { savedCaseloadFilters { totalCount edges { node { id name status inArrears } } } }"


def _save(client, name: str, choice: dict | None = None, **kwargs):
    return client.post("/staff/caseload/filters", {**(choice or ARREARS), "name": name},
                       token_from="/staff/caseload", **kwargs)  # fmt: skip


def test_save_see_apply_and_delete_a_filter(app, http, people):
    user, _ = people.counselor()
    client = PageClient(app).sign_in(user.email)
    saved = _save(client, "  Late   loans ", follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == (
        "/staff/caseload?status=ACTIVE&signal=arrears&sort=DAYS_PAST_DUE&order=desc&done=saved"
    )
    row = SavedCaseloadFilter.get()
    assert (row.name, row.status, row.in_arrears, row.sort, row.descending) == (
        "Late loans", "ACTIVE", True, "DAYS_PAST_DUE", True,
    )  # fmt: skip
    page = html.unescape(client.get(saved.headers["location"]).text)
    assert "Filter saved." in page and "Late loans" in page
    apply = "/staff/caseload?status=ACTIVE&signal=arrears&sort=DAYS_PAST_DUE&order=desc"
    assert f'href="{apply.replace("&", "&amp;")}"' in client.get("/staff/caseload").text
    again = _save(client, "Late loans", {**ARREARS, "status": "PAUSED"}, follow_redirects=False)
    assert again.status_code == 303 and SavedCaseloadFilter.select().count() == 1  # replaced
    assert SavedCaseloadFilter.get().status == "PAUSED"
    gone = client.post(f"/staff/caseload/filters/{row.id}/delete", {}, token_from="/staff/caseload",
                       follow_redirects=False)  # fmt: skip
    assert gone.status_code == 303 and gone.headers["location"] == "/staff/caseload?done=deleted"
    assert not SavedCaseloadFilter.select().exists()
    assert "Saved filter deleted." in client.get(gone.headers["location"]).text


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("   ", "Give the filter a name."),
        ("x" * 61, "At most 60 characters."),
        ("bad\u0007bell", "Use letters, digits, spaces and punctuation only."),
        ("right\u202eto left", "Use letters, digits, spaces and punctuation only."),
    ],
)
def test_a_bad_name_is_said_beside_the_field_and_nothing_is_saved(app, http, people, name, words):
    user, _ = people.counselor()
    client = PageClient(app).sign_in(user.email)
    answer = _save(client, name)
    assert answer.status_code == 200
    text = html.unescape(answer.text)
    assert 'id="name-error"' in text and words in text and 'aria-invalid="true"' in text
    assert not SavedCaseloadFilter.select().exists()


def test_a_nul_in_the_name_is_refused_by_the_service(people):
    _, counselor = people.counselor()
    with pytest.raises(DomainError) as refused:
        saved_filters.save_filter(
            counselor, "a\x00b", saved_filters.CaseloadChoice(CaseloadFilter())
        )
    assert refused.value.code == "INVALID_FORMAT"


def test_at_most_twenty_each(people):
    _, counselor = people.counselor()
    for n in range(saved_filters.SAVED_MAX):
        saved_filters.save_filter(
            counselor, f"f{n}", saved_filters.CaseloadChoice(CaseloadFilter())
        )
    with pytest.raises(DomainError) as refused:
        saved_filters.save_filter(
            counselor, "one more", saved_filters.CaseloadChoice(CaseloadFilter())
        )
    assert refused.value.code == "TOO_MANY"
    saved_filters.save_filter(counselor, "f3", saved_filters.CaseloadChoice(CaseloadFilter()))


def test_no_csrf_no_change(app, http, people):
    user, _ = people.counselor()
    client = PageClient(app).sign_in(user.email)
    client.get("/staff/caseload")
    forged = client.http.post(
        "/staff/caseload/filters", data={**ARREARS, "name": "x"}, headers=HTML
    )
    assert forged.status_code == 403 and not SavedCaseloadFilter.select().exists()
    _save(client, "Mine")
    mine = SavedCaseloadFilter.get()
    forged = client.http.post(f"/staff/caseload/filters/{mine.id}/delete",
                              data={CSRF_FIELD: "not-the-token"}, headers=HTML)  # fmt: skip
    assert forged.status_code == 403 and SavedCaseloadFilter.select().count() == 1


def test_never_visible_to_another_user(app, api, people):
    user, counselor = people.counselor()
    other_user, other = people.counselor()
    saved_filters.save_filter(
        counselor, "Hers only", saved_filters.CaseloadChoice(CaseloadFilter(in_arrears=True))
    )
    hers = SavedCaseloadFilter.get()
    # the service: another counselor neither lists nor deletes it
    assert list(saved_filters.saved_filters(other)) == []
    with pytest.raises(NotFound):
        saved_filters.delete_filter(other, hers.id)
    # the pages: her name is not on his caseload, his delete is "not found"
    theirs = PageClient(app).sign_in(other_user.email)
    assert "Hers only" not in theirs.get("/staff/caseload").text
    denied = theirs.post(
        f"/staff/caseload/filters/{hers.id}/delete", {}, token_from="/staff/caseload"
    )
    assert denied.status_code == 404 and SavedCaseloadFilter.select().count() == 1
    # GraphQL: her own list; another counselor's is empty; other roles are refused
    mine = api.query(LIST, token=api.login(user.email, PASSWORD))["savedCaseloadFilters"]
    assert [e["node"]["name"] for e in mine["edges"]] == ["Hers only"]
    assert (
        api.query(LIST, token=api.login(other_user.email, PASSWORD))["savedCaseloadFilters"][
            "totalCount"
        ]
        == 0
    )
    for role_user, _ in (people.admin(), people.finance(), people.employer()):
        answer = api.post(LIST, token=api.login(role_user.email, PASSWORD))
        assert answer.get("errors") and not (answer.get("data") or {}).get("savedCaseloadFilters")
        payload = api.mutate("deleteCaseloadFilter", {"id": str(hers.id)}, "deletedId",
                             api.login(role_user.email, PASSWORD))  # fmt: skip
        assert payload["errors"] and payload["deletedId"] is None
    assert SavedCaseloadFilter.select().count() == 1
