"""The income-record race (issue 14), over HTTP: she changes a record while her counselor
reviews it; the counselor's verification names the version she read and is refused.

Before: `verifyIncome` took only the id and verified whatever amount was stored by then.
"""

from __future__ import annotations

from econ.participants.models import IncomeRecord
from tests.support.people import PASSWORD

RECORD = "incomeRecord { id version verified amount { amount } }"


def test_a_record_changed_during_review_is_not_verified_unseen(api, people):
    counselor_user, counselor = people.counselor()
    her = people.participant(counselor)
    her_user, _ = people.participant_login(counselor, her)
    she = api.login(her_user.email, PASSWORD)
    coach = api.login(counselor_user.email, PASSWORD)
    report = {"participantId": str(her.id), "month": "2026-10", "source": "EMPLOYMENT"}
    first = api.ok("recordIncome", {**report, "amount": "900.00"}, RECORD, she)["incomeRecord"]
    # The counselor reads version 1 (900.00); meanwhile she reports 1900.00.
    read = api.query(
        "query($id: ID!) { participant(id: $id) { "
        "incomeRecords { edges { node { id version amount { amount } } } } } }",
        {"id": str(her.id)},
        coach,
    )["participant"]["incomeRecords"]["edges"][0]["node"]
    assert (read["version"], read["amount"]["amount"]) == (1, "900.00")
    changed = api.ok("recordIncome", {**report, "amount": "1900.00"}, RECORD, she)["incomeRecord"]
    assert changed["id"] == first["id"] and changed["version"] == 2
    stale = api.mutate(
        "verifyIncome", {"incomeRecordId": read["id"], "version": read["version"]}, RECORD, coach
    )
    assert [e["code"] for e in stale["errors"]] == ["STALE_VERSION"]
    assert "1900.00" in stale["errors"][0]["message"]
    assert IncomeRecord.get_by_id(int(read["id"])).verified_at is None
    # Read again, she verifies what she now sees; no later report can change it.
    ok = api.ok("verifyIncome", {"incomeRecordId": read["id"], "version": 2}, RECORD, coach)
    assert ok["incomeRecord"]["verified"] is True
    assert ok["incomeRecord"]["amount"]["amount"] == "1900.00"
    late = api.mutate("recordIncome", {**report, "amount": "100.00"}, RECORD, she)
    assert [e["code"] for e in late["errors"]] == ["ALREADY_VERIFIED"]


def test_verification_without_a_version_is_refused(api, people):
    counselor_user, _ = people.counselor()
    coach = api.login(counselor_user.email, PASSWORD)
    body = api.post(
        'mutation { verifyIncome(input: {incomeRecordId: "1"}) { errors { code } } }', None, coach
    )
    assert body["_status"] == 400
