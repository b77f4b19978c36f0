"""A second person decides a login request: approve it (the change takes effect), reject
or withdraw it, and the lists of requests each role may see.

The requests themselves are made in econ/security/grants.py; here the rules of deciding:
nobody approves her own request or a request about her own login, what the request asks
is checked again when it is approved (the e-mail still free, the participant still
unlinked and in her requesting counselor's reach, the last active ADMIN kept).
"""

from __future__ import annotations

import peewee as pw

from econ.db import db, utcnow
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import enrolment, services
from econ.security.errors import SecurityCode
from econ.security.grants import (
    Kind,
    ParticipantLinks,
    Status,
    check_not_last_admin,
    record,
    target_user,
)
from econ.security.models import LoginRequest, User
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role


def _decidable(actor: Actor, request_id: int) -> LoginRequest:
    request = LoginRequest.get_or_none(LoginRequest.id == request_id)
    if request is None or not _may_see(actor, request):
        raise NotFound("login request", "requestId")
    if request.status != Status.PENDING:
        raise DomainError(
            CommonCode.ALREADY_DECIDED, f"this request is {request.status}", "requestId"
        )
    return request


def approve(
    actor: Actor | None, request_id: int, *, participant_links: ParticipantLinks
) -> tuple[LoginRequest, User]:
    """A second ADMIN approves: the change takes effect now. `participant_links` checks
    again that a participant is still in her requesting counselor's reach."""
    actor = require_role(actor, Role.ADMIN)
    with db.atomic():
        request = _decidable(actor, request_id)
        if request.requested_by == actor.user_id:
            raise PermissionDenied("a second ADMIN must approve your request", "requestId")
        if request.target == actor.user_id:
            raise PermissionDenied("nobody approves a change of her own login", "requestId")
        user = _apply(request, participant_links)
        now = utcnow()
        updated = (
            LoginRequest.update(
                status=Status.APPROVED, decided_by=actor.user_id, decided_at=now, target=user.id
            )
            .where((LoginRequest.id == request.id) & (LoginRequest.status == Status.PENDING))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.ALREADY_DECIDED, "this request was just decided", "requestId"
            )
        request = LoginRequest.get_by_id(request.id)
        enrolment.activate(request, user.id, now)
        record(
            actor,
            "approve_login_request",
            request,
            f"role={user.role} requested_by={request.requested_by} approved_by={actor.user_id}",
        )
    return request, user


def _apply(request: LoginRequest, participant_links: ParticipantLinks) -> User:
    """Do what the request asks, checking again what may have changed since it was made."""
    if request.kind == Kind.CREATE:
        _check_email_free_but(request)
        if request.participant_id is not None:
            # Still unlinked, and still in the requesting counselor's caseload (she holds
            # the code): NotFound or ALREADY_LINKED otherwise.
            maker = Actor(user_id=request.requested_by, role=Role.COUNSELOR)
            participant_links(request.participant_id)(maker)
            _check_participant_unlinked_but(request)
        return services.insert_user(
            email=request.email,
            password_hash="",
            role=request.role,
            participant_id=request.participant_id,
            employer_id=request.employer_id,
            display_name=request.display_name,
            work_phone=request.work_phone,
            created_by=request.requested_by,
        )
    user = target_user(request.target)
    if request.kind == Kind.ROLE:
        check_not_last_admin(user, Role(request.role))
        services.apply_role(user, Role(request.role))
    elif request.kind == Kind.REACTIVATE:
        services.apply_active(user, True)
    return user


def _check_participant_unlinked_but(request: LoginRequest) -> None:
    if User.select().where(User.participant_id == request.participant_id).exists():
        raise DomainError(
            SecurityCode.ALREADY_LINKED, "this participant already has a login", "participantId"
        )


def _check_email_free_but(request: LoginRequest) -> None:
    if User.select().where(User.email == request.email).exists():
        raise DomainError(
            SecurityCode.EMAIL_TAKEN, "a user with this e-mail already exists", "email"
        )


def reject(actor: Actor | None, request_id: int) -> LoginRequest:
    """An ADMIN refuses a request, or its maker withdraws it; its codes never work."""
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    with db.atomic():
        request = _decidable(actor, request_id)
        own = request.requested_by == actor.user_id
        if actor.role != Role.ADMIN and not own:
            raise NotFound("login request", "requestId")
        status = Status.CANCELLED if own else Status.REJECTED
        LoginRequest.update(status=status, decided_by=actor.user_id, decided_at=utcnow()).where(
            LoginRequest.id == request.id
        ).execute()
        request = LoginRequest.get_by_id(request.id)
        record(actor, "reject_login_request", request, f"role={request.role} status={status}")
    return request


def _may_see(actor: Actor, request: LoginRequest) -> bool:
    return actor.role == Role.ADMIN or request.requested_by == actor.user_id


def list_requests(
    actor: Actor | None, status: str | None = None, participant_id: int | None = None
) -> pw.ModelSelect:
    """ADMIN: every request; a counselor: the ones she made. Newest first.

    `participant_id` is how her counselor follows her sign-in request (the enrolment
    code page): a counselor's own requests about her. An ADMIN never looks requests up by
    participant (she cannot link logins to participants): NotFound.
    """
    actor = require_role(actor, Role.ADMIN, Role.COUNSELOR)
    query = LoginRequest.select().order_by(LoginRequest.id.desc())
    if actor.role != Role.ADMIN:
        query = query.where(LoginRequest.requested_by == actor.user_id)
    if participant_id is not None:
        if actor.role != Role.COUNSELOR:
            raise NotFound("participant", "participantId")
        query = query.where(LoginRequest.participant_id == participant_id)
    if status:
        try:
            query = query.where(LoginRequest.status == Status(status))
        except ValueError:
            raise DomainError(
                CommonCode.INVALID_STATUS, f"unknown status {status!r}", "status"
            ) from None
    return query
