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
    # A participant's sign-in name (she chose it; never her legal name), lower case;
    # her e-mail field then holds a random placeholder under .invalid (no address).
    sign_in_name = pw.CharField(max_length=40, null=True, unique=True)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    # When she set her own password with an enrolment code (None: not yet, and an empty
    # password_hash: she cannot sign in until she does).
    enrolled_at = pw.DateTimeField(null=True)


class Session(BaseModel):
    """A bearer token, stored only as a keyed hash."""

    token_hash = pw.CharField(max_length=64, unique=True)
    user = pw.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    created_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField(index=True)
    revoked_at = pw.DateTimeField(null=True)
    revoked_reason = pw.CharField(max_length=40, null=True)


class LoginAttempt(BaseModel):
    """Every attempt, by keyed hash of the e-mail (so unknown addresses are throttled too)
    and of the client address (so one address's failures never delay another's)."""

    email_hash = pw.CharField(max_length=64)
    at = pw.DateTimeField(default=utcnow)
    success = pw.BooleanField()
    client_hash = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("email_hash", "at"), False), (("email_hash", "client_hash", "at"), False))


class RateCounter(BaseModel):
    """A fixed-window request counter (econ/security/ratelimit.py), shared by every worker
    process through the database when no Redis is configured for rate limits."""

    key = pw.CharField(max_length=120, unique=True)
    count = pw.IntegerField(default=0)
    expires_at = pw.BigIntegerField(index=True)  # epoch seconds


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
    # What a privilege entry granted: "role=COUNSELOR approved_by=7", "counselor=12".
    # Ids and role names only, never personal data.
    detail = pw.CharField(max_length=200, default="")
    # Hash chain: HMAC(prev_hash + this entry), so an edited, inserted or deleted entry
    # breaks the chain for anyone without the secret key (`econ audit verify`).
    prev_hash = pw.CharField(max_length=64)
    entry_hash = pw.CharField(max_length=64, unique=True)


class AuditHead(BaseModel):
    """One row: the chain's last hash. Updating it first serialises audit writers."""

    id = pw.IntegerField(primary_key=True)
    last_hash = pw.CharField(max_length=64)
    count = pw.BigIntegerField(default=0)


class LoginRequest(BaseModel):
    """A change of who may sign in as what, waiting for a second ADMIN (maker-checker).

    kind: CREATE (a new login of `role`, linked to `employer_id` or `participant_id`),
    ROLE (user `target` becomes `role`), REACTIVATE (user `target` may sign in again),
    NEW_CODE (user `target` gets a new enrolment code: she forgot her password).
    Nothing takes effect before `status` is APPROVED (econ/security/grants.py).
    """

    kind = pw.CharField(max_length=12)
    status = pw.CharField(max_length=10, default="PENDING", index=True)
    role = pw.CharField(max_length=16, default="")
    email = pw.CharField(max_length=254, default="")
    display_name = pw.CharField(max_length=120, default="")
    work_phone = pw.CharField(max_length=40, default="")
    employer_id = pw.IntegerField(null=True)
    participant_id = pw.IntegerField(null=True, index=True)
    target = pw.IntegerField(null=True, index=True)  # the user changed (or created)
    requested_by = pw.IntegerField(index=True)
    requested_at = pw.DateTimeField(default=utcnow)
    decided_by = pw.IntegerField(null=True)
    decided_at = pw.DateTimeField(null=True)


class LoginCode(BaseModel):
    """A one-time code with which the person who will use a login sets its password.

    Stored as a keyed hash; redeemable once, after its request is approved and before
    `expires_at` (set at approval); the code itself is shown once, to whoever hands it over.
    """

    code_hash = pw.CharField(max_length=64, unique=True)
    request = pw.ForeignKeyField(LoginRequest, backref="codes", on_delete="CASCADE")
    login = pw.IntegerField(null=True, index=True)  # the user; set when the request is approved
    issued_by = pw.IntegerField()
    issued_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField(null=True)
    used_at = pw.DateTimeField(null=True)
