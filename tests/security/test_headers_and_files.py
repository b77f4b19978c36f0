"""Headers, request media types, production error messages, file modes and the currency
setting (issue 14, item 10), over HTTP where a browser or client would meet them."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from econ.security.models import AuditEntry
from econ.settings.services import setting
from tests.security.apps import app_with, gql
from tests.support.people import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _assert_strict(response, *, cacheable: bool = False) -> None:
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    if cacheable:
        assert "no-store" not in response.headers["cache-control"]
    else:
        assert response.headers["cache-control"] == "no-store"


def test_every_kind_of_response_carries_the_security_headers(http, api, people):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    responses = {
        "query": gql(http, "{ me { id } }", token=token),
        "refused query": gql(http, "{ nothing }", token=token),
        "health": http.get("/health"),
        "unknown path": http.get("/no/such/page"),
        "document without a session": http.get("/statements/1.pdf"),
        "document out of reach": http.get(
            "/statements/1.pdf", headers={"authorization": f"Bearer {token}"}
        ),
        "graphiql": http.get("/graphql", headers={"accept": "text/html"}),
    }
    for name, response in responses.items():
        assert response.status_code < 500, name
        _assert_strict(response)
        assert "strict-transport-security" not in response.headers, name  # plain HTTP here


def test_production_adds_hsts_and_turns_graphiql_off():
    with app_with(env="production", introspection=False) as client:
        response = client.get("/health")
        assert response.headers["strict-transport-security"].startswith("max-age=")
        _assert_strict(response)
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 405
        assert client.get("/graphiql/assets/graphiql.min.js").status_code == 404


def test_pages_own_headers_are_kept():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from econ.headers import SecurityHeadersMiddleware

    def signed_out(request):
        return PlainTextResponse(
            "bye", headers={"Clear-Site-Data": '"cache", "storage"', "Cache-Control": "private"}
        )

    app = SecurityHeadersMiddleware(Starlette(routes=[Route("/out", signed_out)]))
    response = TestClient(app).get("/out")
    assert response.headers["clear-site-data"] == '"cache", "storage"'
    assert response.headers["cache-control"] == "private"  # the page's own choice stays
    assert response.headers["referrer-policy"] == "no-referrer"


def test_graphiql_loads_everything_from_this_server(http):
    page = http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    html = page.text
    assert "<style" not in html and "style=" not in html
    assert re.findall(r"<script>", html) == []  # no inline script: CSP forbids it
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) == 6
    for url in urls:
        assert url.startswith("/graphiql/assets/"), url
        asset = http.get(url)
        assert asset.status_code == 200 and len(asset.content) > 50, url
        assert asset.headers["content-type"].startswith(("text/css", "text/javascript"))
        _assert_strict(asset, cacheable=True)
    assert "//" not in re.sub(r"https?://www\.w3\.org", "", html.split("<body>")[1])
    assert http.get("/graphiql/assets/../../server.py").status_code == 404


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/plain", '{"query": "mutation { logout { errors { code } } }"}'),
        ("application/x-www-form-urlencoded", "query=mutation+%7B+logout+%7B+errors+%7B+code"),
        ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="q"'),
        (None, '{"query": "{ me { id } }"}'),
    ],
)
def test_only_json_posts_are_executed(http, api, people, content_type, body):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    before = AuditEntry.select().count()
    headers = {"authorization": f"Bearer {token}"}
    if content_type:
        headers["content-type"] = content_type
    response = http.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code == 415, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert AuditEntry.select().count() == before  # nothing ran
    ok = http.post(
        "/graphql",
        content=b'{"query": "{ me { id } }"}',
        headers={**headers, "content-type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200 and ok.json()["data"]["me"]["id"] == str(user.id)


def test_production_gives_no_field_suggestions_but_answers_typename():
    with app_with(env="production", introspection=False) as client:
        typo = gql(client, "{ participantz { totalCount } }")
        assert typo.status_code == 400
        message = typo.json()["errors"][0]["message"]
        assert "participantz" in message and "Did you mean" not in message
        assert "participants" not in message
        enum = gql(client, "{ users(role: ADMINN) { totalCount } }")
        assert "Did you mean" not in enum.text and "ADMIN'" not in enum.text
        typename = gql(client, "{ __typename }")
        assert typename.status_code == 200, typename.text
        assert typename.json() == {"data": {"__typename": "Query"}}
        schema = gql(client, "{ __schema { types { name } } }")
        assert schema.status_code == 400 and "introspection" in schema.text
    with app_with() as development:  # where they help, and introspection shows all anyway
        assert "Did you mean" in gql(development, "{ participantz { totalCount } }").text


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


def test_the_cli_writes_only_private_files_under_a_private_data_dir(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "ECON_DATA_DIR": str(data), "ECON_DATABASE_URL": ""}
    env.pop("ECON_SECRET_KEY", None)

    def econ(*args, **extra):
        return subprocess.run(
            [sys.executable, "-m", "econ.cli", *args],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=180,
            preexec_fn=lambda: os.umask(0o022),  # a usual shell umask: 0644 files
        )

    assert econ("migrate").returncode == 0
    demo = econ("demo")
    assert demo.returncode == 0, demo.stderr
    report = tmp_path / "indicators.pdf"
    made = econ(
        "outcomes",
        "report",
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        "--out",
        str(report),
        ECON_USER="admin@demo.econ",
        ECON_PASSWORD="demo-admin-pass",
    )
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    modes = _modes(data)
    assert modes["."] == 0o700
    assert {"econ.db", "secret.key"} <= set(modes)
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}


def test_an_existing_loose_data_dir_is_tightened_at_start(tmp_path):
    from econ.security.filemodes import restrict_files

    data = tmp_path / "old"
    (data / "statements").mkdir(parents=True)
    (data / "econ.db").write_text("x")
    (data / "statements" / "1.pdf").write_text("x")
    os.chmod(data, 0o755)
    os.chmod(data / "statements", 0o755)
    os.chmod(data / "econ.db", 0o644)
    os.chmod(data / "statements" / "1.pdf", 0o644)
    before = os.umask(0o022)
    try:
        restrict_files(data)
        (data / "new.txt").write_text("written after start")
    finally:
        os.umask(before)
    assert _modes(data) == {
        ".": 0o700,
        "statements": 0o700,
        "econ.db": 0o600,
        "statements/1.pdf": 0o600,
        "new.txt": 0o600,
    }


UPDATE = (
    'mutation S($c: String!) { updateSettings(input: {settings: [{key: "currency", '
    "value: $c}]}) { errors { code message } } }"
)


def test_currency_must_be_an_iso_4217_code_in_use(http, api, people):
    admin, _ = people.admin()
    token = api.login(admin.email, PASSWORD)

    def update(code):
        return api.post(UPDATE, {"c": code}, token)

    for bad in ("XXX", "XTS", "XAU", "DEM", "EURO", "E", "€", "ABC"):
        body = update(bad)
        assert body["data"]["updateSettings"]["errors"][0]["code"] == "INVALID_SETTING", bad
    assert update("eur")["data"]["updateSettings"]["errors"] == []
    settings = api.query("{ programSettings { key value } }", None, token)["programSettings"]
    assert {s["key"]: s["value"] for s in settings}["currency"] == "EUR"
    assert update(" usd ")["data"]["updateSettings"]["errors"] == []
    assert setting("currency") == "USD"
    assert update("XOF")["data"]["updateSettings"]["errors"] == []  # a real "X" currency
