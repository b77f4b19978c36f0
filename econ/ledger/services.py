"""Post balanced entries, reverse them, read balances.

Other domains call `post(...)` inside their own transaction with a unique `key` naming the
business event (e.g. "run:12:approve", "loan:7:disburse"); posting a key that exists
returns the existing entry, so re-running a task never posts twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

import peewee as pw

from econ.db import db
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.inserts import insert_rows
from econ.ledger.errors import LedgerCode
from econ.ledger.models import ACCOUNT_KINDS, Account, JournalEntry, JournalLine
from econ.money import from_cents, to_cents
from econ.months import check_month, month_end, month_start
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role


@dataclass(frozen=True)
class Posting:
    """One line: `amount` > 0 debits the account, < 0 credits it."""

    account: str
    amount: Decimal
    participant_id: int | None = None


# Chart of accounts used by the programme; domains may add accounts with `ensure_account`.
CHART = {
    "stipend_expense": ("Stipend expense", "EXPENSE"),
    "stipend_payable": ("Stipends payable", "LIABILITY"),
    "bank_clearing": ("Bank clearing (payments in transit)", "ASSET"),
    "bank": ("Programme bank account", "ASSET"),
    "loans_receivable": ("Loans receivable", "ASSET"),
    "loans_in_transit": ("Loan disbursements in transit", "ASSET"),
    "interest_income": ("Loan interest income", "INCOME"),
    "loan_write_off": ("Loan write-off expense", "EXPENSE"),
    "group_fund": ("Solidarity group funds held", "LIABILITY"),
}


def ensure_account(code: str, name: str | None = None, kind: str | None = None) -> Account:
    account = Account.get_or_none(Account.code == code)
    if account is not None:
        return account
    default_name, default_kind = CHART.get(code, (code, "ASSET"))
    kind = kind or default_kind
    if kind not in ACCOUNT_KINDS:
        raise ValueError(f"unknown account kind {kind}")
    try:
        with db.atomic():
            return Account.create(code=code, name=name or default_name, kind=kind)
    except pw.IntegrityError:  # created meanwhile by another worker
        return Account.get(Account.code == code)


# Lines of one entry are inserted this many at a time (an approval has two per line of
# a 100,000-line run: never held as one list).
LINE_BATCH = 1000


def post(
    key: str,
    postings: Iterable[Posting],
    *,
    memo: str = "",
    source_type: str = "",
    source_id: object = "",
    created_by: int | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Write one balanced entry, or return the entry already posted under `key`.

    A list or tuple is checked before anything is read; any other iterable is read once,
    in batches, and checked as it is written (an unbalanced one rolls back its entry)."""
    if isinstance(postings, Sequence):
        _check_lines(key, [to_cents(p.amount) for p in postings])
    existing = JournalEntry.get_or_none(JournalEntry.key == key)
    if existing is not None:
        return existing
    try:
        with db.atomic():
            entry = JournalEntry.create(
                key=key,
                memo=memo[:200],
                source_type=source_type,
                source_id=str(source_id),
                created_by=created_by,
                reverses=reverses,
            )
            _check_lines(key, _insert_lines((entry.id, p) for p in postings))
    except pw.IntegrityError:
        # Another worker posted the same event first: that entry is the one.
        return JournalEntry.get(JournalEntry.key == key)
    return entry


@dataclass(frozen=True)
class Entry:
    """One entry for `post_many`: the arguments `post` takes."""

    key: str
    postings: Sequence[Posting]
    memo: str = ""
    source_type: str = ""
    source_id: object = ""
    created_by: int | None = None


def post_many(entries: Sequence[Entry]) -> None:
    """Post each entry whose key is not posted yet, in three statements for the lot (a
    payment file's send entries, a chunk at a time). Each is checked as `post` checks
    it; if another worker posts one of the keys meanwhile, each is posted on its own."""
    for entry in entries:
        _check_lines(entry.key, [to_cents(p.amount) for p in entry.postings])
    keys = [entry.key for entry in entries]
    posted = set(JournalEntry.select(JournalEntry.key).where(JournalEntry.key.in_(keys)).tuples())
    todo = [entry for entry in entries if (entry.key,) not in posted]
    if not todo:
        return
    try:
        with db.atomic():
            insert_rows(
                JournalEntry,
                [
                    {
                        "key": e.key,
                        "memo": e.memo[:200],
                        "source_type": e.source_type,
                        "source_id": str(e.source_id),
                        "created_by": e.created_by,
                    }
                    for e in todo
                ],
            )
            ids = dict(
                JournalEntry.select(JournalEntry.key, JournalEntry.id)
                .where(JournalEntry.key.in_([e.key for e in todo]))
                .tuples()
            )
            lines = ((ids[e.key], p) for e in todo for p in e.postings)
            for _ in _insert_lines(lines):  # each entry was checked above
                pass
    except pw.IntegrityError:
        for e in todo:
            post(
                e.key,
                e.postings,
                memo=e.memo,
                source_type=e.source_type,
                source_id=e.source_id,
                created_by=e.created_by,
            )


def _insert_lines(lines: Iterable[tuple[int, Posting]]) -> Iterator[int]:
    """Insert (entry id, posting) lines LINE_BATCH at a time, yielding each line's cents
    as it goes in."""
    accounts: dict[str, int] = {}
    batch: list[dict] = []
    for entry_id, posting in lines:
        cents = to_cents(posting.amount)
        if posting.account not in accounts:
            accounts[posting.account] = ensure_account(posting.account).id
        batch.append(
            {
                "entry": entry_id,
                "account": accounts[posting.account],
                "amount_cents": cents,
                "participant_id": posting.participant_id,
            }
        )
        if len(batch) == LINE_BATCH:
            insert_rows(JournalLine, batch)
            batch = []
        yield cents
    if batch:
        insert_rows(JournalLine, batch)


def _check_lines(key: str, cents: Iterable[int]) -> None:
    total, count, zero = 0, 0, False
    for amount in cents:
        total, count, zero = total + amount, count + 1, zero or amount == 0
    if count == 0 or total != 0:
        raise DomainError(
            LedgerCode.UNBALANCED, f"journal entry {key} does not balance", "postings"
        )
    if zero:
        raise DomainError(LedgerCode.EMPTY_LINE, f"journal entry {key} has a zero line", "postings")


def reverse(
    key: str, original_key: str, *, memo: str = "", created_by: int | None = None
) -> JournalEntry:
    """Post the mirror image of an entry (never edit or delete one)."""
    original = JournalEntry.get_or_none(JournalEntry.key == original_key)
    if original is None:
        raise NotFound("journal entry")
    postings = [
        Posting(line.account.code, -from_cents(line.amount_cents), line.participant_id)
        for line in original.lines.join(Account)
    ]
    return post(
        key,
        postings,
        memo=memo or f"reversal of {original_key}",
        source_type=original.source_type,
        source_id=original.source_id,
        created_by=created_by,
        reverses=original,
    )


def balance(account: str, participant_id: int | None = None) -> Decimal:
    """Debits minus credits; for a liability or income account the balance is negative."""
    query = (
        JournalLine.select(pw.fn.COALESCE(pw.fn.SUM(JournalLine.amount_cents), 0))
        .join(Account)
        .where(Account.code == account)
    )
    if participant_id is not None:
        query = query.where(JournalLine.participant_id == participant_id)
    return from_cents(query.scalar() or 0)


def source_balance(source_type: str, source_id: str, account: str) -> Decimal:
    """Debits minus credits on one account of the entries one record posted (a loan's
    lines on interest income, say); one query."""
    cents = (
        JournalLine.select(pw.fn.COALESCE(pw.fn.SUM(JournalLine.amount_cents), 0))
        .join(JournalEntry)
        .switch(JournalLine)
        .join(Account)
        .where(
            (JournalEntry.source_type == source_type)
            & (JournalEntry.source_id == source_id)
            & (Account.code == account)
        )
        .scalar()
    )
    return from_cents(cents or 0)


def account_balance(actor: Actor | None, account: str, participant_id: int | None) -> Decimal:
    """FINANCE: any balance; ADMIN: the programme's accounts only, never one participant's
    (her money is case data)."""
    actor = require_role(actor, Role.FINANCE, Role.ADMIN)
    if participant_id is not None and actor.role != Role.FINANCE:
        raise PermissionDenied("a participant's balance is FINANCE's", "participantId")
    return balance(account, participant_id)


def balances(actor: Actor | None) -> dict[str, Decimal]:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    rows = (
        JournalLine.select(Account.code, pw.fn.SUM(JournalLine.amount_cents).alias("total"))
        .join(Account)
        .group_by(Account.code)
        .tuples()
    )
    return {code: from_cents(total) for code, total in rows}


def entry_exists(key: str) -> bool:
    """Whether a journal entry with this idempotency key was posted."""
    return JournalEntry.select().where(JournalEntry.key == key).exists()


def unbalanced_entries() -> list[int]:
    """Ids of entries whose lines do not sum to zero (should always be empty)."""
    rows = (
        JournalLine.select(JournalLine.entry, pw.fn.SUM(JournalLine.amount_cents))
        .group_by(JournalLine.entry)
        .having(pw.fn.SUM(JournalLine.amount_cents) != 0)
        .tuples()
    )
    return [entry for entry, _ in rows]


@dataclass(frozen=True)
class AccountPeriod:
    """One account over one month: what it held before, what moved, what it holds after."""

    code: str
    name: str
    kind: str
    opening: Decimal
    debits: Decimal
    credits: Decimal  # negative, as the lines store them
    closing: Decimal


def period_balances(actor: Actor | None, month: str) -> list[AccountPeriod]:
    """FINANCE: every account's opening, debits, credits and closing for `month` (YYYY-MM),
    summed by the database in one grouped query."""
    require_role(actor, Role.FINANCE)
    start, end = _bounds(month)
    f = pw.fn
    before = JournalEntry.at < start
    within = (JournalEntry.at >= start) & (JournalEntry.at < end)
    amount = JournalLine.amount_cents
    rows = (
        Account.select(
            Account.code,
            Account.name,
            Account.kind,
            f.COALESCE(f.SUM(pw.Case(None, [(before, amount)], 0)), 0),
            f.COALESCE(f.SUM(pw.Case(None, [(within & (amount > 0), amount)], 0)), 0),
            f.COALESCE(f.SUM(pw.Case(None, [(within & (amount < 0), amount)], 0)), 0),
        )
        .join(JournalLine, pw.JOIN.LEFT_OUTER, on=JournalLine.account == Account.id)
        .join(JournalEntry, pw.JOIN.LEFT_OUTER, on=JournalLine.entry == JournalEntry.id)
        .group_by(Account.code, Account.name, Account.kind)
        .order_by(Account.code)
        .tuples()
    )
    found = []
    for code, name, kind, opening, debits, credits in rows:
        o, d, c = (from_cents(int(v)) for v in (opening, debits, credits))
        found.append(AccountPeriod(code, name, kind, o, d, c, o + d + c))
    return found


def entries_of(actor: Actor | None, account: str, month: str) -> pw.ModelSelect:
    """FINANCE: the lines behind an account's figure for `month`, newest first."""
    require_role(actor, Role.FINANCE)
    start, end = _bounds(month)
    found = Account.get_or_none(Account.code == account)
    if found is None:
        raise NotFound("account", "account")
    return (
        JournalLine.select(JournalLine, JournalEntry)
        .join(JournalEntry)
        .where(
            (JournalLine.account == found.id) & (JournalEntry.at >= start) & (JournalEntry.at < end)
        )
        .order_by(JournalEntry.at.desc(), JournalLine.id.desc())
    )


def _bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a month as datetimes."""
    month = check_month(month)
    start = datetime.combine(month_start(month), time.min)
    return start, datetime.combine(month_end(month) + timedelta(days=1), time.min)
