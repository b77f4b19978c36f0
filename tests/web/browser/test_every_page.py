"""Every page in the browser: no request leaves the server's origin, axe-core finds no
serious or critical violation in any language, nothing scrolls sideways at 320 px, and a
first visit of her home stays within 30 KB."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from econ.microcredit.models import Loan
from tests.web.browser.conftest import sign_in

PUBLIC = ("/sign-in", "/start", "/no-such-page")
HERS = (
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
BUDGET = 30 * 1024


def her_pages() -> tuple[str, ...]:
    loan = Loan.select().first()
    return (*HERS, f"/my/loan/{loan.id}") if loan else HERS


def test_no_request_leaves_the_origin_on_any_page(context_for, server):
    context = context_for(javascript=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for path in PUBLIC:
        page.goto(path)
    sign_in(page)
    for path in her_pages():
        page.goto(path)
        page.wait_for_load_state("networkidle")
    origin = urlsplit(server).netloc
    elsewhere = [url for url in requests if urlsplit(url).netloc != origin]
    assert requests and elsewhere == []


@pytest.mark.parametrize("language", ("en", "es", "fr"))
def test_axe_finds_no_serious_or_critical_violation(context_for, language):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = context_for(javascript=True).new_page()
    found = {}
    page.goto(f"/language/{language}?next=/sign-in")
    for path in PUBLIC:
        page.goto(path)
        found[path] = axe.run(page).response["violations"]
    sign_in(page, language=language)
    for path in her_pages():
        page.goto(path)
        found[path] = axe.run(page).response["violations"]
    serious = {
        path: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
        for path, violations in found.items()
    }  # fmt: skip
    assert {path: v for path, v in serious.items() if v} == {}


def test_nothing_scrolls_sideways_at_320_px_and_targets_are_large(context_for):
    page = context_for(javascript=True, width=320).new_page()
    sign_in(page)
    for path in her_pages():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
        small = page.evaluate(
            """() => [...document.querySelectorAll('a, button, input, select, summary')]
                .filter(e => e.offsetParent !== null && e.type !== 'hidden')
                .map(e => e.getBoundingClientRect())
                .filter(r => r.height < 24 || r.width < 24).length"""
        )
        assert small == 0, path


def test_first_visit_of_her_home_is_within_budget(context_for):
    context = context_for(javascript=True)
    page = context.new_page()
    sign_in(page)
    fresh = context.new_page()  # same cookies, nothing fetched yet by this page
    client = context.new_cdp_session(fresh)
    client.send("Network.enable")
    client.send("Network.setCacheDisabled", {"cacheDisabled": True})  # a first visit
    sizes: dict[str, int] = {}
    client.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    fresh.goto("/my")
    fresh.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert 0 < total <= BUDGET, total
