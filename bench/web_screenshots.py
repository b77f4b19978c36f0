"""Screenshots of her pages at 360 px and 1280 px for docs/img/web (the demo's participant).

python -m bench.web_screenshots [--out docs/img/web]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import common
from bench.graphql import server_process
from bench.web import CHROMIUM

PAGES = {
    "sign-in": "/sign-in",
    "start": "/start",
    "home": "/my",
    "plan": "/my/plan",
    "payments": "/my/payments",
    "loan": "/my/loan",
    "training": "/my/training",
    "consents": "/my/consents",
    "reads": "/my/reads",
    "documents": "/my/documents",
    "settings": "/my/settings",
    "not-found": "/no-such-page",
}
WIDTHS = (360, 1280)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/img/web")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    common.setup_database("sqlite")
    from econ import demo
    from econ.db import db
    from econ.participants.demo import SIGN_IN
    from econ.worker import ensure_configured

    ensure_configured()
    demo.load()
    _reads_for_the_demo()
    db.close()
    from playwright.sync_api import sync_playwright

    with server_process() as (port, _server_pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for width in WIDTHS:
            context = browser.new_context(
                base_url=f"http://127.0.0.1:{port}", viewport={"width": width, "height": 800}
            )
            page = context.new_page()
            page.goto("/language/en?next=/sign-in")
            for name in ("sign-in", "start"):
                page.goto(PAGES[name])
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.goto("/sign-in")
            page.fill("#name", SIGN_IN[0])
            page.fill("#passphrase", SIGN_IN[1])
            page.click("form[action='/sign-in'] button[type=submit]")
            page.wait_for_url("**/my")
            for name, path in PAGES.items():
                if name in ("sign-in", "start"):
                    continue
                page.goto(path)
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            context.close()
        browser.close()
    print(f"screenshots in {out}")


def _reads_for_the_demo() -> None:
    """Her counselor opens her file once, so "who read my data" has something to show."""
    from econ.participants import services as participants
    from econ.participants.demo import SIGN_IN
    from econ.security.models import User
    from econ.security.services import actor_for

    her = User.get(User.sign_in_name == SIGN_IN[0])
    record = participants.get_participant(actor_for(her), her.participant_id)
    counselor = actor_for(User.get_by_id(record.counselor_id))
    participants.read_restricted(counselor, [record], ["legal_name", "phone"])


if __name__ == "__main__":
    main()
