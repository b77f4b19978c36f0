"""Users and sessions: create, log in and out, change password or role, authenticate a token."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from econ.config import get_settings
from econ.db import db, utcnow
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.security import audit
from econ.security.crypto import keyed_hash
from econ.security.models import LoginAttempt, Session, User
from econ.security.passwords import (
    MIN_LENGTH,
    burn_verification_time,
    hash_password,
    verify_password,
)
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        email=user.email,
        participant_id=user.participant_id,
        employer_id=user.employer_id,
    )


def normalize_email(email: str, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value):
        raise DomainError("INVALID_EMAIL", "enter an e-mail address like name@example.org", field)
    return value


def _check_password(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        raise DomainError(
            "WEAK_PASSWORD", f"a password needs at least {MIN_LENGTH} characters", "password"
        )
    if len(password) > 256:
        raise DomainError("WEAK_PASSWORD", "a password may have at most 256 characters", "password")


def _parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError("INVALID_ROLE", f"unknown role {role!r}", "role") from None


def create_user(
    actor: Actor | None,
    *,
    email: str,
    password: str,
    role: str,
    participant_id: int | None = None,
    employer_id: int | None = None,
    display_name: str = "",
    work_phone: str = "",
) -> User:
    """ADMIN creates staff and employer logins; a COUNSELOR creates her participants' logins."""
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    new_role = _parse_role(role)
    if actor.role == Role.COUNSELOR and new_role != Role.PARTICIPANT:
        raise PermissionDenied("a counselor may only create participant logins")
    email = normalize_email(email)
    _check_password(password)
    if new_role == Role.PARTICIPANT:
        participant_id = _linkable_participant(actor, participant_id)
    elif participant_id is not None:
        raise DomainError(
            "INVALID_LINK", "only a PARTICIPANT login links to a participant", "participantId"
        )
    if new_role == Role.EMPLOYER:
        employer_id = _linkable_employer(employer_id)
    elif employer_id is not None:
        raise DomainError(
            "INVALID_LINK", "only an EMPLOYER login links to an employer", "employerId"
        )
    with db.atomic():
        if User.select().where(User.email == email).exists():
            raise DomainError("EMAIL_TAKEN", "a user with this e-mail already exists", "email")
        user = User.create(
            email=email,
            password_hash=hash_password(password),
            role=new_role.value,
            participant_id=participant_id,
            employer_id=employer_id,
            display_name=display_name.strip()[:120],
            work_phone=work_phone.strip()[:40],
            created_by=actor.user_id or None,
        )
        audit.record(actor, "create_user", "User", user.id, participant_id=participant_id)
    return user


def _linkable_participant(actor: Actor, participant_id: int | None) -> int:
    from econ.participants import services as participants

    if participant_id is None:
        raise DomainError("REQUIRED", "a participant login needs participantId", "participantId")
    participant = participants.get_participant(actor, participant_id)  # NotFound if out of reach
    if actor.role not in (Role.ADMIN, Role.COUNSELOR):
        raise PermissionDenied()
    if User.select().where(User.participant_id == participant.id).exists():
        raise DomainError("ALREADY_LINKED", "this participant already has a login", "participantId")
    return participant.id


def _linkable_employer(employer_id: int | None) -> int:
    if employer_id is None:
        raise DomainError("REQUIRED", "an employer login needs employerId", "employerId")
    try:
        from econ.employers import services as employers
    except ImportError:  # the employers domain is optional at this stage
        return int(employer_id)
    employers.assert_employer_exists(int(employer_id))
    return int(employer_id)


def _recent_failures(email_hash: str, now: dt.datetime) -> list[dt.datetime]:
    query = (
        LoginAttempt.select(LoginAttempt.at)
        .where(
            (LoginAttempt.email_hash == email_hash)
            & (LoginAttempt.success == False)  # noqa: E712 - peewee expression
            & (LoginAttempt.at > now - LOCKOUT_WINDOW)
        )
        .order_by(LoginAttempt.at.desc())
    )
    return [row.at for row in query]


def locked_until(email: str, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or utcnow()
    failures = _recent_failures(keyed_hash(email.strip().lower()), now)
    if len(failures) < LOCKOUT_FAILURES:
        return None
    # Locked for 15 minutes from the failure that made five (attempts refused while locked
    # are not recorded as failures, so that is the latest one).
    until = failures[0] + LOCKOUT_WINDOW
    return until if until > now else None


def login(email: str, password: str, now: dt.datetime | None = None) -> tuple[str, User]:
    """Return (token, user). Every failure reads the same, whatever its cause."""
    now = now or utcnow()
    email_norm = (email or "").strip().lower()[:254]
    email_hash = keyed_hash(email_norm)
    failure = DomainError(
        "INVALID_CREDENTIALS", "e-mail or password is wrong, or the account is locked"
    )
    # The attempt is recorded as a failure before the password is checked, and the count
    # includes it: concurrent guesses each see every guess committed before them, so no
    # more than LOCKOUT_FAILURES of them reach the check (checking first let a burst of
    # simultaneous guesses all through).
    # Only attempts queued before this one count, so in a burst exactly the first five go
    # on to the check and the rest are refused (counting every attempt let a burst refuse
    # all of them, delete them all, and leave the account unlocked).
    attempt = LoginAttempt.create(email_hash=email_hash, at=now, success=False)
    earlier = (
        LoginAttempt.select()
        .where(
            (LoginAttempt.email_hash == email_hash)
            & (LoginAttempt.success == False)  # noqa: E712 - peewee expression
            & (LoginAttempt.at > now - LOCKOUT_WINDOW)
            & (LoginAttempt.id < attempt.id)
        )
        .count()
    )
    if earlier >= LOCKOUT_FAILURES:
        # Refused while locked: not a failure of its own, so the lock does not extend.
        LoginAttempt.delete().where(LoginAttempt.id == attempt.id).execute()
        burn_verification_time(password or "")
        audit.record(None, "login", "User", "", fields=(), outcome="locked")
        raise failure
    user = User.get_or_none(User.email == email_norm)
    valid = (
        verify_password(user.password_hash, password or "")
        if user
        else burn_verification_time(password or "")
    )
    ok = bool(user and user.active and valid)
    if ok:
        LoginAttempt.update(success=True).where(LoginAttempt.id == attempt.id).execute()
    else:
        audit.record(None, "login", "User", user.id if user else "", outcome="failed")
        raise failure
    token = secrets.token_urlsafe(32)
    ttl = dt.timedelta(minutes=get_settings().token_ttl_minutes)
    Session.create(token_hash=keyed_hash(token), user=user, created_at=now, expires_at=now + ttl)
    audit.record(actor_for(user), "login", "User", user.id)
    return token, user


def authenticate(token: str | None, now: dt.datetime | None = None) -> Actor | None:
    """The actor behind a bearer token, or None if it is unknown, expired or revoked."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    session = (
        Session.select(Session, User)
        .join(User)
        .where(Session.token_hash == keyed_hash(token))
        .first()
    )
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return None
    if not session.user.active:
        return None
    return actor_for(session.user)


def logout(token: str) -> None:
    Session.update(revoked_at=utcnow(), revoked_reason="logout").where(
        (Session.token_hash == keyed_hash(token)) & Session.revoked_at.is_null()
    ).execute()


def _revoke_all(user_id: int, reason: str) -> None:
    Session.update(revoked_at=utcnow(), revoked_reason=reason).where(
        (Session.user == user_id) & Session.revoked_at.is_null()
    ).execute()


def change_password(actor: Actor | None, current_password: str, new_password: str) -> None:
    actor = require_actor(actor)
    user = User.get_by_id(actor.user_id)
    if not verify_password(user.password_hash, current_password or ""):
        raise DomainError("INVALID_CREDENTIALS", "the current password is wrong", "currentPassword")
    _check_password(new_password)
    with db.atomic():
        user.password_hash = hash_password(new_password)
        user.save()
        _revoke_all(user.id, "password_change")
        audit.record(actor, "change_password", "User", user.id)


def set_user_role(actor: Actor | None, user_id: int, role: str) -> User:
    actor = require_role(actor, Role.ADMIN)
    new_role = _parse_role(role)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user", "userId")
    if new_role in (Role.PARTICIPANT, Role.EMPLOYER) or Role(user.role) in (
        Role.PARTICIPANT,
        Role.EMPLOYER,
    ):
        raise DomainError(
            "INVALID_ROLE",
            "participant and employer logins keep their role; create a new user",
            "role",
        )
    with db.atomic():
        user.role = new_role.value
        user.save()
        _revoke_all(user.id, "role_change")
        audit.record(actor, "set_user_role", "User", user.id)
    return user


def set_user_active(actor: Actor | None, user_id: int, active: bool) -> User:
    actor = require_role(actor, Role.ADMIN)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user", "userId")
    with db.atomic():
        user.active = active
        user.save()
        if not active:
            _revoke_all(user.id, "deactivated")
        audit.record(actor, "set_user_active", "User", user.id)
    return user


def get_user(user_id: int) -> User | None:
    return User.get_or_none(User.id == user_id)


def list_users(actor: Actor | None, role: str | None = None):
    actor = require_role(actor, Role.ADMIN)
    query = User.select().order_by(User.id)
    if role:
        query = query.where(User.role == _parse_role(role).value)
    return query


def purge_expired_sessions(now: dt.datetime | None = None) -> int:
    """Delete sessions past expiry and login attempts older than the lockout window."""
    now = now or utcnow()
    with db.atomic():
        removed = Session.delete().where(Session.expires_at < now - dt.timedelta(days=1)).execute()
        LoginAttempt.delete().where(LoginAttempt.at < now - dt.timedelta(days=1)).execute()
    return removed
