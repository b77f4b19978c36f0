"""Her pages: bytes and time to a usable page on a slow phone line, and server time per page.

1. Chromium (Debian's, /usr/bin/chromium) opens her home on a first visit (cache off)
   through Chrome DevTools network emulation: 400 kbit/s down and up, 400 ms round trip.
   Reported: bytes transferred (encoded, all requests), requests, first contentful paint
   and the load event (the page is usable: HTML and CSS in, nothing else to wait for).
2. Server time of each participant page at 10 concurrent clients (keep-alive, back to
   back), p50/p99, against the same run's baseline: her home's own document sent as JSON
   to POST /graphql (what the page costs beyond its data: session check, rendering).

The data is the demo (`econ demo`): its participant with a sign-in name, a loan, a group,
consents, training and a statement. The server is `server:app` in a child process.

With `--finance 1`, instead: the finance run detail page (issue 18) for a calculated run of
`--size` lines (default 20,000; the payment-run benchmark's generated population): server
time at 10 concurrent FINANCE users of the page (first page of 50 lines, totals and totals
per method summed by the database), of the page filtered to held lines, and of its second
page of lines; baseline in the same run: the page's own document sent as JSON to POST
/graphql. Target: p99 under 100 ms. Also printed: the server's CPU time per request (all
its threads, from /proc), which moves much less with the machine's load than latency.

    python -m bench.web [--runs R] [--seconds S] [--db sqlite|postgres]
    python -m bench.web --finance 1 [--size N] [--runs R] [--seconds S] [--db ...]
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from bench import common
from bench.graphql import load, server_process

PAGES = (
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
CHROMIUM = os.environ.get("ECON_BENCH_CHROMIUM", "/usr/bin/chromium")
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
BUDGET = 30 * 1024


def page_request(path: str, token: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
        f"Cookie: econ_session={token}\r\n\r\n"
    ).encode()


def api_request(query: str, token: str) -> bytes:
    from bench.graphql import request_bytes

    return request_bytes("/graphql", {"query": query}, token)


def slow_first_visit(port: int, name: str, passphrase: str) -> dict:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(base_url=base, viewport={"width": 360, "height": 800})
        page = context.new_page()
        page.goto("/language/en?next=/sign-in")
        page.fill("#name", name)
        page.fill("#passphrase", passphrase)
        page.click("form[action='/sign-in'] button[type=submit]")
        page.wait_for_url("**/my")
        fresh = context.new_page()
        cdp = context.new_cdp_session(fresh)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW)
        sizes: dict[str, int] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        fresh.goto("/my", wait_until="load")
        fresh.wait_for_load_state("networkidle")
        timing = fresh.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0];
              const paint = performance.getEntriesByName('first-contentful-paint')[0];
              return {load: nav.loadEventEnd, fcp: paint ? paint.startTime : null};
            }"""
        )
        browser.close()
    return {"bytes": sum(sizes.values()), "requests": len(sizes), **timing}


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], 0, seconds=3.0, finance=0, workers=1)
    if args.finance:
        return finance(args)
    common.setup_database(args.db)
    from econ import demo
    from econ.participants.demo import SIGN_IN
    from econ.security.services import login
    from econ.web.documents import load_documents
    from econ.worker import ensure_configured

    ensure_configured()
    demo.load()
    token = login(*SIGN_IN)[0]
    home_document = load_documents()["participant/home"]
    from econ.db import db

    db.close()  # the server process has the database now
    print(f"web: the demo, db={args.db}, 10 clients, {args.seconds:g} s x {args.runs} runs")
    with server_process(args.workers) as (port, _server_pid):
        slow = slow_first_visit(port, *SIGN_IN) if Path(CHROMIUM).exists() else None
        load(port, page_request("/my", token), 1.0)  # warm-up
        runs: dict[str, list[dict]] = {}
        for _ in range(args.runs):
            runs.setdefault("api", []).append(
                load(port, api_request(home_document, token), args.seconds)
            )
            for path in PAGES:
                runs.setdefault(path, []).append(
                    load(port, page_request(path, token), args.seconds)
                )
        results = {
            key: {m: statistics.median(r[m] for r in rows) for m in rows[0]}
            for key, rows in runs.items()
        }
    _report(slow, results)


def _report(slow: dict | None, results: dict) -> None:
    if slow is None:
        common.note(f"no Chromium at {CHROMIUM}: the slow-line figures are skipped")
    else:
        print("  her home, first visit, 400 kbit/s and 400 ms round trip (CDP emulation):")
        common.figure("bytes transferred (budget 30,720)", slow["bytes"], "B")
        common.figure("requests", slow["requests"])
        common.figure("first contentful paint", slow["fcp"] or 0, "ms")
        common.figure("load event (usable)", slow["load"], "ms")
    base = results["api"]
    print(f"  {'page at 10 clients':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    print(
        f"  {'baseline: home document as JSON (/graphql)':<46}{base['rps']:>9,.0f}"
        f"{base['p50']:>9.2f}{base['p99']:>9.2f}"
    )
    for path in PAGES:
        r = results[path]
        print(f"  {path:<46}{r['rps']:>9,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}")
    common.note("ratio = her home page p50 / its document's p50 over /graphql (the page's cost)")
    common.print_ratio(results["/my"]["p50"] / base["p50"])


def finance(args) -> None:
    """The run detail page of a run of `args.size` lines, at 10 FINANCE users."""
    from bench.payment_run import calculate
    from econ.db import db
    from econ.security.services import login
    from econ.web.documents import load_documents
    from econ.worker import ensure_configured

    size = args.size or 20_000
    common.setup_database(args.db)
    ensure_configured()
    seconds, pop = common.timed(lambda: common.generate_population(size))
    common.note(f"{size:,} schedules generated in {seconds:.1f} s (not timed)")
    run = calculate(pop)
    token = login("checker@bench.econ", common.BENCH_PASSWORD)[0]
    document = load_documents()["finance/run"]
    second_page = _cursor(run.id, 50)
    db.close()  # the server process has the database now
    paths = {
        "run detail": f"/staff/runs/{run.id}",
        "held lines only": f"/staff/runs/{run.id}?status=HELD",
        "second page of lines": f"/staff/runs/{run.id}?after={second_page}",
    }
    baseline = request_document(document, "Run", {"id": str(run.id)}, token)
    print(f"web --finance: a run of {size:,} lines, db={args.db}, 10 clients, "
          f"{args.workers} uvicorn worker(s), {args.seconds:g} s x {args.runs} runs")  # fmt: skip
    with server_process(args.workers) as (port, pid):
        load(port, page_request(paths["run detail"], token), 1.0)  # warm-up
        runs: dict[str, list[dict]] = {}
        for _ in range(args.runs):
            runs.setdefault("api", []).append(load(port, baseline, args.seconds, pid=pid))
            for label, path in paths.items():
                runs.setdefault(label, []).append(
                    load(port, page_request(path, token), args.seconds, pid=pid)
                )
    results = {
        key: {m: statistics.median(r[m] for r in rows) for m in rows[0]}
        for key, rows in runs.items()
    }
    print(f"  {'page at 10 clients':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>9}")
    for label in ("api", *paths):
        r = results[label]
        name = "baseline: its document as JSON (/graphql)" if label == "api" else label
        print(f"  {name:<46}{r['rps']:>9,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['cpu_ms']:>9.2f}")
    common.note("CPU ms: the server process's CPU time (all threads) per request answered")
    common.note("target: run detail p99 < 100 ms; ratio = its p50 / its document's p50")
    common.print_ratio(results["run detail"]["p50"] / results["api"]["p50"])


def request_document(document: str, operation: str, variables: dict, token: str) -> bytes:
    from bench.graphql import request_bytes

    body = {"query": document, "operationName": operation, "variables": variables}
    return request_bytes("/graphql", body, token)


def _cursor(run_id: int, shown: int) -> str:
    """The API's cursor after the first `shown` lines of the run (keyset: the last line's
    id, econ/schema/pagination.py)."""
    from econ.schema.pagination import _key_cursor
    from econ.stipends.models import PaymentLine

    shown_ids = (
        PaymentLine.select(PaymentLine.id)
        .where(PaymentLine.run == run_id)
        .order_by(PaymentLine.id)
        .limit(shown)
        .tuples()
    )
    return _key_cursor(list(shown_ids)[-1][0])  # a small run: after its last line


if __name__ == "__main__":
    sys.exit(main())
