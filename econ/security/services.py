"""Users: create, link, change role or activity, list; the audit trail's reads. Sessions
(log in and out, change password, authenticate a token) are in `sessions.py`, re-exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import peewee as pw

from econ.db import PreparedIn, db
from econ.emails import normalize_email
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import audit
from econ.security.errors import SecurityCode
from econ.security.models import AuditEntry, User
from econ.security.passwords import (
    check_new_password,
    hash_password,
)
from econ.security.permissions import require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.security.sessions import (
    actor_for as actor_for,
)
from econ.security.sessions import (
    authenticate as authenticate,
)
from econ.security.sessions import (
    change_password as change_password,
)
from econ.security.sessions import (
    login as login,
)
from econ.security.sessions import (
    logout as logout,
)
from econ.security.sessions import (
    logout_everywhere as logout_everywhere,
)
from econ.security.sessions import (
    purge_expired_sessions as purge_expired_sessions,
)
from econ.security.sessions import (
    revoke_all as revoke_all,
)
from econ.security.sessions import (
    session_user as session_user,
)
from econ.security.sessions import (
    sign_in_name_taken as sign_in_name_taken,
)
from econ.security.sessions import (
    start_session as start_session,
)

# What a PARTICIPANT or EMPLOYER login links to, resolved by the domain that owns the
# record (`participants.services.login_link`, `employers.services.login_link`): it checks
# that the caller may link it and returns its id. Security never reads those records.
LoginLink = Callable[[Actor], int]


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


def apply_role(user: User, role: Role) -> None:
    """Change a role (after approval, econ/security/grants.py); her sessions end."""
    user.role = role.value
    user.save()
    revoke_all(user.id, "role_change")


def apply_active(user: User, active: bool) -> None:
    user.active = active
    user.save()
    if not active:
        revoke_all(user.id, "deactivated")


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
    return {u.id: u for u in _USERS_BY_ID.rows(wanted)}


_USERS_BY_ID = PreparedIn(lambda ids: User.select().where(User.id.in_(ids)))


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


def logins_of_employer(employer_id: int) -> pw.ModelSelect:
    """A partner company's staff logins by name, unexecuted, for a page read in SQL (the
    employers domain decides who may see them)."""
    query = User.select().where(
        (User.role == Role.EMPLOYER.value) & (User.employer_id == employer_id)
    )
    return query.order_by(User.display_name, User.id)


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
