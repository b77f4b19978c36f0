"""Payee details at the moment of payment, and the second pair of eyes on a change.

Every attempt is written with her details as they are when the file is written (method,
account, name, BIC), never with a snapshot from the calculation. Two rules stop the
classic payment-diversion fraud (an account changed just before a run):

- Once details have been used for a payment, different details take effect for payments
  only when a FINANCE user other than the person who changed them confirms them. Until
  then her line is held with PAYEE_UNCONFIRMED.
- An IBAN that is also another participant's is held with SHARED_ACCOUNT unless a FINANCE
  user (not the changer) recorded why (a shared account); such accounts are listed as
  fraud signals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from econ.db import write_transaction
from econ.errors import DomainError, PermissionDenied
from econ.iban import iban_key, validate_iban
from econ.participants import services as participants
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.crypto import keyed_hash
from econ.security.permissions import require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.stipends.errors import StipendCode
from econ.stipends.models import (
    PayeeConfirmation,
    PaymentAttempt,
    PaymentLine,
    PaymentMethod,
)
from econ.stipends.schedules import _reason, methods_by_participant

# Why a payee cannot be paid now; each holds her line with that exception.
ACCOUNT_HOLDS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT", "NO_CARD_REFERENCE")
CONFIRMATION_HOLDS = ("PAYEE_UNCONFIRMED", "SHARED_ACCOUNT")
DETAIL = {
    "NO_BANK_ACCOUNT": "She has no bank account on file.",
    "INVALID_ACCOUNT": "Her bank account is not a valid IBAN.",
    "NO_CARD_REFERENCE": "Her prepaid card has no reference.",
    "PAYEE_UNCONFIRMED": (
        "Her payment details changed after a payment; another FINANCE user must confirm them."
    ),
    "SHARED_ACCOUNT": ("Her IBAN is also another participant's; a FINANCE user must record why."),
    "LOAN_NOT_AWAITING": "The loan was paid out otherwise; this payment is not needed.",
}


PAYEE_FIELDS = ("legal_name", "bank_account", "bank_bic")


@dataclass(frozen=True)
class CurrentPayee:
    participant_id: int
    method: str
    name: str
    account: str | None  # the IBAN or card reference; None for cash
    bic: str | None
    changed_by: frozenset[int]  # who last changed the account or the method
    fingerprint: str  # keyed hash of method|account: what a confirmation confirms
    account_hash: str  # keyed hash of the IBAN alone (shared-account check)
    problem: str | None  # an ACCOUNT_HOLDS code, or None


def fingerprint(method: str, account: str | None) -> str:
    return keyed_hash(f"payee|{method}|{account or ''}")


def iban_hash(iban: str) -> str:
    return keyed_hash(f"iban|{iban}")


def current_payees(participant_ids: Iterable[int]) -> dict[int, CurrentPayee]:
    """INTERNAL (the export job; audited as a SYSTEM read): her details as they are now."""
    pids = sorted(set(participant_ids))
    if not pids:
        return {}
    details = participants.payment_details(pids)
    methods = methods_by_participant(pids)
    method_changers = dict(
        PaymentMethod.select(PaymentMethod.participant, PaymentMethod.updated_by)
        .where(PaymentMethod.participant.in_(pids))
        .tuples()
    )
    found = {}
    for pid in pids:
        her = details[pid]
        method, card = methods.get(pid, ("BANK_TRANSFER", None))
        name = her.restricted("legal_name") or her.preferred_name or ""
        account, bic, problem, ahash = None, None, None, ""
        if method == "PREPAID_CARD":
            account = card
            problem = None if card else "NO_CARD_REFERENCE"
        elif method == "BANK_TRANSFER":
            raw = her.restricted("bank_account")
            bic = her.restricted("bank_bic") or None
            if not raw:
                problem = "NO_BANK_ACCOUNT"
            else:
                try:
                    account = validate_iban(raw)
                    ahash = iban_hash(account)
                except DomainError:
                    problem = "INVALID_ACCOUNT"
        changers = {method_changers.get(pid), her.bank_changed_by}
        found[pid] = CurrentPayee(
            participant_id=pid,
            method=method,
            name=name,
            account=account,
            bic=bic,
            changed_by=frozenset(c for c in changers if c is not None),
            fingerprint=fingerprint(method, account),
            account_hash=ahash,
            problem=problem,
        )
    # One entry per participant, so each sees the read in her "who read my data".
    audit.record_reads(SYSTEM, "Participant", [(pid, PAYEE_FIELDS) for pid in pids])
    return found


def account_owners() -> dict[str, set[int]]:
    """{IBAN hash: participants whose current bank account it is}, for every IBAN that more
    than one participant has (the only ones any check asks about). One decryption per
    participant per export, and schwifty's checks only for the accounts shared (each
    export worker reads this once per round: with every account checked it cost 1.25 s
    of CPU at 20,000 participants, before the worker's first chunk could start); only
    the shared accounts are kept, so a programme of 100,000 does not hold 100,000 hashes
    through its export."""
    owners: dict[str, set[int]] = defaultdict(set)
    valid: dict[str, bool] = {}  # of each shared key: checked once, when it is shared
    for pid, raw in participants.bank_accounts():  # a cursor: no model per participant
        key = iban_key(raw) if raw else None
        if key is None:
            continue
        account = iban_hash(key)  # = iban_hash(validate_iban(raw)) where that accepts raw
        sharing = owners[account]
        sharing.add(pid)
        if len(sharing) == 2:
            valid[account] = _accepted(key)
    return {account: pids for account, pids in owners.items() if len(pids) > 1 and valid[account]}


def _accepted(iban: str) -> bool:
    try:
        validate_iban(iban)
    except DomainError:
        return False
    return True


def last_used(participant_ids: Iterable[int]) -> dict[int, str]:
    """{participant: fingerprint of her latest attempt written to a file}."""
    rows = (
        PaymentAttempt.select(PaymentLine.participant, PaymentAttempt.payee_hash)
        .join(PaymentLine)
        .where(
            PaymentLine.participant.in_(sorted(set(participant_ids)))
            & (PaymentAttempt.payee_hash != "")
            & PaymentAttempt.file.is_null(False)
        )
        .order_by(PaymentAttempt.id)
        .tuples()
    )
    return {pid: fp for pid, fp in rows}  # the last one wins


def confirmations(participant_ids: Iterable[int]) -> dict[int, dict[str, PayeeConfirmation]]:
    found: dict[int, dict[str, PayeeConfirmation]] = defaultdict(dict)
    for row in PayeeConfirmation.select().where(
        PayeeConfirmation.participant.in_(sorted(set(participant_ids)))
    ):
        found[row.participant_id][row.payee_hash] = row
    return found


@dataclass
class PayeeCheck:
    """What the export needs to decide every payee of a batch, read once."""

    payees: dict[int, CurrentPayee]
    owners: dict[str, set[int]]
    used: dict[int, str]
    confirmed: dict[int, dict[str, PayeeConfirmation]]

    @classmethod
    def load(
        cls, participant_ids: Iterable[int], owners: dict[str, set[int]] | None = None
    ) -> PayeeCheck:
        """`owners`: `account_owners()` when the caller already read it (one export)."""
        pids = sorted(set(participant_ids))
        owners = account_owners() if owners is None else owners
        return cls(current_payees(pids), owners, last_used(pids), confirmations(pids))

    def hold(self, participant_id: int) -> str | None:
        """The exception that holds her payment now, or None when she can be paid."""
        payee = self.payees[participant_id]
        return hold_reason(
            payee,
            self.owners,
            self.used.get(participant_id),
            self.confirmed.get(participant_id, {}),
        )


def hold_reason(
    payee: CurrentPayee,
    owners: dict[str, set[int]],
    used: str | None,
    confirmed: dict[str, PayeeConfirmation],
) -> str | None:
    if payee.problem:
        return payee.problem
    confirmation = confirmed.get(payee.fingerprint)
    if used is not None and used != payee.fingerprint and confirmation is None:
        return "PAYEE_UNCONFIRMED"
    others = owners.get(payee.account_hash, set()) - {payee.participant_id}
    unexplained = confirmation is None or not confirmation.shared_reason
    if payee.account_hash and others and unexplained:
        return "SHARED_ACCOUNT"
    return None


def confirm_payee(
    actor: Actor | None,
    participant_id: int,
    note: str,
    shared_reason: str | None = None,
) -> PayeeConfirmation:
    """A FINANCE user other than the person who changed them confirms her current payment
    details (and, for an account another participant also uses, records why)."""
    actor = require_role(actor, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    note = _reason(note, "note")
    payee = current_payees([participant.id])[participant.id]
    if payee.problem:
        raise DomainError(StipendCode(payee.problem), DETAIL[payee.problem], "participantId")
    if actor.user_id in payee.changed_by:
        raise PermissionDenied(
            "the person who changed her payment details cannot confirm them", "participantId"
        )
    shared = account_owners().get(payee.account_hash, set()) - {participant.id}
    reason = None
    if payee.account_hash and shared:
        reason = _reason(shared_reason, "sharedReason")
    elif shared_reason:
        raise DomainError(
            StipendCode.NOT_SHARED, "no other participant has this account", "sharedReason"
        )
    with write_transaction():
        PayeeConfirmation.insert(
            participant=participant.id,
            payee_hash=payee.fingerprint,
            changed_by=min(payee.changed_by) if payee.changed_by else None,
            confirmed_by=actor.user_id,
            note=note,
            shared_reason=reason,
        ).on_conflict(
            conflict_target=[PayeeConfirmation.participant, PayeeConfirmation.payee_hash],
            update={
                PayeeConfirmation.confirmed_by: actor.user_id,
                PayeeConfirmation.note: note,
                PayeeConfirmation.shared_reason: reason,
            },
        ).execute()
        audit.record(
            actor,
            "confirm_payee",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("bank_account", "method"),
        )
    return PayeeConfirmation.get(
        (PayeeConfirmation.participant == participant.id)
        & (PayeeConfirmation.payee_hash == payee.fingerprint)
    )


@dataclass(frozen=True)
class PayeeStatus:
    """What the confirmation page says before she confirms (no account number in it)."""

    participant_id: int
    hold: str | None  # the exception that holds her payments now, or None
    detail: str
    changed_by_you: bool  # then she cannot confirm: another FINANCE user must
    shared: bool  # another participant has the same account: confirming needs a reason
    confirmation: PayeeConfirmation | None  # of her current details, if any


def payee_status(actor: Actor | None, participant_id: int) -> PayeeStatus:
    """FINANCE: whether her current payment details hold her payments, and why."""
    actor = require_role(actor, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    check = PayeeCheck.load([participant.id])
    payee = check.payees[participant.id]
    hold = check.hold(participant.id)
    others = check.owners.get(payee.account_hash, set()) - {participant.id}
    return PayeeStatus(
        participant_id=participant.id,
        hold=hold,
        detail=DETAIL.get(hold, "") if hold else "",
        changed_by_you=actor.user_id in payee.changed_by,
        shared=bool(payee.account_hash and others),
        confirmation=check.confirmed.get(participant.id, {}).get(payee.fingerprint),
    )


@dataclass(frozen=True)
class SharedAccount:
    """A fraud signal: one IBAN on several participants (no account number shown)."""

    account_hash: str
    participant_ids: tuple[int, ...]
    reasons: dict[int, str]  # participant -> the recorded reason, where one was recorded


def fraud_signals(actor: Actor | None) -> list[SharedAccount]:
    """FINANCE: every IBAN that more than one participant has, with the reasons recorded."""
    actor = require_role(actor, Role.FINANCE)
    shared = {h: pids for h, pids in account_owners().items() if len(pids) > 1}
    if not shared:
        return []
    pids = sorted({p for group in shared.values() for p in group})
    payees = current_payees(pids)
    confirmed = confirmations(pids)
    result = []
    for account_hash, group in sorted(shared.items(), key=lambda kv: min(kv[1])):
        reasons = {}
        for pid in sorted(group):
            row = confirmed.get(pid, {}).get(payees[pid].fingerprint)
            if row is not None and row.shared_reason:
                reasons[pid] = row.shared_reason
        result.append(SharedAccount(account_hash[:12], tuple(sorted(group)), reasons))
    audit.record(actor, "read_fraud_signals", "Participant")
    return result


def require_payable(participant_id: int) -> None:
    """Raise NOT_PAYABLE naming why, unless her payment could be written now."""
    check = PayeeCheck.load([participant_id])
    reason = check.hold(participant_id)
    if reason is not None:
        raise DomainError(StipendCode.NOT_PAYABLE, f"{reason}: {DETAIL[reason]}", "lineId")
