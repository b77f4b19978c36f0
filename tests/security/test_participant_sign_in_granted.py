"""A participant's sign-in code is a login request a second person approves (issue 14,
item 1), over HTTP.

Before: her counselor issued a code (`issueEnrolmentCode`) and redeeming it CREATED her
PARTICIPANT login at once, with no second ADMIN: a counselor alone could make a login
for a woman of her caseload, redeem it herself and sign in "as her". Now the code comes
with a CREATE request; the login exists only once an ADMIN approves; the code then only
sets the sign-in name and passphrase on it; before that it says "not approved yet" and
nothing else.
"""

from __future__ import annotations

from econ.security.models import AuditEntry, User
from tests.support.people import PASSWORD

PASSPHRASE = "orange kettle under moonlight"
REQUEST = "request { id kind status role requestedBy decidedBy }"
LISTED = (
    "query($p: ID!) { loginRequests(participantId: $p) { edges { node { id kind status role } } } }"
)


def _redeem(api, code: str, name: str = "quiet-garden") -> dict:
    return api.mutate(
        "redeemEnrolmentCode",
        {"code": code, "signInName": name, "passphrase": PASSPHRASE},
        "token user { role }",
        None,
    )


def _her_requests(api, participant_id: int, token: str) -> dict:
    return api.post(
        "query($p: ID!) { loginRequests(participantId: $p) { edges { node { kind status } } } }",
        {"p": str(participant_id)},
        token,
    )


def test_her_code_makes_no_login_until_a_second_person_approves(api, people):
    counselor_user, counselor = people.counselor()
    admin_user, _ = people.admin()
    participant = people.participant(counselor, legal_name="Maria Canary Legalname")
    staff = api.login(counselor_user.email, PASSWORD)
    admin = api.login(admin_user.email, PASSWORD)
    issued = api.ok("issueEnrolmentCode", {"participantId": str(participant.id)}, "code", staff)

    # Redeemed at once (by her, or by her counselor pretending to be her): no login.
    waiting = _redeem(api, issued["code"])
    assert [e["code"] for e in waiting["errors"]] == ["NEEDS_APPROVAL"]
    assert waiting["token"] is None
    assert "Maria" not in str(waiting) and "Canary" not in str(waiting)
    assert not User.select().where(User.participant_id == participant.id).exists()
    listed = api.query(LISTED, {"p": str(participant.id)}, staff)["loginRequests"]
    (request,) = [e["node"] for e in listed["edges"]]
    assert (request["kind"], request["status"], request["role"]) == (
        "CREATE", "PENDING", "PARTICIPANT"
    )  # fmt: skip

    # Her counselor cannot approve what she asked; she follows its state.
    denied = api.mutate("approveLoginRequest", {"requestId": request["id"]}, REQUEST, staff)
    assert [e["code"] for e in denied["errors"]] == ["FORBIDDEN"]
    # An ADMIN never looks a login up by participant.
    assert "NOT_FOUND" in str(_her_requests(api, participant.id, admin)["errors"])

    # A second person, an ADMIN, approves: the login exists, without name or password.
    approved = api.ok("approveLoginRequest", {"requestId": request["id"]}, REQUEST, admin)
    assert approved["request"]["decidedBy"] == str(admin_user.id)
    login = User.get(User.participant_id == participant.id)
    assert login.role == "PARTICIPANT" and login.password_hash == "" and login.sign_in_name is None
    done = _redeem(api, issued["code"])
    assert done["errors"] == [] and done["user"] == {"role": "PARTICIPANT"}
    assert User.get_by_id(login.id).sign_in_name == "quiet-garden"
    assert User.select().where(User.participant_id == participant.id).count() == 1

    # Her own history shows how her login came about: asked, approved, redeemed by her.
    actions = [
        e.action
        for e in AuditEntry.select()
        .where(AuditEntry.participant_id == participant.id)
        .order_by(AuditEntry.id)
    ]
    assert actions.index("request_login") < actions.index("approve_login_request")
    assert actions.index("approve_login_request") < actions.index("redeem_enrolment_code")


def test_a_forgotten_passphrase_needs_the_same_approval(api, people):
    counselor_user, counselor = people.counselor()
    admin_user, _ = people.admin()
    participant = people.participant(counselor)
    staff = api.login(counselor_user.email, PASSWORD)
    admin = api.login(admin_user.email, PASSWORD)
    first = api.ok(
        "issueEnrolmentCode", {"participantId": str(participant.id)}, f"code {REQUEST}", staff
    )
    api.ok("approveLoginRequest", {"requestId": first["request"]["id"]}, REQUEST, admin)
    assert _redeem(api, first["code"])["errors"] == []
    before = User.get(User.participant_id == participant.id).password_hash
    # Her counselor gives her a new code: it changes nothing until an ADMIN approves it.
    again = api.ok(
        "issueEnrolmentCode", {"participantId": str(participant.id)}, f"code {REQUEST}", staff
    )
    assert again["request"]["kind"] == "NEW_CODE"
    waiting = _redeem(api, again["code"], "quiet-garden")
    assert [e["code"] for e in waiting["errors"]] == ["NEEDS_APPROVAL"]
    assert User.get(User.participant_id == participant.id).password_hash == before
    api.ok("approveLoginRequest", {"requestId": again["request"]["id"]}, REQUEST, admin)
    assert _redeem(api, again["code"], "quiet-garden")["errors"] == []
