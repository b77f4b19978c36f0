"""Logins are granted, not made (issue 14, item 1): maker-checker over HTTP.

Before: one ADMIN created a PARTICIPANT login for a participant without one (and read
her restricted data as her), created a second COUNSELOR login, changed her own role;
a counselor created her participant's login with a password she chose.
"""

from __future__ import annotations

import datetime as dt

import pytest

from econ import logins
from econ.db import utcnow
from econ.errors import DomainError
from econ.security import enrolment, services
from econ.security.models import AuditEntry, LoginCode, LoginRequest, User
from tests.support.people import PASSWORD

NEW_PASSWORD = "violet tram under the bridge"
REQUEST = "request { id status role kind targetUserId requestedBy decidedBy }"


def _token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def _request_login(api, token, **fields) -> dict:
    return api.mutate("requestLogin", fields, f"{REQUEST} enrolmentCode", token)


def _approve(api, token, request_id) -> dict:
    return api.mutate("approveLoginRequest", {"requestId": request_id}, REQUEST, token)


def _redeem(api, code, password=NEW_PASSWORD) -> dict:
    return api.mutate("redeemLoginCode", {"code": code, "password": password}, "email", None)


def _codes(payload) -> list[str]:
    return [e["code"] for e in payload["errors"]]


@pytest.fixture
def admins(api, people):
    (a, _), (b, _) = people.admin(), people.admin()
    return (a, _token(api, a)), (b, _token(api, b))


def test_no_mutation_creates_a_login_or_sets_a_role_directly(api, admins):
    (_, token), _ = admins
    for name in ("createUser", "setUserRole"):
        body = api.post(f"mutation {{ {name}(input: {{}}) {{ errors {{ code }} }} }}", None, token)
        assert body["_status"] == 400 and "Cannot query field" in str(body["errors"])


def test_a_staff_login_takes_effect_only_when_a_second_admin_approves(api, admins):
    (maker, maker_token), (checker, checker_token) = admins
    asked = _request_login(
        api, maker_token, email="new.counselor@test.econ", role="COUNSELOR", displayName="Eva"
    )
    assert asked["errors"] == [] and asked["request"]["status"] == "PENDING"
    code = asked["enrolmentCode"]
    assert not User.select().where(User.email == "new.counselor@test.econ").exists()
    # Not before approval (said plainly), and never approved by the one who asked.
    assert _codes(_redeem(api, code)) == ["NEEDS_APPROVAL"]
    request_id = asked["request"]["id"]
    assert _codes(_approve(api, maker_token, request_id)) == ["FORBIDDEN"]
    approved = _approve(api, checker_token, request_id)
    assert approved["errors"] == [] and approved["request"]["status"] == "APPROVED"
    user = User.get(User.email == "new.counselor@test.econ")
    assert user.role == "COUNSELOR" and user.password_hash == "" and user.enrolled_at is None
    # Nobody can sign in to it until its owner sets her password with the code.
    refused = api.mutate("login", {"email": user.email, "password": ""}, "token", None)
    assert _codes(refused) == ["INVALID_CREDENTIALS"]
    assert _redeem(api, code) == {"email": user.email, "errors": []}
    assert api.login(user.email, NEW_PASSWORD)
    assert _codes(_redeem(api, code, "another long pass phrase here")) == ["INVALID_CODE"]
    # The privilege entries name the role, the target and the approver.
    entry = AuditEntry.get(AuditEntry.action == "approve_login_request")
    assert entry.record_id == str(user.id) and entry.actor_id == checker.id
    assert f"role=COUNSELOR requested_by={maker.id} approved_by={checker.id}" in entry.detail
    asked_entry = AuditEntry.get(AuditEntry.action == "request_login")
    assert "role=COUNSELOR" in asked_entry.detail and asked_entry.actor_id == maker.id


def test_an_admin_cannot_link_a_login_to_a_participant(api, admins, people):
    (_, token), _ = admins
    _, counselor = people.counselor()
    her = people.participant(counselor)
    asked = _request_login(
        api, token, email="her@test.econ", role="PARTICIPANT", participantId=str(her.id)
    )
    assert _codes(asked) == ["FORBIDDEN"]
    assert LoginRequest.select().count() == 0


def test_a_participant_login_is_asked_by_her_counselor_and_she_sets_the_password(
    api, admins, people
):
    _, (_, checker_token) = admins
    counselor_user, counselor = people.counselor()
    _, other_counselor = people.counselor()
    her = people.participant(counselor)
    not_hers = people.participant(other_counselor)
    counselor_token = _token(api, counselor_user)
    outside = _request_login(
        api,
        counselor_token,
        email="x@test.econ",
        role="PARTICIPANT",
        participantId=str(not_hers.id),
    )
    assert _codes(outside) == ["NOT_FOUND"]
    # No input carries a password: a counselor cannot choose one for her.
    with_password = api.post(
        'mutation { requestLogin(input: {email: "a@test.econ", role: PARTICIPANT, '
        f'participantId: "{her.id}", password: "chosen by me 123"}}) {{ errors {{ code }} }} }}',
        None,
        counselor_token,
    )
    assert with_password["_status"] == 400
    asked = _request_login(
        api, counselor_token, email="her@test.econ", role="PARTICIPANT", participantId=str(her.id)
    )
    assert asked["errors"] == []
    twice = _request_login(
        api, counselor_token, email="her2@test.econ", role="PARTICIPANT", participantId=str(her.id)
    )
    assert _codes(twice) == ["ALREADY_LINKED"]
    assert _approve(api, checker_token, asked["request"]["id"])["errors"] == []
    assert _redeem(api, asked["enrolmentCode"])["errors"] == []
    her_token = api.login("her@test.econ", NEW_PASSWORD)
    me = api.query("{ me { role participant { id } } }", None, her_token)["me"]
    assert me == {"role": "PARTICIPANT", "participant": {"id": str(her.id)}}
    # It is in her own history.
    actions = {e.action for e in AuditEntry.select().where(AuditEntry.participant_id == her.id)}
    assert {"request_login", "approve_login_request", "redeem_enrolment_code"} <= actions


def test_nobody_changes_her_own_role_and_the_last_admin_stays(api, people):
    alone, _ = people.admin()
    alone_token = _token(api, alone)
    own = api.mutate(
        "requestRoleChange", {"userId": str(alone.id), "role": "FINANCE"}, REQUEST, alone_token
    )
    assert _codes(own) == ["FORBIDDEN"]
    second, _ = people.admin()
    second_token = _token(api, second)
    demote = api.mutate(
        "requestRoleChange", {"userId": str(alone.id), "role": "COUNSELOR"}, REQUEST, second_token
    )
    assert demote["errors"] == []
    # The target cannot approve a change of her own login, the maker neither.
    assert _codes(_approve(api, alone_token, demote["request"]["id"])) == ["FORBIDDEN"]
    assert _codes(_approve(api, second_token, demote["request"]["id"])) == ["FORBIDDEN"]
    third, _ = people.admin()
    approved = _approve(api, _token(api, third), demote["request"]["id"])
    assert approved["errors"] == [] and User.get_by_id(alone.id).role == "COUNSELOR"
    # Two ADMINs left; one deactivates the other: the last one can neither change her
    # own role nor be deactivated (maker, checker and target are three people, so a role
    # change can never remove the last ADMIN).
    services.set_user_active(services.actor_for(third), second.id, False)
    third_token = _token(api, third)
    own_last = api.mutate(
        "requestRoleChange", {"userId": str(third.id), "role": "FINANCE"}, REQUEST, third_token
    )
    assert _codes(own_last) == ["FORBIDDEN"]
    itself = api.mutate(
        "setUserActive", {"userId": str(third.id), "active": False}, "user { id }", third_token
    )
    assert _codes(itself) == ["LAST_ADMIN"] and User.get_by_id(third.id).active


def test_reactivating_a_login_needs_a_second_admin(api, admins, people):
    (_, maker_token), (_, checker_token) = admins
    user, _ = people.finance()
    off = api.mutate(
        "setUserActive", {"userId": str(user.id), "active": False}, "user { active }", maker_token
    )
    assert off["user"] == {"active": False}
    on = api.mutate(
        "setUserActive", {"userId": str(user.id), "active": True}, "user { active }", maker_token
    )
    assert _codes(on) == ["NEEDS_APPROVAL"] and not User.get_by_id(user.id).active
    asked = api.mutate("requestReactivation", {"userId": str(user.id)}, REQUEST, maker_token)
    assert _codes(_approve(api, maker_token, asked["request"]["id"])) == ["FORBIDDEN"]
    assert _approve(api, checker_token, asked["request"]["id"])["errors"] == []
    assert User.get_by_id(user.id).active


def test_a_lost_password_is_a_new_code_approved_by_a_second_admin(api, admins, people):
    (_, maker_token), (_, checker_token) = admins
    user, _ = people.counselor()
    old_token = _token(api, user)
    asked = api.mutate(
        "requestEnrolmentCode", {"userId": str(user.id)}, f"{REQUEST} enrolmentCode", maker_token
    )
    assert _codes(_redeem(api, asked["enrolmentCode"])) == ["NEEDS_APPROVAL"]  # not yet
    assert api.login(user.email, PASSWORD)  # nothing changed before approval
    assert _approve(api, checker_token, asked["request"]["id"])["errors"] == []
    assert _redeem(api, asked["enrolmentCode"])["errors"] == []
    assert api.post("{ me { id } }", None, old_token)["data"]["me"] is None  # sessions ended
    assert api.login(user.email, NEW_PASSWORD)


def test_enrolment_codes_are_single_use_expire_and_are_stored_hashed(admins, people):
    (maker, _), (checker, _) = admins
    request, code = logins.request_login(
        services.actor_for(maker), email="fin@test.econ", role="FINANCE"
    )
    logins.approve(services.actor_for(checker), request.id)
    row = LoginCode.get(LoginCode.request == request.id)
    assert code.replace("-", "") not in row.code_hash and len(row.code_hash) == 64
    later = utcnow() + dt.timedelta(hours=73)
    with pytest.raises(DomainError) as expired:
        enrolment.redeem(code, NEW_PASSWORD, now=later)
    assert expired.value.code == "INVALID_CODE"
    # Typed in lower case, without dashes, with O for 0: still her code.
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert enrolment.redeem(typed, NEW_PASSWORD).email == "fin@test.econ"
    with pytest.raises(DomainError):
        enrolment.redeem(code, NEW_PASSWORD)


def test_a_rejected_request_never_takes_effect(api, admins):
    (_, maker_token), (_, checker_token) = admins
    asked = _request_login(api, maker_token, email="boss@test.econ", role="ADMIN")
    rejected = api.mutate(
        "rejectLoginRequest", {"requestId": asked["request"]["id"]}, REQUEST, checker_token
    )
    assert rejected["request"]["status"] == "REJECTED"
    assert _codes(_approve(api, checker_token, asked["request"]["id"])) == ["ALREADY_DECIDED"]
    assert _codes(_redeem(api, asked["enrolmentCode"])) == ["INVALID_CODE"]
    assert not User.select().where(User.email == "boss@test.econ").exists()


def test_requests_are_listed_to_admins_and_to_the_counselor_who_made_them(api, admins, people):
    (_, admin_token), _ = admins
    counselor_user, counselor = people.counselor()
    other_user, _ = people.counselor()
    her = people.participant(counselor)
    counselor_token = _token(api, counselor_user)
    _request_login(
        api, counselor_token, email="her@test.econ", role="PARTICIPANT", participantId=str(her.id)
    )
    _request_login(api, admin_token, email="fin@test.econ", role="FINANCE")
    query = "{ loginRequests { edges { node { role email } } } }"

    def roles(token):
        edges = api.query(query, None, token)["loginRequests"]["edges"]
        return sorted(e["node"]["role"] for e in edges)

    assert roles(admin_token) == ["FINANCE", "PARTICIPANT"]
    assert roles(counselor_token) == ["PARTICIPANT"]
    assert roles(_token(api, other_user)) == []
    finance, _ = people.finance()
    denied = api.post(query, None, _token(api, finance))
    assert denied["errors"] and not (denied["data"] or {}).get("loginRequests")


def test_the_console_bootstrap_is_audited_as_such(people):
    user, _ = people.admin()
    entry = AuditEntry.get(AuditEntry.action == "bootstrap_user")
    assert entry.record_id == str(user.id) and entry.detail == "role=ADMIN by=console"
    with pytest.raises(DomainError) as error:
        services.create_user(
            services.actor_for(user), email="x@test.econ", password=NEW_PASSWORD, role="ADMIN"
        )
    assert error.value.code == "FORBIDDEN"


def test_the_demo_logins_come_through_the_approval_path():
    from econ import demo

    ctx = demo.load()
    boot = {e.record_id for e in AuditEntry.select().where(AuditEntry.action == "bootstrap_user")}
    admins = {str(u.id) for u in ctx.users.values() if u.role == "ADMIN"}
    assert boot == admins
    others = [u for u in ctx.users.values() if u.role != "ADMIN"]
    assert len(others) >= 5
    for user in others:
        request = LoginRequest.get(LoginRequest.target == user.id)
        assert request.status == "APPROVED" and request.decided_by != request.requested_by
        assert User.get_by_id(user.id).enrolled_at is not None


def test_the_admin_audit_log_never_links_a_login_to_a_participant(api, admins, people):
    _, (_, admin_token) = admins
    counselor_user, counselor = people.counselor()
    her = people.participant(counselor)
    grant = (
        api,
        _token(api, counselor_user),
        admin_token,
        NEW_PASSWORD,
    )
    from tests.support.grants import grant_login

    grant_login(*grant, email="her@test.econ", role="PARTICIPANT", participantId=str(her.id))
    log = "query A($p: ID) { auditLog(participantId: $p, first: 100) { edges { node { action recordType recordId participantId } } } }"  # noqa: E501
    by_her = api.query(log, {"p": str(her.id)}, admin_token)["auditLog"]["edges"]
    assert [e for e in by_her if e["node"]["recordType"] == "User"] == []
    everything = api.query(log, {"p": None}, admin_token)["auditLog"]["edges"]
    about_logins = [e["node"] for e in everything if e["node"]["recordType"] == "User"]
    assert about_logins and all(n["participantId"] is None for n in about_logins)
    # What she does herself names her login as the actor: never her id to an ADMIN.
    her_token = api.login("her@test.econ", NEW_PASSWORD)
    api.query(
        "query($id: ID!) { participant(id: $id) { legalName } }", {"id": str(her.id)}, her_token
    )
    log_actor = "query { auditLog(first: 100) { edges { node { actorRole participantId } } } }"
    by_role = api.query(log_actor, None, admin_token)["auditLog"]["edges"]
    hers = [e["node"] for e in by_role if e["node"]["actorRole"] == "PARTICIPANT"]
    assert hers and all(n["participantId"] is None for n in hers)
    # Her own history shows what was done about her login.
    mine = api.query(
        "query P($id: ID!) { participant(id: $id) { accessLog { edges { node { action } } } } }",
        {"id": str(her.id)},
        her_token,
    )["participant"]["accessLog"]["edges"]
    actions = {e["node"]["action"] for e in mine}
    assert {"request_login", "approve_login_request", "redeem_enrolment_code"} <= actions


def test_assigning_a_counselor_names_the_counselor_in_the_audit(api, admins, people):
    (_, admin_token), _ = admins
    first_user, first = people.counselor()
    second_user, _ = people.counselor()
    her = people.participant(first)
    api.ok(
        "assignCounselor",
        {"participantId": str(her.id), "counselorId": str(second_user.id)},
        "participant { id }",
        admin_token,
    )
    entry = AuditEntry.get(AuditEntry.action == "assign_counselor")
    assert entry.detail == f"counselor={second_user.id} previous={first_user.id}"


def test_her_counselor_asks_for_a_new_code_for_her_login_and_nobody_else(admins, people):
    _, (checker, _) = admins
    _, counselor = people.counselor()
    _, other = people.counselor()
    her = people.participant(counselor)
    login, _ = people.participant_login(counselor, her)
    with pytest.raises(DomainError) as outside:
        logins.request_new_code(other, login.id)
    assert outside.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as admin:
        logins.request_new_code(services.actor_for(checker), login.id)
    assert admin.value.code == "NOT_FOUND"
    request, code = logins.request_new_code(counselor, login.id)
    logins.approve(services.actor_for(checker), request.id)
    assert enrolment.redeem(code, NEW_PASSWORD).id == login.id
    actions = {e.action for e in AuditEntry.select().where(AuditEntry.participant_id == her.id)}
    assert {"request_login_change", "approve_login_request", "redeem_enrolment_code"} <= actions
