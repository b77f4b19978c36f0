"""A real browser (Debian's Chromium through Playwright) on a live server with the demo.

Chromium is /usr/bin/chromium (Playwright's own browser download is not used); without
it the browser tests skip, and with CI=true they fail instead, like the PostgreSQL tests.
The demo is loaded once per module (its loading takes seconds): these tests replace the
suite's per-test table cleaning, so each module's tests read or change different things.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import IN_CI, truncate_all, wait_for_background_tasks

CHROMIUM = Path(os.environ.get("ECON_TEST_CHROMIUM", "/usr/bin/chromium"))
NEUTRAL_PAGE = b"<!doctype html><title>Weather</title><h1>Weather today</h1>"
SIGN_IN = ("sunrise-demo", "demo sunrise passphrase")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium is not installed at {CHROMIUM}"
    if IN_CI:
        pytest.fail(message + " (CI=true requires it: apt-get install chromium)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def clean_tables(database):
    """Replaces the suite's: the module's demo stays for all its tests."""
    yield


class _Neutral(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def neutral_site():
    """The quick exit's neutral site: another origin, on this machine."""
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Neutral)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}/weather"
    site.shutdown()


@pytest.fixture(scope="module")
def demo(database, http, neutral_site):
    wait_for_background_tasks()
    truncate_all()
    from econ import demo as demo_data
    from econ.security.roles import SYSTEM
    from econ.settings.services import update_settings

    ctx = demo_data.load()
    update_settings(SYSTEM, {"quick_exit_url": neutral_site})
    wait_for_background_tasks()  # the demo's statements
    yield ctx
    wait_for_background_tasks()
    truncate_all()


@pytest.fixture(scope="module")
def server(app, demo) -> str:
    """The app on a free local port (its lifespan, worker included, is the session's)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_config=None, access_log=False
    )
    live = uvicorn.Server(config)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not live.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def chromium():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def context_for(chromium, server):
    """New browser contexts, each with its own cookies."""
    made = []

    def make(javascript: bool = True, width: int = 1280, **options):
        context = chromium.new_context(
            base_url=server,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            **options,
        )
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def sign_in(
    page, name: str = SIGN_IN[0], passphrase: str = SIGN_IN[1], language: str | None = "en"
) -> None:
    """Sign in as the demo's participant (her pages are in French unless `language`)."""
    page.goto(f"/language/{language}?next=/sign-in" if language else "/sign-in")
    page.fill("#name", name)
    page.fill("#passphrase", passphrase)
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/my")
