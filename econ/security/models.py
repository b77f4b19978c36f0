"""Tables of the security domain: users, sessions, login attempts, the audit log."""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, utcnow


class User(BaseModel):
    email = pw.CharField(max_length=254, unique=True)
    password_hash = pw.CharField(max_length=255)
    role = pw.CharField(max_length=16, index=True)
    active = pw.BooleanField(default=True)
    display_name = pw.CharField(max_length=120, default="")
    # Work contact shown to participants on statements (counselors); never personal data.
    work_phone = pw.CharField(max_length=40, default="")
    # Links: a PARTICIPANT login to her record; an EMPLOYER login to its company.
    participant_id = pw.IntegerField(null=True, unique=True)
    employer_id = pw.IntegerField(null=True, index=True)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)


class Session(BaseModel):
    """A bearer token, stored only as a keyed hash."""

    token_hash = pw.CharField(max_length=64, unique=True)
    user = pw.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    created_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField(index=True)
    revoked_at = pw.DateTimeField(null=True)
    revoked_reason = pw.CharField(max_length=40, null=True)


class LoginAttempt(BaseModel):
    """Every attempt, by keyed hash of the e-mail, so unknown addresses lock out too."""

    email_hash = pw.CharField(max_length=64)
    at = pw.DateTimeField(default=utcnow)
    success = pw.BooleanField()

    class Meta:
        indexes = ((("email_hash", "at"), False),)


class AuditEntry(BaseModel):
    """Append-only: who did or read what, when, on which record; field names, never values."""

    at = pw.DateTimeField(default=utcnow, index=True)
    actor_id = pw.IntegerField(null=True, index=True)
    actor_role = pw.CharField(max_length=16)
    action = pw.CharField(max_length=80, index=True)
    record_type = pw.CharField(max_length=40, default="")
    record_id = pw.CharField(max_length=40, default="")
    participant_id = pw.IntegerField(null=True, index=True)
    fields = pw.CharField(max_length=400, default="")
    outcome = pw.CharField(max_length=20, default="ok")
    # Hash chain: HMAC(prev_hash + this entry), so an edited, inserted or deleted entry
    # breaks the chain for anyone without the secret key (`econ audit verify`).
    prev_hash = pw.CharField(max_length=64)
    entry_hash = pw.CharField(max_length=64, unique=True)


class AuditHead(BaseModel):
    """One row: the chain's last hash. Updating it first serialises audit writers."""

    id = pw.IntegerField(primary_key=True)
    last_hash = pw.CharField(max_length=64)
    count = pw.BigIntegerField(default=0)
