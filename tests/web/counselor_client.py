"""A browser-like client for the counselor's pages: its own cookies, signs in through the
sign-in form (CSRF token and all), reads the CSRF token of any page it is shown."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from econ.web.sessions import CSRF_FIELD
from tests.support.people import PASSWORD

HTML = {"Accept": "text/html"}
_TOKEN = re.compile(r'name="' + CSRF_FIELD + r'" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class PageClient:
    def __init__(self, app):
        self.http = TestClient(app, raise_server_exceptions=False)

    def sign_in(self, email: str, password: str = PASSWORD) -> PageClient:
        form = self.http.get("/sign-in", headers=HTML)
        answer = self.http.post(
            "/sign-in",
            data={CSRF_FIELD: csrf_of(form.text), "name": email, "passphrase": password},
            headers=HTML,
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return self

    def get(self, path: str, **kwargs):
        return self.http.get(path, headers=HTML, **kwargs)

    def post(self, path: str, data: dict, token_from: str | None = None, **kwargs):
        """POST a form with the CSRF token of the page at `token_from` (default: `path`)."""
        page = self.get(token_from or path)
        return self.http.post(path, data={CSRF_FIELD: csrf_of(page.text), **data}, headers=HTML,
                              **kwargs)  # fmt: skip
