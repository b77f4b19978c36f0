"""A forged `after` cursor is a BAD_REQUEST with a message, never an internal error.

Before: a cursor that decodes to a number past what the database's integers hold
(`o:<2**63>` for an OFFSET page, `k:<2**63>` for a keyset page) reached the SQL and came
back as INTERNAL (SQLite's OverflowError, PostgreSQL's "bigint out of range")."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from econ.stipends import services as stipends
from tests.support.people import PASSWORD


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


HUGE = [str(2**63), "9" * 30]
SAVED = "query Q($a: String) { savedCaseloadFilters(first: 5, after: $a) { totalCount } }"
LINES = "query Q($r: ID!, $a: String) { paymentRun(id: $r) { lines(first: 5, after: $a) { totalCount } } }"  # noqa: E501


def _codes(body: dict) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors", [])}


@pytest.mark.parametrize("number", HUGE)
def test_an_offset_cursor_past_any_row_is_a_bad_request(api, people, number):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    body = api.post(SAVED, {"a": _cursor(f"o:{number}")}, token)
    assert _codes(body) == {"BAD_REQUEST"}
    assert body["errors"][0]["message"] == "invalid cursor"


@pytest.mark.parametrize("number", HUGE)
def test_a_keyset_cursor_past_any_id_is_a_bad_request(api, people, number):
    user, finance = people.finance()
    run = stipends.create_run(finance, dt.date.today().strftime("%Y-%m"), run_tasks=False)
    token = api.login(user.email, PASSWORD)
    body = api.post(LINES, {"r": str(run.id), "a": _cursor(f"k:{number}")}, token)
    assert _codes(body) == {"BAD_REQUEST"}


def test_the_last_cursor_that_fits_still_reads_an_empty_page(api, people):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    body = api.post(SAVED, {"a": _cursor(f"o:{2**62 - 1}")}, token)
    assert "errors" not in body and body["data"]["savedCaseloadFilters"]["totalCount"] == 0
