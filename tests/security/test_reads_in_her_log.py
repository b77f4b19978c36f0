"""Every read of restricted or identifying data names her and shows in her "who read my
data" (issue 14, item 5), over HTTP as the issue found it.

Before: employer reads of a candidate's name and channel wrote no entry; FINANCE payee
reads (one entry per line and field, action read_payee) and payment-file downloads (no
participant at all) and statement downloads were not in her access log.
"""

from __future__ import annotations

from econ.security.models import AuditEntry
from econ.stipends.models import PaymentRun
from tests.employers.conftest import consent, world  # noqa: F401  (the `world` fixture)
from tests.stipends.conftest import World as StipendWorld
from tests.support.people import PASSWORD

ACCESS_LOG = """query($id: ID!) { participant(id: $id) { accessLog(first: 100) {
  edges { node { action actorRole fields } } } } }"""


def _her_log(api, token, participant_id) -> list[dict]:
    edges = api.query(ACCESS_LOG, {"id": str(participant_id)}, token)["participant"]
    return [e["node"] for e in edges["accessLog"]["edges"]]


def _reads_since(entry_id: int) -> list[AuditEntry]:
    return list(
        AuditEntry.select()
        .where((AuditEntry.id > entry_id) & (AuditEntry.action == "read_restricted"))
        .order_by(AuditEntry.id)
    )


def _last_id() -> int:
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    return last.id if last else 0


def test_an_employer_reading_her_name_and_channel_is_in_her_log(api, people, world):  # noqa: F811
    from econ.employers import services as employers

    her = people.participant(world.counselor, preferred_name="Maria")
    consent(world.counselor, her.id, world.employer.id)
    consent(
        world.counselor, her.id, world.employer.id, "IDENTITY",
        channel_type="PHONE", channel_value="+34 611 000 111",
    )  # fmt: skip
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    boss = api.login(world.employer_user.email, PASSWORD)
    before = _last_id()
    query = """query($id: ID!) { referral(id: $id) {
      a: candidate { handle preferredName contactChannel { type value } }
      b: candidate { preferredName } } }"""
    seen = api.query(query, {"id": str(referral.id)}, boss)["referral"]
    assert seen["a"]["preferredName"] == "Maria"
    reads = _reads_since(before)
    assert [(r.actor_role, r.participant_id, r.fields) for r in reads] == [
        ("EMPLOYER", her.id, "contact_channel,preferred_name")  # one entry for the request
    ]
    coach = api.login(world.counselor_user.email, PASSWORD)
    mine = _her_log(api, coach, her.id)
    assert {"action": "read_restricted", "actorRole": "EMPLOYER",
            "fields": ["contact_channel", "preferred_name"]} in mine  # fmt: skip
    # The anonymous profile alone (no name, no channel asked) is not an identity read.
    before = _last_id()
    api.query("query($id: ID!) { referral(id: $id) { candidate { handle skills { key } } } }",
              {"id": str(referral.id)}, boss)  # fmt: skip
    assert _reads_since(before) == []


def _disbursed_run(people, size: int = 3):
    w = StipendWorld(people)
    payees = [w.participant(preferred_name=f"P{i}") for i in range(size)]
    for person in payees:
        w.schedule(person)
    run = w.disburse(w.approve(w.calculate("2026-02")))
    return w, payees, PaymentRun.get_by_id(run.id)


def test_finance_payee_reads_are_one_batched_entry_per_participant(api, people):
    w, payees, run = _disbursed_run(people)
    finance = api.login(w.finance_user.email, PASSWORD)
    before = _last_id()
    lines = api.query(
        "query($id: ID!) { paymentRun(id: $id) { lines(first: 50) { edges { node { "
        "participantId a: payeeName b: payeeName } } } } }",
        {"id": str(run.id)},
        finance,
    )["paymentRun"]["lines"]["edges"]
    assert len(lines) == len(payees)
    reads = _reads_since(before)
    assert sorted(r.participant_id for r in reads) == sorted(p.id for p in payees)
    assert {(r.actor_role, r.record_type, r.fields) for r in reads} == {
        ("FINANCE", "PaymentLine", "bank_account,legal_name")
    }
    assert AuditEntry.select().where(AuditEntry.action == "read_payee").count() == 0
    coach = api.login(w.counselor_user.email, PASSWORD)
    assert any(e["actorRole"] == "FINANCE" for e in _her_log(api, coach, payees[0].id))


def test_each_participant_in_a_downloaded_payment_file_sees_the_download(api, people):
    w, payees, run = _disbursed_run(people)
    finance = api.login(w.finance_user.email, PASSWORD)
    before = _last_id()
    files = api.query(
        "query($id: ID!) { paymentRun(id: $id) { files { edges { node { id content } } } } }",
        {"id": str(run.id)},
        finance,
    )["paymentRun"]["files"]
    files = [e["node"] for e in files["edges"]]
    assert files and all(f["content"] for f in files)
    reads = _reads_since(before)
    assert sorted(r.participant_id for r in reads) == sorted(p.id for p in payees)
    assert {r.record_type for r in reads} == {"PaymentFile"}
    coach = api.login(w.counselor_user.email, PASSWORD)
    for person in payees:
        assert any(
            e["actorRole"] == "FINANCE" and e["fields"] == ["bank_account", "legal_name"]
            for e in _her_log(api, coach, person.id)
        )


def test_a_statement_download_is_in_her_log(api, people):
    from econ.statements import services as statements

    w, payees, _ = _disbursed_run(people, size=1)
    her = payees[0]
    statement = statements.generate(her.id, "2026-02")
    coach = api.login(w.counselor_user.email, PASSWORD)
    response = api.http.get(
        f"/statements/{statement.id}.pdf", headers={"Authorization": f"Bearer {coach}"}
    )
    assert response.status_code == 200
    assert {"action": "download_statement", "actorRole": "COUNSELOR", "fields": []} in _her_log(
        api, coach, her.id
    )
