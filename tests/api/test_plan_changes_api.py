"""changePlan over HTTP: one milestone changed without re-sending the others, typed revision
milestones, every bad field at once, her agreement tied to a revision number."""

from __future__ import annotations

from tests.support.grants import grant_login
from tests.support.pages import nodes
from tests.support.people import PASSWORD

PLAN = (
    "plan { revision agreedAt agreedRevision milestones { id title status dueDate } "
    "revisions { edges { node { revision agreedAt\n"
    "  milestones { id title category dueDate status } } } } }"
)


def _start(api, people):
    counselor_user, _ = people.counselor()
    c = api.login(counselor_user.email, PASSWORD)
    pid = api.ok("createParticipant", {"preferredName": "Noor"}, "participant { id }", c)[
        "participant"
    ]["id"]
    plan = api.ok(
        "changePlan",
        {
            "participantId": pid,
            "baseRevision": 0,
            "pathways": ["EMPLOYMENT"],
            "add": [
                {"title": "Bank account", "category": "BANKING", "dueDate": "2027-01-15"},
                {"title": "CV", "category": "EMPLOYMENT"},
            ],
        },
        PLAN,
        c,
    )["plan"]
    return c, pid, plan


def test_one_milestone_changes_and_the_revisions_read_as_typed_objects(api, people):
    c, pid, plan = _start(api, people)
    bank, cv = plan["milestones"]
    changed = api.ok(
        "changePlan",
        {
            "participantId": pid,
            "baseRevision": 1,
            "update": [{"id": cv["id"], "dueDate": "2027-04-01"}],
        },
        PLAN,
        c,
    )["plan"]
    assert changed["revision"] == 2 and changed["agreedRevision"] is None
    assert [(m["title"], m["dueDate"]) for m in changed["milestones"]] == [
        ("Bank account", "2027-01-15"),
        ("CV", "2027-04-01"),
    ]
    by_number = {r["revision"]: r for r in nodes(changed["revisions"])}
    assert by_number[1]["milestones"][1] == {
        "id": cv["id"],
        "title": "CV",
        "category": "EMPLOYMENT",
        "dueDate": None,
        "status": "OPEN",
    }
    assert by_number[2]["milestones"][1]["dueDate"] == "2027-04-01"
    assert by_number[2]["milestones"][0]["id"] == bank["id"]


def test_every_bad_field_at_once_and_a_stale_revision(api, people):
    c, pid, plan = _start(api, people)
    bank, _ = plan["milestones"]
    payload = api.mutate(
        "changePlan",
        {
            "participantId": pid,
            "baseRevision": 1,
            "targetMonthlyIncome": "lots",
            "update": [{"id": bank["id"], "dueDate": "15/01/2027"}],
            "add": [{"title": "", "category": "OTHER"}],
        },
        "plan { revision }",
        c,
    )
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("add.0.title", "REQUIRED"),
        ("targetMonthlyIncome", "INVALID_AMOUNT"),
        ("update.0.dueDate", "INVALID_DATE"),
    ]
    stale = api.mutate(
        "changePlan",
        {"participantId": pid, "baseRevision": 0, "drop": [bank["id"]]},
        "plan { revision }",
        c,
    )
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [
        ("baseRevision", "REVISION_CHANGED")
    ]


def test_her_agreement_names_the_revision_and_others_cannot_change_her_plan(api, people):
    c, pid, plan = _start(api, people)
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    grant_login(
        api, c, admin, "noor-password-1", email="noor@test.econ", role="PARTICIPANT",
        participantId=pid,
    )  # fmt: skip
    her = api.login("noor@test.econ", "noor-password-1")
    api.ok("agreeToPlan", {"participantId": pid, "revision": 1}, "plan { revision }", her)
    cv = plan["milestones"][1]
    changed = api.ok(
        "changePlan",
        {"participantId": pid, "baseRevision": 1, "drop": [cv["id"]]},
        PLAN,
        c,
    )["plan"]
    assert (changed["revision"], changed["agreedAt"], changed["agreedRevision"]) == (2, None, 1)
    other_user, _ = people.counselor()
    other = api.login(other_user.email, PASSWORD)
    for token in (other, her, admin):
        denied = api.post(
            "mutation($i: ChangePlanInput!) { changePlan(input: $i) { errors { code } } }",
            {
                "i": {
                    "participantId": pid,
                    "baseRevision": 2,
                    "add": [{"title": "x", "category": "OTHER"}],
                }
            },
            token,
        )
        payload = (denied.get("data") or {}).get("changePlan") or {}
        assert payload.get("errors") or denied.get("errors"), denied
    mine = api.query(f"query($id: ID!) {{ participant(id: $id) {{ {PLAN} }} }}", {"id": pid}, c)
    assert mine["participant"]["plan"]["revision"] == 2
