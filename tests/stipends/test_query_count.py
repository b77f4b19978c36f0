"""A payment run with its lines, payees and attempts runs a bounded number of SQL
statements, and the payee names of a page are audited together."""

from __future__ import annotations

from econ.security.models import AuditEntry
from tests.stipends.conftest import World
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

QUERY = """query ($id: ID!) { paymentRun(id: $id) {
  state totals { lineCount } createdBy { displayName }
  lines(first: 50) { totalCount edges { node {
    id net { amount } payeeName status attempts { edges { node { reference status } } } } } } } }"""


def _statements_for(api, people, size: int) -> tuple[int, int]:
    from tests.conftest import truncate_all

    truncate_all()
    world = World(people)
    for _ in range(size):
        world.schedule(world.participant())
    run = world.disburse(world.approve(world.calculate("2026-02")))
    token = api.login(world.finance_user.email, PASSWORD)
    payee_reads = AuditEntry.select().where(
        (AuditEntry.action == "read_restricted") & (AuditEntry.record_type == "PaymentLine")
    )
    before = payee_reads.count()
    with count_queries() as counter:
        data = api.query(QUERY, {"id": str(run.id)}, token)
    lines = data["paymentRun"]["lines"]["edges"]
    assert len(lines) == size and all(e["node"]["payeeName"] for e in lines)
    assert all(e["node"]["attempts"]["edges"] for e in lines)
    read = payee_reads.count() - before
    assert read == size  # every payee read is audited: one entry per participant (one each)
    return counter.count, read


def test_statement_count_does_not_grow_with_lines(api, people):
    small, _ = _statements_for(api, people, 2)
    large, _ = _statements_for(api, people, 8)
    assert small == large
