"""The web foundation over HTTP: sessions, CSRF, idle timeout, quick exit, headers, errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from econ.security.crypto import keyed_hash
from econ.security.models import Session
from econ.settings import services as settings
from econ.web.models import WebSession
from tests.support.people import PASSWORD
from tests.web.conftest import PASSPHRASE, csrf_of, sign_in

HER_PAGES = (
    "/my",
    "/my/plan",
    "/my/payments",
    "/my/loan",
    "/my/training",
    "/my/consents",
    "/my/reads",
    "/my/documents",
    "/my/settings",
)


def _token(client) -> str:
    return client.cookies.get("econ_session")


def test_sign_in_sets_a_strict_session_cookie_and_opens_her_home(browser, her):
    client = browser()
    answer = sign_in(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/my"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("econ_session="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "max-age" not in flags and "expires" not in flags  # gone when the browser closes
    assert "secure" not in flags  # development over http; production sets it (next test)
    home = client.get("/my")
    assert home.status_code == 200 and "Hello, Maria" in home.text


def test_cookie_is_secure_in_production():
    from econ.web.sessions import cookie_options

    assert cookie_options(production=True)["secure"] is True
    assert cookie_options(production=True)["samesite"] == "strict"


def test_wrong_passphrase_shows_her_words_and_no_session(browser, her):
    client = browser()
    answer = sign_in(client, passphrase="not the passphrase at all")
    assert answer.status_code == 200
    assert "sign-in name or passphrase is not right" in answer.text
    assert _token(client) is None


def test_every_post_needs_the_csrf_token(browser, api, her):
    client = browser()
    page = client.get("/sign-in")
    refused = client.post(
        "/sign-in", data={"name": her.name, "passphrase": PASSPHRASE}, follow_redirects=False
    )
    assert refused.status_code == 403 and _token(client) is None
    forged = client.post(
        "/sign-in",
        data={"csrf": "x" * 40, "name": her.name, "passphrase": PASSPHRASE},
        follow_redirects=False,
    )
    assert forged.status_code == 403 and _token(client) is None
    assert sign_in(client).status_code == 303
    # Signed in, the token changes: the one from before signing in no longer works.
    stale = client.post(
        "/my/consents", data={"csrf": csrf_of(page.text), "revoke": str(her.consent.id)}
    )
    assert stale.status_code == 403
    cross_site = client.post(
        "/my/consents",
        data={"csrf": csrf_of(client.get("/my/consents").text), "revoke": str(her.consent.id)},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert cross_site.status_code == 403
    other_origin = client.post(
        "/my/consents",
        data={"csrf": csrf_of(client.get("/my/consents").text), "revoke": str(her.consent.id)},
        headers={"origin": "https://elsewhere.example"},
    )
    assert other_origin.status_code == 403
    her_consents = "{ me { participant { consents { edges { node { current } } } } } }"
    token = api.login(her.name, PASSPHRASE)
    assert api.query(her_consents, token=token)["me"]["participant"]["consents"] == {
        "edges": [{"node": {"current": True}}]
    }


def test_sign_out_revokes_the_token(browser, api, her):
    client = browser()
    sign_in(client)
    token = _token(client)
    assert api.query("{ me { id } }", token=token)["me"] is not None
    page = client.get("/my/settings")
    answer = client.post("/sign-out", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    assert api.query("{ me { id } }", token=token)["me"] is None
    assert client.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")


def _idle(token: str, minutes: int) -> None:
    session = Session.get(Session.token_hash == keyed_hash(token))
    seen = WebSession.get(WebSession.session == session.id)
    seen.last_seen_at -= dt.timedelta(minutes=minutes)
    seen.save()


def test_idle_participant_is_signed_out_and_comes_back_to_her_page(browser, api, her):
    client = browser()
    sign_in(client)
    assert client.get("/my/payments").status_code == 200
    token = _token(client)
    _idle(token, 9)
    assert client.get("/my/payments").status_code == 200  # 9 minutes: still hers
    _idle(token, 11)
    answer = client.get("/my/payments", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/my/payments&expired=1"
    assert api.query("{ me { id } }", token=token)["me"] is None  # revoked, not only hidden
    page = client.get(answer.headers["location"])
    assert "not used for a while" in page.text
    back = client.post(
        "/sign-in",
        data={"csrf": csrf_of(page.text), "name": her.name, "passphrase": PASSPHRASE,
              "next": "/my/payments"},
        follow_redirects=False,
    )  # fmt: skip
    assert back.headers["location"] == "/my/payments"


def test_staff_idle_time_is_their_own_setting(browser, people):
    user, _ = people.counselor()
    _, admin = people.admin()
    client = browser()
    assert sign_in(client, user.email, PASSWORD).headers["location"] == "/staff"
    token = _token(client)
    client.get("/staff")
    _idle(token, 20)
    assert client.get("/staff").status_code == 200  # staff: 30 minutes
    settings.update_settings(admin, {"staff_idle_minutes": "15"})
    _idle(token, 20)
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_quick_exit_revokes_clears_and_leaves_for_the_neutral_site(browser, api, her):
    client = browser()
    sign_in(client)
    token = _token(client)
    answer = client.get("/away", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "https://www.wikipedia.org/"
    assert answer.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    assert api.query("{ me { id } }", token=token)["me"] is None
    cleared = [c for c in answer.headers.get_list("set-cookie") if "econ_session=" in c]
    assert cleared and 'econ_session=""' in cleared[0]
    # Back and reload: nothing of hers.
    again = client.get("/my", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")


def test_quick_exit_site_is_a_program_setting_and_only_http(people):
    _, admin = people.admin()
    settings.update_settings(admin, {"quick_exit_url": "https://weather.example.org/today"})
    assert settings.setting("quick_exit_url") == "https://weather.example.org/today"
    for bad in ("javascript:alert(1)", "data:text/html,hi", "//evil.example", "ftp://x.org"):
        with pytest.raises(Exception, match="http"):
            settings.update_settings(admin, {"quick_exit_url": bad})


def test_quick_exit_works_without_a_session(browser):
    answer = browser().get("/away", follow_redirects=False)
    assert answer.status_code == 303 and "clear-site-data" in answer.headers


@pytest.mark.parametrize("path", ("/sign-in", "/start", "/nothing-here", *HER_PAGES))
def test_every_html_response_carries_the_headers(browser, her, path):
    client = browser()
    sign_in(client)
    answer = client.get(path, headers={"accept": "text/html"})
    assert answer.headers["content-type"].startswith("text/html")
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert " style=" not in answer.text and "<style" not in answer.text  # CSP would block it
    assert re.search(r"<script(?![^>]*\bsrc=)", answer.text) is None  # no inline script


def test_sensitive_fields_are_not_remembered(browser, her):
    client = browser()
    start = client.get("/start").text
    assert 'id="code" name="code" autocomplete="off"' in start
    assert 'name="signInName" autocomplete="off"' in start
    sign_in(client)
    settings_page = client.get("/my/settings").text
    assert 'autocomplete="current-password"' in settings_page
    assert 'autocomplete="new-password"' in settings_page


def test_not_found_page_is_discreet_with_an_error_id(browser):
    answer = browser().get("/no/such/page", headers={"accept": "text/html"})
    assert answer.status_code == 404
    assert "We cannot find this page" in answer.text
    assert re.search(r"<code>[0-9a-f]{12}</code>", answer.text)
    api_style = browser().get("/no/such/page", headers={"accept": "application/json"})
    assert api_style.status_code == 404 and api_style.text == "Not Found"


def test_server_error_page_has_an_error_id_and_no_traceback(browser, her, monkeypatch):
    from econ.web import participant_views

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals Traceback")

    monkeypatch.setattr(participant_views, "next_payment", broken)
    client = browser()
    sign_in(client)
    answer = client.get("/my")
    assert answer.status_code == 500
    assert "Something went wrong on our side" in answer.text
    assert "secret internals" not in answer.text and "Traceback" not in answer.text
    assert re.search(r"<code>[0-9a-f]{12,16}</code>", answer.text)


def test_next_never_leaves_the_site(browser, her):
    client = browser()
    page = client.get("/sign-in")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        answer = client.post(
            "/sign-in",
            data={"csrf": csrf_of(page.text), "name": her.name, "passphrase": PASSPHRASE,
                  "next": target},
            follow_redirects=False,
        )  # fmt: skip
        assert answer.headers["location"] == "/my"
        client.cookies.clear()
        page = client.get("/sign-in")


def test_staff_and_participant_pages_keep_to_their_audience(browser, people, her):
    user, _ = people.finance()
    staff = browser()
    sign_in(staff, user.email, PASSWORD)
    assert staff.get("/my", follow_redirects=False).headers["location"].startswith("/sign-in")
    participant = browser()
    sign_in(participant)
    answer = participant.get("/staff", follow_redirects=False)
    assert answer.status_code == 303


def test_bearer_api_keeps_working_unchanged(api, her):
    token = api.login(her.name, PASSPHRASE)
    me = api.query("{ me { role participant { preferredName } } }", token=token)["me"]
    assert me == {"role": "PARTICIPANT", "participant": {"preferredName": "Maria"}}


def test_oversized_forms_are_refused_unread(browser, her):
    client = browser()
    page = client.get("/sign-in")
    answer = client.post(
        "/sign-in",
        data={"csrf": csrf_of(page.text), "name": "x" * 40_000, "passphrase": PASSPHRASE},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and _token(client) is None
