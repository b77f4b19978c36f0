"""Enrolment codes: a participant's sign-in without an e-mail address, granted like every
login (her counselor asks with her present, an ADMIN approves, she redeems the code)."""

from __future__ import annotations

import datetime as dt

import pytest

from econ import logins
from econ.errors import DomainError
from econ.participants import enrolment
from econ.participants import services as participants
from econ.security import services as security
from econ.security.models import LoginCode, LoginRequest, Session, User
from tests.support.grants import approved_participant_code
from tests.support.people import PASSWORD

PASSPHRASE = "orange kettle under moonlight"


def _code(people):
    _, counselor = people.counselor()
    participant = people.participant(counselor, legal_name="Maria Canary Legalname")
    code = approved_participant_code(people, counselor, participant.id)
    return counselor, participant, code


def test_code_redeemed_once_signs_her_in_by_the_name_she_chose(people):
    _, participant, code = _code(people)
    token, user = enrolment.redeem_code(code, "Sunflower-7", PASSPHRASE)
    assert user.sign_in_name == "sunflower-7" and user.participant_id == participant.id
    assert user.email.endswith("@sign-in.invalid")
    assert security.authenticate(token).participant_id == participant.id
    again, _ = security.login("sunflower-7", PASSPHRASE)
    assert security.authenticate(again).role == "PARTICIPANT"
    with pytest.raises(DomainError) as used:
        enrolment.redeem_code(code, "another-name", PASSPHRASE)
    assert used.value.code == "INVALID_CODE"


def test_code_is_stored_only_hashed_and_typed_loosely(people):
    _, _, code = _code(people)
    stored = LoginCode.select().get()
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    typed = code.lower().replace("-", " ")
    _, user = enrolment.redeem_code(typed, "river.stone", PASSPHRASE)
    assert user.sign_in_name == "river.stone"


def test_expired_and_replaced_codes_do_not_work(people):
    _, counselor = people.counselor()
    participant = people.participant(counselor)
    first, request = enrolment.issue_code(counselor, participant.id)
    second, again = enrolment.issue_code(counselor, participant.id)
    assert again.id == request.id  # one waiting request for her, its newest code
    logins.approve(people.admin()[1], request.id)
    with pytest.raises(DomainError) as replaced:
        enrolment.redeem_code(first, "first-try", PASSPHRASE)
    assert replaced.value.code == "INVALID_CODE"
    LoginCode.update(expires_at=dt.datetime(2020, 1, 1)).execute()
    with pytest.raises(DomainError) as expired:
        enrolment.redeem_code(second, "second-try", PASSPHRASE)
    assert expired.value.code == "INVALID_CODE"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("maria", "NAME_TOO_CLOSE"),
        ("canary.1990", "NAME_TOO_CLOSE"),
        ("legalname", "NAME_TOO_CLOSE"),
        ("ab", "INVALID_SIGN_IN_NAME"),
        ("has space", "INVALID_SIGN_IN_NAME"),
        ("me@example.org", "INVALID_SIGN_IN_NAME"),
    ],
)
def test_sign_in_name_is_never_her_name(people, name, code):
    _, _, enrolment_code = _code(people)
    with pytest.raises(DomainError) as refused:
        enrolment.redeem_code(enrolment_code, name, PASSPHRASE)
    assert refused.value.code == code and refused.value.field == "signInName"
    # A refused name does not use the code up.
    _, user = enrolment.redeem_code(enrolment_code, "blue-heron", PASSPHRASE)
    assert user.sign_in_name == "blue-heron"


def test_weak_passphrase_refused(people):
    _, _, code = _code(people)
    with pytest.raises(DomainError) as weak:
        enrolment.redeem_code(code, "blue-heron", "password1234")
    assert weak.value.code == "WEAK_PASSWORD" and weak.value.field == "passphrase"


def test_taken_name_refused_and_a_new_code_resets_her_passphrase(people):
    counselor, participant, code = _code(people)
    token, _ = enrolment.redeem_code(code, "blue-heron", PASSPHRASE)
    other = people.participant(counselor, legal_name="Joy Okafor")
    other_code = approved_participant_code(people, counselor, other.id)
    with pytest.raises(DomainError) as taken:
        enrolment.redeem_code(other_code, "blue-heron", PASSPHRASE)
    assert taken.value.code == "NAME_TAKEN"
    # She forgot her passphrase: a new code in person (approved too), her old sessions end.
    new_code = approved_participant_code(people, counselor, participant.id)
    enrolment.redeem_code(new_code, "blue-heron", "violet tram beyond harbour")
    assert security.authenticate(token) is None
    assert User.select().where(User.participant_id == participant.id).count() == 1
    with pytest.raises(DomainError):
        security.login("blue-heron", PASSPHRASE)


def test_only_her_counselor_issues_codes(people):
    _, counselor = people.counselor()
    _, other_counselor = people.counselor()
    _, finance = people.finance()
    _, admin = people.admin()
    participant = people.participant(counselor)
    for actor in (other_counselor, finance, admin):
        with pytest.raises(DomainError) as denied:
            enrolment.issue_code(actor, participant.id)
        assert denied.value.code in ("NOT_FOUND", "FORBIDDEN")
    _, her = people.participant_login(counselor, participant)
    with pytest.raises(DomainError):
        enrolment.issue_code(her, participant.id)


def test_deactivated_login_is_not_revived_by_a_code(people):
    _, admin = people.admin()
    _, counselor = people.counselor()
    participant = people.participant(counselor)
    login_user, _ = people.participant_login(counselor, participant)
    _, other_admin = people.admin()
    code = approved_participant_code(people, counselor, participant.id, approver=other_admin)
    security.set_user_active(admin, login_user.id, False)
    with pytest.raises(DomainError) as refused:
        enrolment.redeem_code(code, "blue-heron", PASSPHRASE)
    assert refused.value.code == "INVALID_CODE"
    # and a deactivated login gets no new code at all (reactivation is an ADMIN request)
    with pytest.raises(DomainError):
        enrolment.issue_code(counselor, participant.id)


def test_over_http_issue_redeem_sign_in_and_sign_out_everywhere(api, people):
    counselor_user, counselor = people.counselor()
    admin_user, _ = people.admin()
    participant = people.participant(counselor)
    staff_token = api.login(counselor_user.email, PASSWORD)
    issued = api.ok(
        "issueEnrolmentCode",
        {"participantId": str(participant.id)},
        "code request { id kind status role }",
        staff_token,
    )
    request = issued["request"]
    assert {k: request[k] for k in ("kind", "status", "role")} == {
        "kind": "CREATE",
        "status": "PENDING",
        "role": "PARTICIPANT",
    }
    admin_token = api.login(admin_user.email, PASSWORD)
    api.ok("approveLoginRequest", {"requestId": request["id"]}, "", admin_token)
    redeemed = api.ok(
        "redeemEnrolmentCode",
        {"code": issued["code"], "signInName": "quiet-garden", "passphrase": PASSPHRASE},
        "token user { role signInName }",
        None,
    )
    # Redeemed anonymously: the name is hers to read once signed in, not in the answer.
    assert redeemed["user"] == {"role": "PARTICIPANT", "signInName": None}
    me = api.query("{ me { signInName } }", token=redeemed["token"])["me"]
    assert me == {"signInName": "quiet-garden"}
    second = api.login("quiet-garden", PASSPHRASE)
    body = api.post("mutation { logoutEverywhere { errors { code } } }", token=second)
    assert body["data"]["logoutEverywhere"]["errors"] == []
    assert api.query("{ me { id } }", token=redeemed["token"])["me"] is None
    assert Session.select().where(Session.revoked_at.is_null()).count() == 2  # the staff's


def test_a_new_counselor_replaces_the_request_her_former_counselor_left_waiting(people):
    """She moved caseloads before an ADMIN decided: the former counselor's request (and its
    code) is withdrawn when the new one issues hers, and can no longer be approved."""
    _, admin = people.admin()
    _, former = people.counselor()
    new_user, new = people.counselor()
    participant = people.participant(former)
    old_code, old_request = enrolment.issue_code(former, participant.id)
    participants.assign_counselor(admin, participant.id, new_user.id)
    code, request = enrolment.issue_code(new, participant.id)
    assert request.id != old_request.id
    assert LoginRequest.get_by_id(old_request.id).status == "CANCELLED"
    with pytest.raises(DomainError) as decided:
        logins.approve(admin, old_request.id)
    assert decided.value.code == "ALREADY_DECIDED"
    logins.approve(admin, request.id)
    with pytest.raises(DomainError) as withdrawn:
        enrolment.redeem_code(old_code, "blue-heron", PASSPHRASE)
    assert withdrawn.value.code == "INVALID_CODE"
    _, user = enrolment.redeem_code(code, "blue-heron", PASSPHRASE)
    assert user.participant_id == participant.id
