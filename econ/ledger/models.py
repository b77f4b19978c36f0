"""Journal tables. Amounts are cents; a line is a debit (positive) or a credit (negative).

Every entry's lines sum to zero (checked in `services.post` before anything is written),
and an entry's `key` is unique, so posting the same business event twice is impossible
even when two workers race: the second insert fails on the unique index.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, utcnow

ACCOUNT_KINDS = ("ASSET", "LIABILITY", "EXPENSE", "INCOME", "EQUITY")


class Account(BaseModel):
    code = pw.CharField(max_length=60, unique=True)
    name = pw.CharField(max_length=120)
    kind = pw.CharField(max_length=10)


class JournalEntry(BaseModel):
    key = pw.CharField(max_length=120, unique=True)  # idempotency: one entry per business event
    at = pw.DateTimeField(default=utcnow, index=True)
    memo = pw.CharField(max_length=200, default="")
    source_type = pw.CharField(max_length=30, default="")
    source_id = pw.CharField(max_length=40, default="")
    reverses = pw.ForeignKeyField("self", null=True, backref="reversals", on_delete="RESTRICT")
    created_by = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("source_type", "source_id"), False),)


class JournalLine(BaseModel):
    entry = pw.ForeignKeyField(JournalEntry, backref="lines", on_delete="CASCADE")
    account = pw.ForeignKeyField(Account, backref="lines", on_delete="RESTRICT")
    amount_cents = pw.BigIntegerField()  # debit > 0, credit < 0
    participant_id = pw.IntegerField(null=True, index=True)


MODELS = [Account, JournalEntry, JournalLine]
