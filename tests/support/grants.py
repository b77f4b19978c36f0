"""A login through the real path over HTTP: requested, approved by a second ADMIN, and its
password set by the person herself with the enrolment code."""

from __future__ import annotations

from econ import logins
from econ.participants import enrolment


def grant_login(api, maker_token: str, checker_token: str, password: str, **request) -> str:
    """Run the three steps; return the enrolment code that was redeemed."""
    asked = api.ok("requestLogin", request, "request { id } enrolmentCode", maker_token)
    api.ok("approveLoginRequest", {"requestId": asked["request"]["id"]}, "", checker_token)
    code = asked["enrolmentCode"]
    api.ok("redeemLoginCode", {"code": code, "password": password}, "email", None)
    return code


def approved_participant_code(people, counselor, participant_id: int, approver=None) -> str:
    """Her counselor issues her code and a second person, an ADMIN, approves its request:
    the code she then redeems on her start page (econ/participants/enrolment.py)."""
    code, request = enrolment.issue_code(counselor, participant_id)
    if approver is None:
        _, approver = people.admin()
    logins.approve(approver, request.id)
    return code
