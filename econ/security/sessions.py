"""Sessions: sign in (throttled), the token a session is, authenticate it, sign out, change
the password. Re-exported by `econ.security.services`."""

from __future__ import annotations

import datetime as dt
import secrets

from econ.config import get_settings
from econ.db import PreparedQuery, db, utcnow
from econ.errors import DomainError
from econ.security import audit, ratelimit, throttle
from econ.security.crypto import keyed_hash
from econ.security.errors import SecurityCode
from econ.security.models import Session, User
from econ.security.passwords import (
    burn_verification_time,
    check_new_password,
    hash_password,
    verify_password,
)
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        email=user.email,
        participant_id=user.participant_id,
        employer_id=user.employer_id,
    )


def login(
    email: str, password: str, now: dt.datetime | None = None, client: str = ""
) -> tuple[str, User]:
    """Return (token, user). A wrong password and an unknown e-mail read the same.

    `client` is the caller's address: logins are rate-limited per address, and failed
    ones slow down further tries for that account from that address (econ/security/
    throttle.py), so a guesser elsewhere cannot keep the owner out.
    """
    now = now or utcnow()
    email_norm = (email or "").strip().lower()[:254]
    # HTTP callers always have an address (the endpoint says "unknown" when the server
    # gives none); an empty one is the CLI or a script on the server itself.
    wait = ratelimit.hit("login", client, get_settings().login_rate) if client else None
    if wait is not None:
        raise DomainError(SecurityCode.RATE_LIMITED, f"too many sign-ins: try again in {wait} s")
    try:
        attempt = throttle.begin(email_norm, client, now)
    except throttle.Throttled:
        burn_verification_time(password or "")
        audit.record(None, "login", "User", "", fields=(), outcome="throttled")
        raise
    user = _user_signing_in(email_norm)
    # A login whose owner has not set her password yet (empty hash) reads, and takes
    # as long, as an unknown e-mail.
    valid = (
        verify_password(user.password_hash, password or "")
        if user and user.password_hash
        else burn_verification_time(password or "")
    )
    if not (user and user.active and valid):
        audit.record(None, "login", "User", user.id if user else "", outcome="failed")
        raise DomainError(
            SecurityCode.INVALID_CREDENTIALS,
            "e-mail or password is wrong, or the account is inactive",
        )
    throttle.succeeded(attempt)
    token, user = start_session(user, now)
    audit.record(actor_for(user), "login", "User", user.id)
    return token, user


def _user_signing_in(identifier: str) -> User | None:
    """Staff and employers sign in with their e-mail; a participant with the sign-in name
    she chose (no @ in it; econ/participants/enrolment.py)."""
    if "@" in identifier:
        return User.get_or_none(User.email == identifier)
    return User.get_or_none(User.sign_in_name == identifier) if identifier else None


def sign_in_name_taken(name: str, but: int) -> bool:
    """Whether another login than `but` signs in with `name` (a participant's own name)."""
    return User.select().where((User.sign_in_name == name) & (User.id != but)).exists()


def start_session(user: User, now: dt.datetime | None = None) -> tuple[str, User]:
    """A new bearer token for `user` (stored only as a keyed hash)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    ttl = dt.timedelta(minutes=get_settings().token_ttl_minutes)
    Session.create(token_hash=keyed_hash(token), user=user, created_at=now, expires_at=now + ttl)
    return token, user


def authenticate(token: str | None, now: dt.datetime | None = None) -> Actor | None:
    """The actor behind a bearer token, or None if it is unknown, expired or revoked."""
    user = session_user(token, now)
    return actor_for(user) if user else None


def session_user(token: str | None, now: dt.datetime | None = None) -> User | None:
    """The active user behind a bearer token, or None if it is unknown, expired or revoked.

    Every authenticated request runs this: one indexed query, prepared once.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = _SESSION_LOOKUP.execute(keyed_hash(token)).fetchone()
    if row is None:
        return None
    revoked_at, expires_at, *columns = row
    if revoked_at is not None or Session.expires_at.python_value(expires_at) <= now:
        return None
    # A loaded row, made the way peewee's own cursor wrapper makes one (nothing dirty).
    user = User(
        __no_default__=True,
        **{f.name: f.python_value(v) for f, v in zip(_USER_FIELDS, columns, strict=True)},
    )
    user._dirty.clear()
    return user if user.active else None


_USER_FIELDS = tuple(User._meta.sorted_fields)


_SESSION_LOOKUP = PreparedQuery(
    lambda token_hash: (
        Session.select(Session.revoked_at, Session.expires_at, *_USER_FIELDS)
        .join(User)
        .where(Session.token_hash == token_hash)  # unique: one row at most
    )
)


def logout_everywhere(actor: Actor | None) -> None:
    """End every session of the caller's (a lost or shared phone)."""
    actor = require_actor(actor)
    revoke_all(actor.user_id, "logout_everywhere")
    audit.record(actor, "logout_everywhere", "User", actor.user_id)


def logout(token: str) -> None:
    Session.update(revoked_at=utcnow(), revoked_reason="logout").where(
        (Session.token_hash == keyed_hash(token)) & Session.revoked_at.is_null()
    ).execute()


def revoke_all(user_id: int, reason: str) -> None:
    Session.update(revoked_at=utcnow(), revoked_reason=reason).where(
        (Session.user == user_id) & Session.revoked_at.is_null()
    ).execute()


def change_password(
    actor: Actor | None, current_password: str, new_password: str, client: str = ""
) -> None:
    """A wrong current password counts as a failed login of her account from `client`
    (a stolen session cannot guess its way to the password any faster than a login)."""
    actor = require_actor(actor)
    user = User.get_by_id(actor.user_id)
    attempt = throttle.begin(user.email, client, utcnow())
    if not verify_password(user.password_hash, current_password or ""):
        audit.record(actor, "change_password", "User", user.id, outcome="failed")
        raise DomainError(
            SecurityCode.INVALID_CREDENTIALS, "the current password is wrong", "currentPassword"
        )
    throttle.succeeded(attempt)
    check_new_password(new_password, (user.email, user.display_name))
    with db.atomic():
        user.password_hash = hash_password(new_password)
        user.save()
        revoke_all(user.id, "password_change")
        audit.record(actor, "change_password", "User", user.id)


def purge_expired_sessions(now: dt.datetime | None = None) -> int:
    """Delete sessions past expiry, login attempts that no longer count, ended counters."""
    now = now or utcnow()
    with db.atomic():
        removed = Session.delete().where(Session.expires_at < now - dt.timedelta(days=1)).execute()
        throttle.purge(now)
        ratelimit.purge_expired()
    return removed
