"""The run page's figures come from one grouped query (econ/stipends/summary.py), kept per
run version while the run is CALCULATED or APPROVED: they must equal the lines summed
one by one in every state, and a version that moves on must be read again. Its lines
are paged by keyset."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from econ.errors import PermissionDenied
from econ.money import ZERO
from econ.stipends import services as stipends
from econ.stipends.models import PaymentLine, PaymentRun
from econ.stipends.summary import read_summary
from tests.stipends.conftest import line_of, payable_total
from tests.support.people import PASSWORD

LINES = """query ($id: ID!, $after: String, $status: PaymentLineStatus) {
  paymentRun(id: $id) { lines(first: 2, after: $after, status: $status) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { node { id participantCode attempts { totalCount } } } } } }"""


def _month(world):
    """Four paid by bank transfer, one without an account (held), one with an award."""
    paid = [world.participant() for _ in range(4)]
    held = world.participant(bank_account=None)
    for her in (*paid, held):
        world.schedule(her)
    world.award(paid[0])
    return paid, held


def _assert_figures_are_the_lines(world, run: PaymentRun) -> None:
    run = PaymentRun.get_by_id(run.id)
    lines = list(PaymentLine.select().where(PaymentLine.run == run.id))
    totals = stipends.run_totals(run)
    assert totals.line_count == len(lines)
    for name in ("base", "taper", "incentives", "adjustments", "net"):
        assert getattr(totals, name) == sum((getattr(x, name) for x in lines), ZERO), name
    methods = {
        m.method: (m.count, m.net, m.held) for m in stipends.totals_by_method(world.finance, run)
    }
    assert methods == {
        method: (
            sum(1 for x in lines if x.method == method),
            sum((x.net for x in lines if x.method == method), ZERO),
            sum(1 for x in lines if x.method == method and x.status == "HELD"),
        )
        for method in {x.method for x in lines}
    }
    assert stipends.payable_total(run).total == payable_total(run)
    exceptional = [x for x in lines if x.exception is not None or x.status == "FAILED"]
    summary = stipends.summary_of(run)
    assert summary.exception_lines == len(exceptional)
    by_status = Counter(x.status for x in lines)
    assert {s: summary.count(status=s) for s in by_status} == dict(by_status)
    assert summary.count(exception="NO_BANK_ACCOUNT") == sum(
        1 for x in lines if x.exception == "NO_BANK_ACCOUNT"
    )


def test_the_figures_are_the_lines_summed_in_every_state(world):
    _month(world)
    run = world.calculate("2026-02")
    _assert_figures_are_the_lines(world, run)  # CALCULATED: computed, then kept
    _assert_figures_are_the_lines(world, run)  # the same version again: from what was kept
    run = world.approve(run)
    _assert_figures_are_the_lines(world, run)  # APPROVED: a new version
    run = world.disburse(run)
    _assert_figures_are_the_lines(world, run)  # lines SENT or HELD: read per request
    assert stipends.summary_of(run).count(status="SENT") == 4


def test_a_frozen_run_is_summed_once_per_version(world):
    paid, _held = _month(world)
    run = world.calculate("2026-02")
    before = stipends.run_totals(run)
    # Nothing changes a frozen run's lines without moving its version; if something
    # did, the kept figures would show it only at the next version (this is the rule
    # econ/stipends/summary.py relies on, written down here).
    line = line_of(run, paid[1])
    PaymentLine.update(net=PaymentLine.net + 1).where(PaymentLine.id == line.id).execute()
    assert stipends.run_totals(PaymentRun.get_by_id(run.id)) == before
    assert stipends.run_totals(run.id).net == before.net + Decimal("0.01")  # by id: read
    assert read_summary(run.id).sums()["net"] == stipends.run_totals(run.id).net * 100
    PaymentLine.update(net=PaymentLine.net - 1).where(PaymentLine.id == line.id).execute()
    rejected = stipends.reject_run(world.finance2, run.id, run.version, "check the award")
    assert rejected.version == run.version + 1
    assert stipends.run_totals(rejected) == before  # read again for the new version


def test_the_panel_and_the_approval_agree_on_an_amount_author(world, people):
    _month(world)  # the award is the first FINANCE user's
    _, creator = people.finance()
    run = stipends.create_run(creator, "2026-02", run_tasks=False)
    assert stipends.calculate_run(run.id, run.generation) == "done"
    run = PaymentRun.get_by_id(run.id)
    for _ in range(2):  # the second look comes from what the first one kept
        assert stipends.approval_obstacle(world.finance, run) == "AMOUNT_AUTHOR"
        assert stipends.approval_obstacle(world.finance2, run) is None
        assert stipends.approval_obstacle(creator, run) == "CREATOR"
    with pytest.raises(PermissionDenied):
        stipends.approve_run(world.finance, run.id, run.version, str(payable_total(run)))


def test_lines_are_paged_by_keyset_with_counts_from_the_summary(world, api):
    _month(world)
    run = world.disburse(world.approve(world.calculate("2026-02")))
    token = api.login(world.finance_user.email, PASSWORD)
    seen, after, pages = [], None, 0
    while True:
        data = api.query(LINES, {"id": str(run.id), "after": after}, token)
        lines = data["paymentRun"]["lines"]
        assert lines["totalCount"] == 5
        assert lines["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [int(e["node"]["id"]) for e in lines["edges"]]
        assert all(e["node"]["participantCode"] for e in lines["edges"])
        pages += 1
        if not lines["pageInfo"]["hasNextPage"]:
            break
        after = lines["pageInfo"]["endCursor"]
    expected = [x.id for x in PaymentLine.select().where(PaymentLine.run == run.id)]
    assert seen == sorted(expected) and pages == 3
    sent = api.query(LINES, {"id": str(run.id), "status": "SENT"}, token)["paymentRun"]
    assert sent["lines"]["totalCount"] == 4
    assert all(e["node"]["attempts"]["totalCount"] for e in sent["lines"]["edges"])
    offset_cursor = "bzox"  # base64 of "o:1", a row offset: not a cursor of these pages
    refused = api.post(LINES, {"id": str(run.id), "after": offset_cursor}, token)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


KEY = "query ($id: ID!) { paymentRun(id: $id) { version linesKey } }"


def test_the_lines_key_names_a_frozen_version_only(world, api, people):
    _month(world)
    run = world.calculate("2026-02")
    first = api.login(world.finance_user.email, PASSWORD)
    second = api.login(world.finance2_user.email, PASSWORD)
    calculated = api.query(KEY, {"id": str(run.id)}, first)["paymentRun"]["linesKey"]
    assert (
        calculated
        and calculated == api.query(KEY, {"id": str(run.id)}, second)["paymentRun"]["linesKey"]
    )  # the same lines for every FINANCE user
    run = world.approve(run)
    approved = api.query(KEY, {"id": str(run.id)}, first)["paymentRun"]["linesKey"]
    assert approved and approved != calculated  # a new version: a new key
    run = world.disburse(run)
    assert api.query(KEY, {"id": str(run.id)}, first)["paymentRun"]["linesKey"] is None
    admin_user, _ = people.admin()
    refused = api.post(KEY, {"id": str(run.id)}, api.login(admin_user.email, PASSWORD))
    found = (refused.get("data") or {}).get("paymentRun")
    assert found is None or found.get("linesKey") is None
    assert any(e["extensions"]["code"] == "FORBIDDEN" for e in refused.get("errors", []))
