"""The double-entry journal: balanced entries, idempotent keys, reversals, balances."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from econ.db import db
from econ.errors import DomainError
from econ.ledger.models import JournalEntry, JournalLine
from econ.ledger.services import Posting, balance, post, reverse, unbalanced_entries


def _pay(key: str, amount: str, participant: int | None = None):
    return post(
        key,
        [
            Posting("stipend_expense", Decimal(amount), participant),
            Posting("stipend_payable", -Decimal(amount), participant),
        ],
        memo="test",
    )


def test_balanced_entry_and_balances_per_account_and_participant():
    _pay("e1", "900.00", 1)
    _pay("e2", "650.50", 2)
    assert balance("stipend_expense") == Decimal("1550.50")  # 900.00 + 650.50
    assert balance("stipend_payable") == Decimal("-1550.50")
    assert balance("stipend_expense", 2) == Decimal("650.50")
    assert unbalanced_entries() == []


def test_unbalanced_or_zero_lines_are_refused_and_nothing_is_written():
    with pytest.raises(DomainError) as exc:
        post("bad", [Posting("bank", Decimal("1.00")), Posting("bank_clearing", Decimal("-0.99"))])
    assert exc.value.code == "UNBALANCED"
    with pytest.raises(DomainError) as exc:
        post("zero", [Posting("bank", Decimal("0.00")), Posting("bank_clearing", Decimal("0"))])
    assert exc.value.code == "EMPTY_LINE"
    assert JournalEntry.select().count() == 0 and JournalLine.select().count() == 0


def test_posting_a_key_twice_returns_the_first_entry():
    first = _pay("run:1:approve", "900.00")
    second = _pay("run:1:approve", "900.00")
    assert first.id == second.id
    assert balance("stipend_expense") == Decimal("900.00")


def test_reversal_mirrors_the_original():
    _pay("e1", "120.00", 5)
    reversal = reverse("e1:rev", "e1")
    assert reversal.reverses_id == JournalEntry.get(JournalEntry.key == "e1").id
    assert balance("stipend_expense", 5) == Decimal("0.00")
    assert reverse("e1:rev", "e1").id == reversal.id  # idempotent too


def test_racing_posts_of_one_key_write_one_entry():
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def worker():
        barrier.wait()
        try:
            with db.connection_context():
                _pay("race", "10.00")
        except Exception as exc:  # a failure of any kind must fail the test below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert JournalEntry.select().where(JournalEntry.key == "race").count() == 1
    assert balance("stipend_expense") == Decimal("10.00")


def test_ledger_balance_over_graphql_is_for_finance(api, people):
    from tests.support.people import PASSWORD

    _pay("e1", "900.00", 3)
    finance_user, _ = people.finance()
    counselor_user, _ = people.counselor()
    query = "query($a: String!, $p: ID) { ledgerBalance(account: $a, participantId: $p) { balance { amount } } }"  # noqa: E501
    token = api.login(finance_user.email, PASSWORD)
    data = api.query(query, {"a": "stipend_payable", "p": "3"}, token)
    assert data["ledgerBalance"]["balance"]["amount"] == "-900.00"
    denied = api.post(query, {"a": "stipend_payable"}, api.login(counselor_user.email, PASSWORD))
    assert denied["data"]["ledgerBalance"] is None and denied["errors"]


def test_an_entry_from_a_generator_is_written_in_batches_and_balances(monkeypatch):
    """Issue 21 item 3: an approval's entry has two lines per line of the run; they are
    read from a cursor and inserted LINE_BATCH at a time, never held as one list."""
    from econ.ledger import services

    monkeypatch.setattr(services, "LINE_BATCH", 3)

    def postings():
        for participant in range(1, 6):
            yield Posting("stipend_expense", Decimal("10.00"), participant)
            yield Posting("stipend_payable", Decimal("-10.00"), participant)

    entry = post("run:1:approve", postings(), memo="streamed")
    assert JournalLine.select().where(JournalLine.entry == entry.id).count() == 10
    assert balance("stipend_expense") == Decimal("50.00") and unbalanced_entries() == []


def test_an_unbalanced_generator_leaves_no_entry():
    def postings():
        yield Posting("stipend_expense", Decimal("10.00"))
        yield Posting("stipend_payable", Decimal("-9.99"))

    with pytest.raises(DomainError) as err:
        post("lopsided", postings())
    assert err.value.code == "UNBALANCED"
    assert JournalEntry.select().count() == 0 and JournalLine.select().count() == 0


def test_post_many_posts_each_new_key_once_and_skips_those_posted():
    from econ.ledger.services import Entry, post_many

    _pay("attempt:A1:send", "5.00", 1)

    def entry(key: str, amount: str) -> Entry:
        cash = Decimal(amount)
        return Entry(key, [Posting("bank_clearing", cash, 2), Posting("bank", -cash, 2)])

    post_many([entry("attempt:A1:send", "5.00"), entry("attempt:A2:send", "7.00")])
    post_many([entry("attempt:A2:send", "7.00")])  # a re-run posts nothing
    assert JournalEntry.select().count() == 2
    assert balance("bank_clearing") == Decimal("7.00") and unbalanced_entries() == []
    with pytest.raises(DomainError):
        post_many([entry("attempt:A3:send", "1.00"), Entry("bad", [Posting("bank", Decimal(1))])])
    assert not JournalEntry.select().where(JournalEntry.key == "attempt:A3:send").exists()
