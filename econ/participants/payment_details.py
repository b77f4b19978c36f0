"""Her payment details for the payment run (stipends' payee reader), read in one batch.

INTERNAL: no reach check here. The caller is the export job, which audits the read as a
SYSTEM read of each participant. Each restricted field is decrypted only when the caller
asks for it, so a participant paid by card never has her bank account decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from econ.participants.models import Participant, ParticipantPII, Plan
from econ.participants.records import pii_context
from econ.security.crypto import decrypt


class PaymentDetails:
    """Her preferred name and her restricted row (None when she has none)."""

    def __init__(self, preferred_name: str | None, pii: ParticipantPII | None) -> None:
        self.preferred_name = preferred_name
        self._pii = pii

    @property
    def has_restricted(self) -> bool:
        return self._pii is not None

    @property
    def bank_changed_by(self) -> int | None:
        """Who last changed her bank details (None: no restricted row, or nobody)."""
        return self._pii.bank_changed_by if self._pii is not None else None

    def restricted(self, field: str) -> str | None:
        """One restricted field, decrypted now (None without a restricted row)."""
        if self._pii is None:
            return None
        return decrypt(getattr(self._pii, field), pii_context(self._pii.participant_id, field))


def payment_details(participant_ids: Iterable[int]) -> dict[int, PaymentDetails]:
    """{participant: her details} for each of these ids (two queries)."""
    pids = sorted(set(participant_ids))
    if not pids:
        return {}
    names = dict(
        Participant.select(Participant.id, Participant.preferred_name)
        .where(Participant.id.in_(pids))
        .tuples()
    )
    pii = {
        row.participant_id: row
        for row in ParticipantPII.select().where(ParticipantPII.participant.in_(pids))
    }
    return {pid: PaymentDetails(names.get(pid), pii.get(pid)) for pid in pids}


def bank_accounts() -> Iterator[tuple[int, str | None]]:
    """(participant, her bank account decrypted) of every participant who has one: one
    cursor over the table, no model object per participant."""
    rows = ParticipantPII.select(ParticipantPII.participant, ParticipantPII.bank_account).where(
        ParticipantPII.bank_account.is_null(False)
    )
    for pid, sealed in rows.tuples().iterator():
        yield pid, decrypt(sealed, pii_context(pid, "bank_account"))


class LineFacts:
    """What a payment run's lines need of a chunk's participants, in three queries: her
    status and preferred name, her plan's income target, and the restricted fields a line
    prints (her legal name, her bank account), decrypted only when asked for."""

    def __init__(self, participant_ids: Iterable[int]) -> None:
        pids = sorted(set(participant_ids))
        # Only the columns a line needs, as tuples: building full model objects (and
        # parsing their JSON columns) was a third of the calculation in its profile.
        self.people = {
            p.id: p
            for p in Participant.select(
                Participant.id, Participant.status, Participant.preferred_name
            )
            .where(Participant.id.in_(pids))
            .namedtuples()
        }
        self.targets = dict(
            Plan.select(Plan.participant, Plan.target_monthly_income)
            .where(Plan.participant.in_(pids) & Plan.target_monthly_income.is_null(False))
            .tuples()
        )
        self._restricted = {
            p.participant: p
            for p in ParticipantPII.select(
                ParticipantPII.participant, ParticipantPII.legal_name, ParticipantPII.bank_account
            )
            .where(ParticipantPII.participant.in_(pids))
            .namedtuples()
        }

    def restricted(self, participant_id: int, field: str) -> str | None:
        """Her legal name or bank account, decrypted now (None: she has none)."""
        row = self._restricted.get(participant_id)
        token = getattr(row, field) if row else None
        return decrypt(token, pii_context(participant_id, field))
