"""A month of stipends end to end over HTTP, with two FINANCE users and 20 participants.

Amounts (defaults: base 900.00, disregard 300.00, taper 50 %, training award 100.00):
16 ordinary lines 16 x 900 = 14,400; one with December income 700.00 -> taper 200 -> 700;
one with a training award -> 1,000; one without bank account: 900 held, not sent; one
paused: no line. Run net 17,000.00 over 19 lines; payable (frozen) 18 lines, 16,100.00.
"""

from __future__ import annotations

import time
from pathlib import Path

from lxml import etree

from econ.participants import services as participants
from econ.stipends import services as stipends
from tests.support.people import PASSWORD

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
RUN_FIELDS = (
    "id period state version job { status done total error } "
    "totals { lineCount base { amount } taper { amount } incentives { amount } "
    "adjustments { amount } net { amount } } control { count total { amount } hash } "
    "controlHash exceptions { source kind participantId } createdBy { email } "
    "approvedBy { email } files { id method batch format sha256 count total { amount } content }"
)
RUN_QUERY = f"query($id: ID!) {{ paymentRun(id: $id) {{ {RUN_FIELDS} }} }}"
PAYMENTS = (
    "query($id: ID!) { participant(id: $id) { payments { period status net { amount } "
    "attempts { number reference status } } } }"
)
BALANCE = "query($a: String!) { ledgerBalance(account: $a) { balance { amount } } }"


def _wait(api, token, run_id, done):
    """Poll the run until `done(run)`; bounded, so a stuck job fails the test."""
    for _ in range(600):
        run = api.query(RUN_QUERY, {"id": run_id}, token)["paymentRun"]
        if done(run):
            return run
        assert run["job"]["status"] != "FAILED", run["job"]
        time.sleep(0.05)
    raise AssertionError(f"run did not finish: {run['state']} {run['job']}")


def _balances(api, token):
    return {
        account: api.query(BALANCE, {"a": account}, token)["ledgerBalance"]["balance"]["amount"]
        for account in ("stipend_expense", "stipend_payable", "bank_clearing", "bank")
    }


def _setup(api, people):
    counselor_user, counselor = people.counselor()
    c = api.login(counselor_user.email, PASSWORD)
    f1_user, _ = people.finance()
    f2_user, _ = people.finance()
    f1, f2 = api.login(f1_user.email, PASSWORD), api.login(f2_user.email, PASSWORD)
    roster = []
    for i in range(20):
        account = None if i == 1 else "ES9121000418450200051332"
        p = people.participant(counselor, legal_name=f"Person Number{i}", bank_account=account)
        schedule = api.ok(
            "createStipendSchedule",
            {"participantId": p.id, "monthlyAmount": "900.00", "startMonth": "2026-12",
             "durationMonths": 12},
            "schedule { id state }", c,
        )["schedule"]  # fmt: skip
        approved = api.ok(
            "approveStipendSchedule", {"scheduleId": schedule["id"]}, "schedule { state }", f2
        )
        assert approved["schedule"]["state"] == "APPROVED"
        roster.append((p, schedule["id"]))
    paused, no_account, earner, trained = (roster[i][0] for i in range(4))
    api.ok(
        "pauseStipend", {"scheduleId": roster[0][1], "reason": "hospital"}, "schedule { state }", c
    )
    record = participants.record_income(
        counselor, earner.id, month="2026-11", source="EMPLOYMENT", amount="700.00"
    )
    participants.verify_income(counselor, record.id)
    stipends.grant_award(trained.id, "TRAINING_COMPLETED", "enrollment", 42)
    return c, f1, f2, f1_user, f2_user, paused, no_account, earner, trained


def test_a_month_of_stipends(api, people):
    c, f1, f2, f1_user, f2_user, paused, no_account, earner, trained = _setup(api, people)

    created = api.ok("createPaymentRun", {"period": "2026-12"}, "run { id state }", f1)["run"]
    run = _wait(api, f1, created["id"], lambda r: r["state"] == "CALCULATED")
    assert run["job"] == {"status": "DONE", "done": 19, "total": 19, "error": None}
    assert run["totals"] == {
        "lineCount": 19,
        "base": {"amount": "17100.00"},
        "taper": {"amount": "200.00"},
        "incentives": {"amount": "100.00"},
        "adjustments": {"amount": "0.00"},
        "net": {"amount": "17000.00"},
    }
    assert [(e["kind"], e["participantId"]) for e in run["exceptions"]] == [
        ("NO_BANK_ACCOUNT", str(no_account.id))
    ]
    assert run["control"] is None and run["createdBy"]["email"] == f1_user.email

    refused = api.mutate("approvePaymentRun", {"runId": run["id"]}, "run { state }", f1)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    approved = api.ok(
        "approvePaymentRun", {"runId": run["id"], "version": run["version"]},
        f"run {{ {RUN_FIELDS} }}", f2,
    )["run"]  # fmt: skip
    assert approved["state"] == "APPROVED" and approved["approvedBy"]["email"] == f2_user.email
    assert approved["control"]["count"] == 18
    assert approved["control"]["total"] == {"amount": "16100.00"}
    assert approved["controlHash"] == approved["control"]["hash"]
    assert _balances(api, f1) == {
        "stipend_expense": "16100.00", "stipend_payable": "-16100.00",
        "bank_clearing": "0.00", "bank": "0.00",
    }  # fmt: skip

    api.ok("disbursePaymentRun", {"runId": run["id"], "format": "SEPA"}, "run { state }", f1)
    run = _wait(api, f1, run["id"], lambda r: r["job"]["status"] == "DONE")
    assert run["state"] == "DISBURSING"
    (sepa,) = run["files"]
    xml = etree.fromstring(sepa["content"].encode())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(xml)
    assert xml.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "18"
    assert xml.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "16100.00"
    assert (sepa["count"], sepa["total"]) == (18, {"amount": "16100.00"})
    assert _balances(api, f1)["bank_clearing"] == "-16100.00"

    refs = xml.xpath("//p:CdtTrfTxInf", namespaces=NS)
    amounts = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx.findtext(
            "p:Amt/p:InstdAmt", namespaces=NS
        )
        for tx in refs
    }
    earner_ref = api.query(PAYMENTS, {"id": earner.id}, c)["participant"]["payments"][0][
        "attempts"
    ][0]["reference"]
    rows = [
        f"{ref},RJCT,{amount},AC04" if ref == earner_ref else f"{ref},ACSC,{amount},"
        for ref, amount in sorted(amounts.items())
    ]
    result = api.ok(
        "importPaymentResults",
        {"runId": run["id"], "file": "reference,status,amount,reason\n" + "\n".join(rows)},
        "result { rows paid failed exceptions runState }", f1,
    )["result"]  # fmt: skip
    assert result == {
        "rows": 18, "paid": 17, "failed": 1, "exceptions": 0,
        "runState": "COMPLETED_WITH_FAILURES",
    }  # fmt: skip
    assert _balances(api, f1) == {
        "stipend_expense": "16100.00", "stipend_payable": "-700.00",
        "bank_clearing": "0.00", "bank": "-15400.00",
    }  # fmt: skip
    her = api.query(PAYMENTS, {"id": earner.id}, c)["participant"]["payments"]
    assert [(p["status"], p["net"]["amount"]) for p in her] == [("FAILED", "700.00")]

    line_id = api.query(
        "query($id: ID!) { paymentRun(id: $id) { lines(status: FAILED) { edges { node "
        "{ id participantId payeeName } } } } }",
        {"id": run["id"]}, f1,
    )["paymentRun"]["lines"]["edges"][0]["node"]  # fmt: skip
    assert (line_id["participantId"], line_id["payeeName"]) == (str(earner.id), "Person Number2")
    retry = api.ok(
        "retryPaymentLine", {"lineId": line_id["id"]}, "attempt { number reference status }", f1
    )["attempt"]
    assert retry["number"] == 2 and retry["reference"].endswith("-A2")
    run = _wait(api, f1, run["id"], lambda r: len(r["files"]) == 2 and r["job"]["status"] == "DONE")
    assert (run["files"][1]["count"], run["files"][1]["total"]) == (1, {"amount": "700.00"})

    retry_file = f"reference,status,amount\n{retry['reference']},PAID,700.00\n"
    again = api.ok(
        "importPaymentResults",
        {"runId": run["id"], "file": retry_file},
        "result { paid runState }", f1,
    )["result"]  # fmt: skip
    assert again == {"paid": 1, "runState": "COMPLETED"}
    assert _balances(api, f1) == {
        "stipend_expense": "16100.00", "stipend_payable": "0.00",
        "bank_clearing": "0.00", "bank": "-16100.00",
    }  # fmt: skip
    her = api.query(PAYMENTS, {"id": earner.id}, c)["participant"]["payments"]
    assert her[0]["status"] == "PAID"
    assert [(a["number"], a["status"]) for a in her[0]["attempts"]] == [(1, "FAILED"), (2, "PAID")]
    paid_trained = api.query(PAYMENTS, {"id": trained.id}, c)["participant"]["payments"]
    assert [(p["status"], p["net"]["amount"]) for p in paid_trained] == [("PAID", "1000.00")]
    assert api.query(PAYMENTS, {"id": paused.id}, c)["participant"]["payments"] == []
    held = api.query(PAYMENTS, {"id": no_account.id}, c)["participant"]["payments"]
    assert [(p["status"], p["attempts"]) for p in held] == [("HELD", [])]
    final = api.query(RUN_QUERY, {"id": run["id"]}, f1)["paymentRun"]
    assert final["totals"]["net"] == {"amount": "17000.00"}
    assert final["control"]["total"] == {"amount": "16100.00"}
