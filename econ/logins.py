"""Logins asked for from what a front end was given: the ids of the records they link to.

Each id becomes a `LoginLink` of the domain that owns the record, which checks the
caller's reach (`participants.services.login_link`, `employers.services.login_link`);
security checks the rest and never imports those domains. Requests take effect when a
second ADMIN approves (econ/security/grants.py, approvals.py): the GraphQL mutations and the demo go
through `request_login`, `request_new_code` and `approve`. `create_login` is the
system's own set-up (test fixtures, benchmarks), refused to anyone signed in.
"""

from __future__ import annotations

from econ.employers import services as employers
from econ.participants import services as participants
from econ.security import approvals, grants
from econ.security import services as security
from econ.security.roles import Actor
from econ.security.services import LoginLink, User


def _links(participant_id: int | None, employer_id: int | None) -> dict[str, LoginLink | None]:
    return {
        "participant": participants.login_link(participant_id)
        if participant_id is not None
        else None,
        "employer": employers.login_link(employer_id) if employer_id is not None else None,
    }


def request_login(
    actor: Actor | None,
    *,
    participant_id: int | None = None,
    employer_id: int | None = None,
    **login,
) -> tuple[grants.LoginRequest, str]:
    """`grants.request_login` with its links made from ids: (request, enrolment code)."""
    return grants.request_login(actor, **_links(participant_id, employer_id), **login)


def request_new_code(actor: Actor | None, user_id: int) -> tuple[grants.LoginRequest, str]:
    """`grants.request_new_code`: her counselor's reach is checked by participants."""
    return grants.request_new_code(actor, user_id, participant_links=participants.login_link)


def approve(actor: Actor | None, request_id: int) -> tuple[approvals.LoginRequest, User]:
    """`approvals.approve`: a participant is checked again to be in her counselor's reach."""
    return approvals.approve(actor, request_id, participant_links=participants.login_link)


def create_login(
    actor: Actor | None,
    *,
    participant_id: int | None = None,
    employer_id: int | None = None,
    **login,
) -> User:
    """`security.services.create_user` (SYSTEM only) with its links made from ids."""
    return security.create_user(actor, **_links(participant_id, employer_id), **login)
