"""The visibility matrix of DOMAIN.md for participants, over HTTP."""

from __future__ import annotations

from econ.security.models import AuditEntry
from tests.support.people import PASSWORD

RESTRICTED = "legalName dateOfBirth phone email address bankAccount safetyNotes"
QUERY = "query P($id: ID!) { participant(id: $id) { id code preferredName status %s } }"


def _token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def _setup(people):
    counselor_user, counselor = people.counselor()
    participant = people.participant(counselor, date_of_birth="1990-04-02", email="m@example.org")
    return counselor_user, counselor, participant


def test_assigned_counselor_reads_everything_and_each_read_is_audited(api, people):
    counselor_user, _, participant = _setup(people)
    data = api.query(QUERY % RESTRICTED, {"id": participant.id}, _token(api, counselor_user))
    person = data["participant"]
    assert person["legalName"] == "Maria Canary Legalname"
    assert person["bankAccount"] == "ES9121000418450200051332"
    assert person["safetyNotes"] == "Canary safety note"
    assert person["dateOfBirth"] == "1990-04-02"
    entries = list(AuditEntry.select().where(AuditEntry.action == "read_restricted"))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor_id == counselor_user.id
    assert entry.participant_id == participant.id
    assert set(entry.fields.split(",")) == {
        "legal_name",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "bank_account",
        "safety_notes",
    }
    # Field names only: no value of hers is in the audit row.
    row_text = " ".join(str(v) for v in entry.__data__.values())
    assert "Canary" not in row_text and "ES91" not in row_text


def test_unassigned_counselor_employer_and_other_participant_get_null(api, people):
    _, counselor, participant = _setup(people)
    other_counselor_user, _ = people.counselor()
    employer_user, _ = people.employer()
    someone_else = people.participant(counselor, preferred_name="Joy")
    her_user, _ = people.participant_login(counselor, someone_else)
    for user in (other_counselor_user, employer_user, her_user):
        body = api.post(QUERY % "legalName", {"id": participant.id}, _token(api, user))
        assert body["data"] == {"participant": None}
        assert "errors" not in body
    # ...exactly like an id that does not exist
    body = api.post(QUERY % "legalName", {"id": 999999}, _token(api, other_counselor_user))
    assert body["data"] == {"participant": None}
    assert AuditEntry.select().where(AuditEntry.action == "read_restricted").count() == 0


def test_admin_sees_no_restricted_field(api, people):
    _, _, participant = _setup(people)
    admin_user, _ = people.admin()
    body = api.post(QUERY % RESTRICTED, {"id": participant.id}, _token(api, admin_user))
    person = body["data"]["participant"]
    assert person["code"] == participant.code
    for field in RESTRICTED.split():
        assert person[field] is None
    codes = {(e["path"][-1], e["extensions"]["code"]) for e in body["errors"]}
    assert codes == {(f, "FORBIDDEN") for f in RESTRICTED.split()}
    assert AuditEntry.select().where(AuditEntry.action == "read_restricted").count() == 0


def test_finance_gets_legal_name_and_bank_account_only(api, people):
    _, _, participant = _setup(people)
    finance_user, _ = people.finance()
    body = api.post(QUERY % RESTRICTED, {"id": participant.id}, _token(api, finance_user))
    person = body["data"]["participant"]
    assert person["legalName"] == "Maria Canary Legalname"
    assert person["bankAccount"] == "ES9121000418450200051332"
    for field in ("dateOfBirth", "phone", "email", "address", "safetyNotes"):
        assert person[field] is None
    forbidden = {e["path"][-1] for e in body["errors"]}
    assert forbidden == {"dateOfBirth", "phone", "email", "address", "safetyNotes"}
    entry = AuditEntry.get(AuditEntry.action == "read_restricted")
    assert entry.fields == "bank_account,legal_name"
    assert entry.actor_id == finance_user.id


def test_participant_reads_her_own_record_through_me(api, people):
    _, counselor, participant = _setup(people)
    her_user, _ = people.participant_login(counselor, participant)
    data = api.query(
        "{ me { role participant { code legalName phone } } }", None, _token(api, her_user)
    )
    assert data["me"]["role"] == "PARTICIPANT"
    assert data["me"]["participant"] == {
        "code": participant.code,
        "legalName": "Maria Canary Legalname",
        "phone": "+34 600 123 456",
    }


def test_reassignment_removes_the_old_counselors_access_at_once(api, people):
    old_user, _, participant = _setup(people)
    new_user, _ = people.counselor()
    admin_user, _ = people.admin()
    old_token = _token(api, old_user)
    assert api.query(QUERY % "", {"id": participant.id}, old_token)["participant"] is not None
    api.ok(
        "assignCounselor",
        {"participantId": participant.id, "counselorId": new_user.id},
        "participant { counselor { id } }",
        _token(api, admin_user),
    )
    assert api.query(QUERY % "", {"id": participant.id}, old_token)["participant"] is None
    assert (
        api.query(QUERY % "legalName", {"id": participant.id}, _token(api, new_user))[
            "participant"
        ]["legalName"]
        == "Maria Canary Legalname"
    )


def test_participants_list_is_scoped_to_the_caseload(api, people):
    counselor_user, counselor, _ = _setup(people)
    people.participant(counselor, preferred_name="Lina")
    _, other = people.counselor()
    people.participant(other, preferred_name="Not hers")
    data = api.query(
        "{ participants(first: 10) { totalCount edges { node { preferredName } } } }",
        None,
        _token(api, counselor_user),
    )
    assert data["participants"]["totalCount"] == 2
    assert sorted(e["node"]["preferredName"] for e in data["participants"]["edges"]) == [
        "Lina",
        "Maria",
    ]
