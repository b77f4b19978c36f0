"""Logins are granted, not made: maker-checker on every change of who may sign in as what.

Creating a login of any role, changing a role, reactivating a login and giving a login a
new enrolment code are requests (made here); they take effect only when a second ADMIN
approves (econ/security/approvals.py, as Apache Fineract's maker-checker does for user
commands). Nobody approves her own
request or a request about her own login, nobody changes her own role, and the last
active ADMIN cannot be demoted. Links are set when a login is created and never by an
ADMIN to a participant: a PARTICIPANT login is requested only by her counselor (with her
present), and she sets its password herself with the enrolment code
(econ/security/enrolment.py). Every entry names the role, the target and the approver.

Deactivating a login takes access away and needs no second person (`services.
set_user_active`), except that the last active ADMIN stays.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable

import peewee as pw

from econ.db import db, utcnow
from econ.emails import normalize_email
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import audit, enrolment, services
from econ.security.errors import SecurityCode
from econ.security.models import LoginRequest, User
from econ.security.permissions import require_role
from econ.security.roles import STAFF_ROLES, Actor, Role
from econ.security.services import LoginLink

# Makes the `LoginLink` of a participant from her id (`participants.services.login_link`):
# how security asks, without importing the domain above it, whether a counselor has her
# in reach. econ/logins.py passes it in.
ParticipantLinks = Callable[[int], LoginLink]


class Kind(enum.StrEnum):
    CREATE = "CREATE"
    ROLE = "ROLE"
    REACTIVATE = "REACTIVATE"
    NEW_CODE = "NEW_CODE"


class Status(enum.StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


def target_user(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user", "userId")
    return user


def _pending(query: pw.Expression) -> bool:
    return LoginRequest.select().where(query & (LoginRequest.status == Status.PENDING)).exists()


def _check_email_free(email: str) -> None:
    if User.select().where(User.email == email).exists() or _pending(
        (LoginRequest.kind == Kind.CREATE) & (LoginRequest.email == email)
    ):
        raise DomainError(
            SecurityCode.EMAIL_TAKEN, "a user with this e-mail already exists", "email"
        )


def _check_participant_unlinked(participant_id: int) -> None:
    if User.select().where(User.participant_id == participant_id).exists() or _pending(
        (LoginRequest.kind == Kind.CREATE) & (LoginRequest.participant_id == participant_id)
    ):
        raise DomainError(
            SecurityCode.ALREADY_LINKED, "this participant already has a login", "participantId"
        )


def _active_admins() -> int:
    return User.select().where((User.role == Role.ADMIN.value) & User.active).count()


def record(actor: Actor, action: str, request: LoginRequest, detail: str) -> None:
    audit.record(
        actor,
        action,
        "User",
        request.target or "",
        participant_id=request.participant_id,
        detail=f"request={request.id} kind={request.kind} {detail}".strip(),
    )


def request_login(
    actor: Actor | None,
    *,
    email: str,
    role: str,
    display_name: str = "",
    work_phone: str = "",
    employer: LoginLink | None = None,
    participant: LoginLink | None = None,
) -> tuple[LoginRequest, str]:
    """Ask for a new login; returns the request and its enrolment code (shown once).

    Staff and employer logins: an ADMIN asks. A PARTICIPANT login: only her counselor,
    for a participant `participant` resolves in her reach (`services.LoginLink`).
    """
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    new_role = services.parse_role(role)
    email = normalize_email(email)
    if new_role == Role.PARTICIPANT and actor.role != Role.COUNSELOR:
        raise PermissionDenied("a participant's login is requested by her counselor", "role")
    if new_role != Role.PARTICIPANT and actor.role != Role.ADMIN:
        raise PermissionDenied("a counselor may only request participant logins", "role")
    participant_id = employer_id = None
    if new_role == Role.PARTICIPANT:
        participant_id = services.linked(
            actor, participant, "a participant login needs participantId", "participantId"
        )
        _check_participant_unlinked(participant_id)
    elif participant is not None:
        raise DomainError(
            SecurityCode.INVALID_LINK,
            "only a PARTICIPANT login links to a participant",
            "participantId",
        )
    if new_role == Role.EMPLOYER:
        employer_id = services.linked(
            actor, employer, "an employer login needs employerId", "employerId"
        )
    elif employer is not None:
        raise DomainError(
            SecurityCode.INVALID_LINK, "only an EMPLOYER login links to an employer", "employerId"
        )
    with db.atomic():
        _check_email_free(email)
        request = LoginRequest.create(
            kind=Kind.CREATE,
            role=new_role.value,
            email=email,
            display_name=(display_name or "").strip()[:120],
            work_phone=(work_phone or "").strip()[:40],
            employer_id=employer_id,
            participant_id=participant_id,
            requested_by=actor.user_id,
        )
        code = enrolment.issue(request, actor.user_id)
        record(actor, "request_login", request, _link_detail(request))
    return request, code


def _link_detail(request: LoginRequest) -> str:
    detail = f"role={request.role}"
    if request.employer_id is not None:
        detail += f" employer={request.employer_id}"
    return detail


def request_role_change(actor: Actor | None, user_id: int, role: str) -> LoginRequest:
    """ADMIN asks that a staff login take another staff role."""
    actor = require_role(actor, Role.ADMIN)
    new_role = services.parse_role(role)
    user = target_user(user_id)
    if user.id == actor.user_id:
        raise PermissionDenied("nobody changes her own role", "userId")
    if new_role not in STAFF_ROLES or Role(user.role) not in STAFF_ROLES:
        raise DomainError(
            SecurityCode.INVALID_ROLE,
            "participant and employer logins keep their role; request a new login",
            "role",
        )
    if new_role == Role(user.role):
        raise DomainError(CommonCode.NO_CHANGE, f"this login is already {new_role.value}", "role")
    check_not_last_admin(user, new_role)
    with db.atomic():
        request = LoginRequest.create(
            kind=Kind.ROLE, role=new_role.value, target=user.id, requested_by=actor.user_id
        )
        record(actor, "request_login_change", request, f"role={user.role}->{new_role.value}")
    return request


def check_not_last_admin(user: User, new_role: Role) -> None:
    demoted = user.role == Role.ADMIN.value and new_role != Role.ADMIN and user.active
    if demoted and _active_admins() <= 1:
        raise DomainError(
            SecurityCode.LAST_ADMIN, "the last active ADMIN cannot be demoted", "role"
        )


def request_reactivation(actor: Actor | None, user_id: int) -> LoginRequest:
    """ADMIN asks that an inactive login may sign in again."""
    actor = require_role(actor, Role.ADMIN)
    user = target_user(user_id)
    if user.active:
        raise DomainError(CommonCode.NO_CHANGE, "this login is active", "userId")
    with db.atomic():
        request = LoginRequest.create(
            kind=Kind.REACTIVATE, role=user.role, target=user.id, requested_by=actor.user_id
        )
        record(actor, "request_login_change", request, f"role={user.role}")
    return request


def request_new_code(
    actor: Actor | None, user_id: int, *, participant_links: ParticipantLinks
) -> tuple[LoginRequest, str]:
    """A new enrolment code for a login whose owner lost her password (or never used
    her first code): an ADMIN asks for staff and employer logins, her counselor for a
    participant's. Redeeming it replaces the password and ends her sessions."""
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    user = target_user(user_id)
    if user.id == actor.user_id:
        raise PermissionDenied("change your own password instead", "userId")
    if user.role == Role.PARTICIPANT.value:
        if actor.role != Role.COUNSELOR:
            raise NotFound("user", "userId")
        _in_caseload(actor, user, participant_links)  # NotFound unless hers
    elif actor.role != Role.ADMIN:
        raise NotFound("user", "userId")
    with db.atomic():
        request = LoginRequest.create(
            kind=Kind.NEW_CODE,
            role=user.role,
            target=user.id,
            participant_id=user.participant_id,
            requested_by=actor.user_id,
        )
        code = enrolment.issue(request, actor.user_id)
        record(actor, "request_login_change", request, f"role={user.role}")
    return request, code


def request_participant_code(
    actor: Actor | None, participant: LoginLink, *, participant_links: ParticipantLinks
) -> tuple[LoginRequest, str]:
    """Her counselor, with her present: a code for her sign-in, and the request behind it.

    No login yet: a CREATE request for a PARTICIPANT login linked to her (or, if her
    counselor's own CREATE request still waits, a new code for it: the earlier one ends).
    A login already (she forgot her passphrase): a NEW_CODE request. Either way nothing
    exists or changes until a second person (an ADMIN) approves; the code she is read
    now sets her sign-in name and passphrase after that. A waiting request that another
    counselor made for her (before she moved caseloads) is withdrawn.
    """
    actor = require_role(actor, Role.COUNSELOR)
    participant_id = services.linked(
        actor, participant, "a participant login needs participantId", "participantId"
    )
    with db.atomic():
        waiting = _pending_for(participant_id)
        if waiting is not None and waiting.requested_by == actor.user_id:
            code = enrolment.issue(waiting, actor.user_id)
            record(actor, "request_login_change", waiting, f"role={waiting.role} new_code")
            return waiting, code
        if waiting is not None:
            _withdraw(actor, waiting)
    user = User.get_or_none(User.participant_id == participant_id)
    if user is None:
        email = f"{secrets.token_hex(8)}@sign-in.invalid"  # she signs in by her name
        return request_login(
            actor, email=email, role=Role.PARTICIPANT.value, participant=participant
        )
    if not user.active:
        raise DomainError(
            SecurityCode.INVALID_LINK,
            "her login is deactivated: an ADMIN may request its reactivation",
            "participantId",
        )
    return request_new_code(actor, user.id, participant_links=participant_links)


def _pending_for(participant_id: int) -> LoginRequest | None:
    return (
        LoginRequest.select()
        .where(
            (LoginRequest.participant_id == participant_id)
            & (LoginRequest.status == Status.PENDING)
            & LoginRequest.kind.in_([Kind.CREATE, Kind.NEW_CODE])
        )
        .order_by(LoginRequest.id.desc())
        .first()
    )


def _withdraw(actor: Actor, request: LoginRequest) -> None:
    LoginRequest.update(
        status=Status.CANCELLED, decided_by=actor.user_id, decided_at=utcnow()
    ).where(LoginRequest.id == request.id).execute()
    record(actor, "reject_login_request", request, f"role={request.role} status=CANCELLED")


def _in_caseload(actor: Actor, user: User, participant_links: ParticipantLinks) -> None:
    """Her counselor's participant's login (NotFound for anyone else's, or none)."""
    if actor.role != Role.COUNSELOR or user.participant_id is None:
        raise NotFound("user", "userId")
    try:
        participant_links(user.participant_id)(actor)
    except (NotFound, PermissionDenied):
        raise NotFound("user", "userId") from None
