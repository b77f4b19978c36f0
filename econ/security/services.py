"""Users and sessions: create, log in and out, change password or role, authenticate a token."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable

import peewee as pw

from econ.config import get_settings
from econ.db import PreparedQuery, db, utcnow
from econ.emails import normalize_email
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import audit, ratelimit, throttle
from econ.security.crypto import keyed_hash
from econ.security.errors import SecurityCode
from econ.security.models import AuditEntry, Session, User
from econ.security.passwords import (
    burn_verification_time,
    check_new_password,
    hash_password,
    verify_password,
)
from econ.security.permissions import require_actor, require_role
from econ.security.roles import SYSTEM, Actor, Role

# What a PARTICIPANT or EMPLOYER login links to, resolved by the domain that owns the
# record (`participants.services.login_link`, `employers.services.login_link`): it checks
# that the caller may link it and returns its id. Security never reads those records.
LoginLink = Callable[[Actor], int]


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        email=user.email,
        participant_id=user.participant_id,
        employer_id=user.employer_id,
    )


def _check_password(password: str, *personal: str) -> None:
    check_new_password(password, personal)


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError(SecurityCode.INVALID_ROLE, f"unknown role {role!r}", "role") from None


def create_user(
    actor: Actor | None,
    *,
    email: str,
    password: str,
    role: str,
    participant: LoginLink | None = None,
    employer: LoginLink | None = None,
    display_name: str = "",
    work_phone: str = "",
) -> User:
    """A login made directly by the system itself: the console's bootstrap of the first
    ADMINs (`econ create-user`) and test fixtures. Nobody signed in can call it: people
    ask for logins through econ/security/grants.py and a second ADMIN approves.

    A PARTICIPANT login needs `participant`, an EMPLOYER login `employer` (see `LoginLink`).
    """
    if actor != SYSTEM:
        raise PermissionDenied("logins are requested and approved by a second ADMIN")
    new_role = parse_role(role)
    email = normalize_email(email)
    _check_password(password, email, display_name)
    participant_id = employer_id = None
    if new_role == Role.PARTICIPANT:
        participant_id = _linked_participant(actor, participant)
    elif participant is not None:
        raise DomainError(
            SecurityCode.INVALID_LINK,
            "only a PARTICIPANT login links to a participant",
            "participantId",
        )
    if new_role == Role.EMPLOYER:
        employer_id = linked(actor, employer, "an employer login needs employerId", "employerId")
    elif employer is not None:
        raise DomainError(
            SecurityCode.INVALID_LINK, "only an EMPLOYER login links to an employer", "employerId"
        )
    with db.atomic():
        if User.select().where(User.email == email).exists():
            raise DomainError(
                SecurityCode.EMAIL_TAKEN, "a user with this e-mail already exists", "email"
            )
        user = insert_user(
            email=email,
            password_hash=hash_password(password),
            role=new_role.value,
            participant_id=participant_id,
            employer_id=employer_id,
            display_name=display_name,
            work_phone=work_phone,
            created_by=None,
        )
        User.update(enrolled_at=user.created_at).where(User.id == user.id).execute()
        audit.record(
            actor,
            "bootstrap_user",
            "User",
            user.id,
            participant_id=participant_id,
            detail=f"role={new_role.value} by=console",
        )
    return user


def linked(actor: Actor, link: LoginLink | None, missing: str, field: str) -> int:
    """The id `link` resolves for `actor` (REQUIRED without a link)."""
    if link is None:
        raise DomainError(CommonCode.REQUIRED, missing, field)
    return link(actor)


def _linked_participant(actor: Actor, link: LoginLink | None) -> int:
    missing = "a participant login needs participantId"
    participant_id = linked(actor, link, missing, "participantId")
    if User.select().where(User.participant_id == participant_id).exists():
        raise DomainError(
            SecurityCode.ALREADY_LINKED, "this participant already has a login", "participantId"
        )
    return participant_id


def insert_user(
    *,
    email: str,
    password_hash: str,
    role: str,
    participant_id: int | None,
    employer_id: int | None,
    display_name: str,
    work_phone: str,
    created_by: int | None,
) -> User:
    """The row of a login that was approved (grants) or bootstrapped (create_user)."""
    return User.create(
        email=email,
        password_hash=password_hash,
        role=role,
        participant_id=participant_id,
        employer_id=employer_id,
        display_name=(display_name or "").strip()[:120],
        work_phone=(work_phone or "").strip()[:40],
        created_by=created_by,
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
    _revoke_all(actor.user_id, "logout_everywhere")
    audit.record(actor, "logout_everywhere", "User", actor.user_id)


def logout(token: str) -> None:
    Session.update(revoked_at=utcnow(), revoked_reason="logout").where(
        (Session.token_hash == keyed_hash(token)) & Session.revoked_at.is_null()
    ).execute()


def _revoke_all(user_id: int, reason: str) -> None:
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
    _check_password(new_password, user.email, user.display_name)
    with db.atomic():
        user.password_hash = hash_password(new_password)
        user.save()
        _revoke_all(user.id, "password_change")
        audit.record(actor, "change_password", "User", user.id)


def apply_role(user: User, role: Role) -> None:
    """Change a role (after approval, econ/security/grants.py); her sessions end."""
    user.role = role.value
    user.save()
    _revoke_all(user.id, "role_change")


def apply_active(user: User, active: bool) -> None:
    user.active = active
    user.save()
    if not active:
        _revoke_all(user.id, "deactivated")


def set_user_active(actor: Actor | None, user_id: int, active: bool) -> User:
    """ADMIN deactivates a login at once (taking access away needs no second person);
    reactivating one is a request a second ADMIN approves (grants.request_reactivation).
    The last active ADMIN stays active."""
    actor = require_role(actor, Role.ADMIN)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user", "userId")
    if active:
        if user.active:
            return user
        raise DomainError(
            SecurityCode.NEEDS_APPROVAL,
            "reactivating a login needs a second ADMIN: request it (requestReactivation)",
            "active",
        )
    with db.atomic():
        if (
            user.role == Role.ADMIN.value
            and user.active
            and User.select().where((User.role == Role.ADMIN.value) & User.active).count() <= 1
        ):
            raise DomainError(
                SecurityCode.LAST_ADMIN, "the last active ADMIN cannot be deactivated", "userId"
            )
        apply_active(user, False)
        audit.record(actor, "set_user_active", "User", user.id, detail="active=false")
    return user


def get_user(user_id: int) -> User | None:
    return User.get_or_none(User.id == user_id)


def users_by_id(ids: Iterable[int]) -> dict[int, User]:
    """For showing who did something (a counselor's name beside her caseload)."""
    wanted = [i for i in set(ids) if i]
    if not wanted:
        return {}
    return {u.id: u for u in User.select().where(User.id.in_(wanted))}


def email_in_use(email: str) -> bool:
    return User.select().where(User.email == email.strip().lower()).exists()


def any_user() -> bool:
    return User.select().exists()


def list_users(actor: Actor | None, role: str | None = None):
    actor = require_role(actor, Role.ADMIN)
    query = User.select().order_by(User.id)
    if role:
        query = query.where(User.role == parse_role(role).value)
    return query


def logins_of_employer(employer_id: int) -> list[User]:
    """A partner company's staff logins (the employers domain decides who may see them)."""
    query = User.select().where(
        (User.role == Role.EMPLOYER.value) & (User.employer_id == employer_id)
    )
    return list(query.order_by(User.display_name, User.id))


def purge_expired_sessions(now: dt.datetime | None = None) -> int:
    """Delete sessions past expiry, login attempts that no longer count, ended counters."""
    now = now or utcnow()
    with db.atomic():
        removed = Session.delete().where(Session.expires_at < now - dt.timedelta(days=1)).execute()
        throttle.purge(now)
        ratelimit.purge_expired()
    return removed


def audit_chain(actor: Actor | None) -> audit.ChainReport:
    """`econ audit verify` for an ADMIN: the hash chain walked now, problems by entry id."""
    require_role(actor, Role.ADMIN)
    return audit.verify_chain()


def audit_entries(
    actor: Actor | None,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    participant_id: int | None = None,
) -> pw.ModelSelect:
    """The audit trail for an ADMIN, newest first. Entries about logins never show her
    which participant a login belongs to (see `entry_participant`), and a search by
    participant leaves them out: no single ADMIN links a login to a participant."""
    require_role(actor, Role.ADMIN)
    query = AuditEntry.select().order_by(AuditEntry.id.desc())
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if participant_id is not None:
        query = query.where(
            (AuditEntry.participant_id == participant_id)
            & (AuditEntry.record_type != "User")
            & (AuditEntry.actor_role != Role.PARTICIPANT.value)
        )
    return query


def entry_participant(entry: AuditEntry) -> int | None:
    """The participant an entry names, except where it would tie a login to her: entries
    about a login (record type User) and what she did herself (her login is the actor).
    Her own history shows those (participants.access_log); the ADMIN's log does not."""
    if entry.record_type == "User" or entry.actor_role == Role.PARTICIPANT.value:
        return None
    return entry.participant_id
