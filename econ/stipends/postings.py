"""Journal entries for each money event of a run. Every key names its event once.

    approve   run:<id>:approve          Dr stipend_expense / Cr stipend_payable (each line)
    cancel    run:<id>:cancel           the approval reversed (an approved run, nothing sent)
    send      attempt:<ref>:send        Dr stipend_payable / Cr bank_clearing
    paid      attempt:<ref>:paid        Dr bank_clearing   / Cr bank
    failed    attempt:<ref>:failed      Dr bank_clearing   / Cr stipend_payable
    returned  attempt:<ref>:returned    Dr bank            / Cr stipend_payable

A LOAN_DISBURSEMENT line posts nothing at approval (a loan is no expense); its attempts
use loans_in_transit where a stipend's use stipend_payable:

    send      attempt:<ref>:send        Dr loans_in_transit / Cr bank_clearing
    paid      attempt:<ref>:paid        Dr bank_clearing    / Cr bank
    failed    attempt:<ref>:failed      Dr bank_clearing    / Cr loans_in_transit
    returned  attempt:<ref>:returned    Dr bank             / Cr loans_in_transit

and microcredit, when the loan becomes DISBURSED, posts `loan:<id>:disburse:<ref>`
(Dr loans_receivable / Cr loans_in_transit), reversed if the bank returns the payment.

Posting a key twice returns the first entry (econ.ledger.services.post), so a re-run task
or a re-imported file never posts again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain

from econ.ledger.services import Entry, Posting, entry_exists, post, post_many, reverse
from econ.stipends.models import LOAN, STIPEND

# event -> (debit account, credit account)
_ACCOUNTS = {
    "send": ("stipend_payable", "bank_clearing"),
    "paid": ("bank_clearing", "bank"),
    "failed": ("bank_clearing", "stipend_payable"),
    "returned": ("bank", "stipend_payable"),
}
_LOAN_ACCOUNTS = {
    event: tuple("loans_in_transit" if a == "stipend_payable" else a for a in accounts)
    for event, accounts in _ACCOUNTS.items()
}


def post_approval(
    run_id: int, lines: Iterable[tuple[int, Decimal]], created_by: int | None
) -> None:
    """`lines`: (participant id, net) of every newly approved line, read once (a cursor:
    the entry's lines are written in batches, see ledger.services.post)."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return  # nothing was payable
    post(
        f"run:{run_id}:approve",
        _approval_postings(chain([first], lines)),
        memo=f"stipends approved, run {run_id}",
        source_type="payment_run",
        source_id=run_id,
        created_by=created_by,
    )


def _approval_postings(lines: Iterable[tuple[int, Decimal]]) -> Iterator[Posting]:
    for participant_id, net in lines:
        yield Posting("stipend_expense", net, participant_id)
        yield Posting("stipend_payable", -net, participant_id)


def post_attempt(
    event: str,
    reference: str,
    amount: Decimal,
    participant_id: int,
    created_by: int | None = None,
    kind: str = STIPEND,
) -> None:
    post_attempts(event, [(reference, amount, participant_id, kind)], created_by)


def post_attempts(
    event: str, attempts: Iterable[tuple[str, Decimal, int, str]], created_by: int | None = None
) -> None:
    """`post_attempt` for each (reference, amount, participant id, line kind), posted
    together; a loan's attempt uses loans_in_transit where a stipend's uses
    stipend_payable."""
    entries = []
    for reference, amount, participant_id, kind in attempts:
        debit, credit = (_LOAN_ACCOUNTS if kind == LOAN else _ACCOUNTS)[event]
        entries.append(
            Entry(
                f"attempt:{reference}:{event}",
                [Posting(debit, amount, participant_id), Posting(credit, -amount, participant_id)],
                memo=f"{'loan disbursement' if kind == LOAN else 'stipend payment'} {event}",
                source_type="payment_attempt",
                source_id=reference,
                created_by=created_by,
            )
        )
    post_many(entries)


def post_cancellation(run_id: int, created_by: int | None) -> None:
    """Reverse the approval entry of a run cancelled before anything was written."""
    if not entry_exists(f"run:{run_id}:approve"):
        return  # nothing was payable
    reverse(
        f"run:{run_id}:cancel",
        f"run:{run_id}:approve",
        memo=f"stipends approval cancelled, run {run_id}",
        created_by=created_by,
    )
