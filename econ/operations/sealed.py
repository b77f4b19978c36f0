"""Every column that holds values sealed by econ.security.crypto, with how to rebuild the
associated data (the context) each value was sealed under.

A new encrypted column must be listed here, or `econ keys rotate` would leave it under an
old key; a test scans every text column of a database built by the demo and fails on a
sealed value that no entry here covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from econ.employers.consents import _channel_context  # the domains' own context builders
from econ.employers.placements import evidence_context
from econ.participants.services import RESTRICTED_FIELDS, pii_context
from econ.stipends.disbursement import attempt_context
from econ.stipends.file_store import chunk_context
from econ.stipends.lines import line_context
from econ.stipends.schedules import card_context
from econ.training.completion import reference_context


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    keys: tuple[str, ...]  # columns the context is built from
    context: Callable[..., str]
    # Rows per transaction at most, whatever the caller asks: a payment file's chunk is up
    # to a mebibyte, and 200 of them at once would hold that many in memory twice.
    batch_cap: int = 10_000

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"


COLUMNS: tuple[SealedColumn, ...] = (
    *(
        SealedColumn(
            "participant_pii", f, ("participant_id",), lambda pid, f=f: pii_context(pid, f)
        )
        for f in RESTRICTED_FIELDS
    ),
    SealedColumn("payment_method", "card_reference", ("participant_id",), card_context),
    SealedColumn(
        "payment_line",
        "payee_name",
        ("run_id", "schedule_id"),
        lambda run, schedule: line_context("payee_name", run, schedule),
    ),
    SealedColumn(
        "payment_line",
        "account",
        ("run_id", "schedule_id"),
        lambda run, schedule: line_context("account", run, schedule),
    ),
    SealedColumn(
        "payment_attempt",
        "payee_name",
        ("reference",),
        lambda reference: attempt_context("payee_name", reference),
    ),
    SealedColumn(
        "payment_attempt",
        "account",
        ("reference",),
        lambda reference: attempt_context("account", reference),
    ),
    SealedColumn("training_credential", "reference", ("enrollment_id",), reference_context),
    SealedColumn("consent", "channel_value", ("id",), _channel_context),
    SealedColumn("retention_checkpoint", "evidence", ("id",), evidence_context),
    SealedColumn(
        "payment_file_chunk", "content", ("file_id", "number"), chunk_context, batch_cap=8
    ),
)
