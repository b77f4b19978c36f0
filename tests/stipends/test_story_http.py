"""A month of stipends end to end over HTTP, with two FINANCE users and 20 participants.

Amounts (defaults: base 900.00, disregard 300.00, taper 50 %, training award 100.00):
16 ordinary lines 16 x 900 = 14,400; one with December income 700.00 -> taper 200 -> 700;
one with a training award -> 1,000; one without bank account: 900 held, not sent; one
paused: no line. Run net 17,000.00 over 19 lines; payable (frozen) 18 lines, 16,100.00.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from lxml import etree

from econ.participants import services as participants
from econ.stipends import services as stipends
from tests.support.pages import flat
from tests.support.people import PASSWORD, unique_iban

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
RUN_FIELDS = (
    "id period state version job { status done total error } "
    "totals { lineCount base { amount } taper { amount } incentives { amount } "
    "adjustments { amount } net { amount } } control { count total { amount } hash } "
    "controlHash exceptions { edges { node { source kind participantId } } } createdBy { email } "
    "approvedBy { email } "
    "files { edges { node { id method batch format sha256 count total { amount } content } } }"
)
RUN_QUERY = f"query($id: ID!) {{ paymentRun(id: $id) {{ {RUN_FIELDS} }} }}"
PAYMENTS = (
    "query($id: ID!) { participant(id: $id) { payments { edges { node { period status "
    "net { amount } attempts { edges { node { number reference status } } } } } } } }"
)
PENDING = "query { pendingAmounts { awards { edges { node { id state } } } } }"
BALANCE = "query($a: String!) { ledgerBalance(account: $a) { balance { amount } } }"


def _query(api, *args):
    """The answer with the lists that became connections read as lists."""
    return flat(
        api.query(*args),
        "attempts",
        "exceptions",
        "files",
        "paymentExceptions",
        "awards",
        "payments",
        "fraudSignals",
    )


def _wait(api, token, run_id, done):
    """Poll the run until `done(run)`; bounded, so a stuck job fails the test."""
    for _ in range(600):
        run = _query(api, RUN_QUERY, {"id": run_id}, token)["paymentRun"]
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
        account = None if i == 1 else unique_iban()
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
    participants.verify_income(counselor, record.id, record.version)
    award, _ = stipends.grant_award(trained.id, "TRAINING_COMPLETED", "enrollment", 42)
    pending = _query(api, PENDING, {}, f2)["pendingAmounts"]["awards"]
    assert [(a["id"], a["state"]) for a in pending] == [(str(award.id), "PENDING")]
    api.ok("approveIncentiveAward", {"awardId": award.id}, "award { state }", f2)
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

    reviewed = {"runId": run["id"], "version": run["version"], "controlTotal": "16100.00"}
    refused = api.mutate("approvePaymentRun", reviewed, "run { state }", f1)
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    # issue 14: the version and the control total she reviewed are required, and checked
    missing = api.post(
        "mutation($i: ApprovePaymentRunInput!) { approvePaymentRun(input: $i) { run { id } } }",
        {"i": {"runId": run["id"], "version": run["version"]}},
        f2,
    )
    assert "controlTotal" in missing["errors"][0]["message"]
    wrong = api.mutate(
        "approvePaymentRun", {**reviewed, "controlTotal": "17000.00"}, "run { state }", f2
    )
    assert [e["code"] for e in wrong["errors"]] == ["CONTROL_TOTAL_MISMATCH"]
    approved = api.ok("approvePaymentRun", reviewed, f"run {{ {RUN_FIELDS} }}", f2)["run"]
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
    earner_ref = _query(api, PAYMENTS, {"id": earner.id}, c)["participant"]["payments"][0][
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
    her = _query(api, PAYMENTS, {"id": earner.id}, c)["participant"]["payments"]
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
    her = _query(api, PAYMENTS, {"id": earner.id}, c)["participant"]["payments"]
    assert her[0]["status"] == "PAID"
    assert [(a["number"], a["status"]) for a in her[0]["attempts"]] == [(1, "FAILED"), (2, "PAID")]
    paid_trained = _query(api, PAYMENTS, {"id": trained.id}, c)["participant"]["payments"]
    assert [(p["status"], p["net"]["amount"]) for p in paid_trained] == [("PAID", "1000.00")]
    assert _query(api, PAYMENTS, {"id": paused.id}, c)["participant"]["payments"] == []
    held = _query(api, PAYMENTS, {"id": no_account.id}, c)["participant"]["payments"]
    assert [(p["status"], p["attempts"]) for p in held] == [("HELD", [])]
    final = _query(api, RUN_QUERY, {"id": run["id"]}, f1)["paymentRun"]
    assert final["totals"]["net"] == {"amount": "17000.00"}
    assert final["control"]["total"] == {"amount": "16100.00"}


EXCEPTIONS = (
    "query { paymentExceptions { edges { node { key runId source kind lineId participantId "
    "detail resolution { status note by { email } } } } } }"
)
FOLLOW_FIELDS = "id kind parentId state version payable { count total { amount } }"


def _run_when(api, token, run_id, done):
    query = f"query($id: ID!) {{ paymentRun(id: $id) {{ {FOLLOW_FIELDS} job {{ status }} }} }}"
    for _ in range(600):
        run = api.query(query, {"id": run_id}, token)["paymentRun"]
        if done(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run did not finish: {run}")


def _exported(run) -> bool:
    settled = ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES")
    return run["state"] in settled and run["job"]["status"] == "DONE"


def test_a_month_off_the_happy_path_over_http(api, people):
    """Issue 15 over HTTP: a changed account held until a second person confirms it, a
    line held for no account paid by a follow-up run, a second disbursement refused,
    exceptions listed and resolved, a shared IBAN listed as a fraud signal."""
    counselor_user, counselor = people.counselor()
    c = api.login(counselor_user.email, PASSWORD)
    f1_user, _ = people.finance()
    f2_user, _ = people.finance()
    f1, f2 = api.login(f1_user.email, PASSWORD), api.login(f2_user.email, PASSWORD)
    changed = people.participant(counselor, legal_name="Ana Changed", bank_account=unique_iban())
    none = people.participant(counselor, legal_name="Bea Noaccount", bank_account=None)
    for p in (changed, none):
        schedule = stipends.create_schedule(
            counselor, p.id, monthly_amount="900.00", start_month="2026-11", duration_months=12
        )
        api.ok("approveStipendSchedule", {"scheduleId": schedule.id}, "schedule { id }", f2)

    def month(period):
        run = api.ok("createPaymentRun", {"period": period}, "run { id }", f1)["run"]
        run = _run_when(api, f1, run["id"], lambda r: r["state"] == "CALCULATED")
        reviewed = {
            "runId": run["id"],
            "version": run["version"],
            "controlTotal": run["payable"]["total"]["amount"],
        }
        api.ok("approvePaymentRun", reviewed, "run { state }", f2)
        api.ok("disbursePaymentRun", {"runId": run["id"], "format": "SEPA"}, "run { id }", f1)
        return _run_when(api, f1, run["id"], _exported)

    november = month("2026-11")
    second = api.mutate(
        "disbursePaymentRun", {"runId": november["id"], "format": "CSV"}, "run { id }", f2
    )
    assert [e["code"] for e in second["errors"]] == ["ALREADY_DISBURSED"]
    future = api.mutate("createPaymentRun", {"period": "9999-12"}, "run { id }", f1)
    assert [e["code"] for e in future["errors"]] == ["PERIOD_IN_FUTURE"]

    # her account changed after the November payment: December holds only her line
    participants.update_participant(counselor, changed.id, bank_account=unique_iban())
    december = month("2026-12")
    items = _query(api, EXCEPTIONS, {}, f1)["paymentExceptions"]
    mine = [(i["runId"], i["kind"], i["participantId"]) for i in items]
    assert (december["id"], "PAYEE_UNCONFIRMED", str(changed.id)) in mine
    assert (november["id"], "NO_BANK_ACCOUNT", str(none.id)) in mine
    assert all(i["detail"] for i in items)

    confirm = {"participantId": changed.id, "note": "checked with her"}
    refused = api.mutate("confirmPayee", confirm, "confirmed", c)  # a counselor may not
    assert refused["errors"][0]["code"] in ("FORBIDDEN", "NOT_FOUND")
    api.ok("confirmPayee", confirm, "confirmed", f2)
    held = next(i for i in items if i["kind"] == "PAYEE_UNCONFIRMED")
    api.ok("retryPaymentLine", {"lineId": held["lineId"]}, "attempt { number }", f1)

    # she opened an account: a follow-up of November pays her November stipend
    participants.update_participant(counselor, none.id, bank_account=unique_iban())
    followup = api.ok("createFollowUpRun", {"period": "2026-11"}, f"run {{ {FOLLOW_FIELDS} }}", f1)
    followup = followup["run"]
    assert (followup["kind"], followup["parentId"], followup["state"]) == (
        "FOLLOW_UP",
        november["id"],
        "CALCULATED",
    )
    assert followup["payable"] == {"count": 1, "total": {"amount": "900.00"}}
    reviewed = {"runId": followup["id"], "version": followup["version"], "controlTotal": "900.00"}
    own = api.mutate("approvePaymentRun", reviewed, "run { state }", f1)
    assert [e["code"] for e in own["errors"]] == ["FORBIDDEN"]
    api.ok("approvePaymentRun", reviewed, "run { state }", f2)
    api.ok("disbursePaymentRun", {"runId": followup["id"], "format": "SEPA"}, "run { id }", f1)
    _run_when(api, f1, followup["id"], _exported)
    payments = _query(api, PAYMENTS, {"id": none.id}, c)["participant"]["payments"]
    assert [(p["period"], p["status"]) for p in payments] == [
        ("2026-12", "HELD"),  # calculated while she had no account: December's follow-up
        ("2026-11", "SENT"),
    ]

    left = _query(api, EXCEPTIONS, {}, f1)["paymentExceptions"]
    assert [(i["runId"], i["kind"]) for i in left] == [(december["id"], "NO_BANK_ACCOUNT")]
    resolved = api.ok(
        "resolvePaymentException",
        {"key": left[0]["key"], "status": "ACKNOWLEDGED", "note": "December follow-up on Monday"},
        "exception { kind resolution { status note by { email } } }",
        f2,
    )["exception"]
    assert resolved["resolution"] == {
        "status": "ACKNOWLEDGED",
        "note": "December follow-up on Monday",
        "by": {"email": f2_user.email},
    }
    signals = _query(api, "query { fraudSignals { edges { node { participantIds } } } }", {}, f1)[
        "fraudSignals"
    ]
    assert signals == []
    # a resolution needs a real exception; a made-up key is "not found"
    bogus = api.mutate(
        "resolvePaymentException",
        {"key": "LINE:999999:NO_BANK_ACCOUNT", "status": "RESOLVED", "note": "x"},
        "exception { key }",
        f1,
    )
    assert bogus["errors"][0]["code"] == "NOT_FOUND"


def test_an_income_correction_over_http_needs_a_second_person(api, people):
    counselor_user, counselor = people.counselor()
    c = api.login(counselor_user.email, PASSWORD)
    f_user, _ = people.finance()
    f = api.login(f_user.email, PASSWORD)
    p = people.participant(counselor, bank_account=unique_iban())
    record = participants.record_income(
        counselor, p.id, month="2026-10", source="EMPLOYMENT", amount="1300.00"
    )
    participants.verify_income(counselor, record.id, record.version)
    asked = api.ok(
        "correctIncome",
        {"incomeRecordId": record.id, "amount": "700.00", "reason": "payslip misread"},
        "correction { id month amount { amount } verified }",
        c,
    )["correction"]
    assert (asked["month"], asked["amount"], asked["verified"]) == (
        "2026-10",
        {"amount": "700.00"},
        False,
    )
    own = api.mutate(
        "verifyIncomeCorrection", {"correctionId": asked["id"]}, "correction { id }", c
    )
    assert [e["code"] for e in own["errors"]] == ["FORBIDDEN"]
    done = api.ok(
        "verifyIncomeCorrection", {"correctionId": asked["id"]}, "correction { verified }", f
    )
    assert done["correction"]["verified"] is True
    months = participants.verified_income_by_month([p.id])[p.id]
    assert months == {"2026-10": Decimal("700.00")}


def test_held_names_shared_accounts_and_a_bank_report_over_http(api, people):
    """Issue 15 items 4, 7 and 8 over HTTP: a name no file can carry is held and the rest
    goes out; one IBAN on two participants is held and listed as a fraud signal; a
    pain.002 report is imported beside the CSV, twice without change."""
    from econ.settings.services import installation_id
    from econ.stipends.files.ids import message_id
    from tests.support.bank_reports import TxStatus, pain002

    _, counselor = people.counselor()
    f1_user, _ = people.finance()
    f2_user, _ = people.finance()
    f1, f2 = api.login(f1_user.email, PASSWORD), api.login(f2_user.email, PASSWORD)
    shared = unique_iban()
    emoji = people.participant(
        counselor, legal_name="🌸🌸", preferred_name="🌸", bank_account=unique_iban()
    )
    ana = people.participant(counselor, legal_name="Ana Ruiz", bank_account=unique_iban())
    twins = [
        people.participant(counselor, legal_name=f"Twin {i}", bank_account=shared) for i in (1, 2)
    ]
    for p in (emoji, ana, *twins):
        schedule = stipends.create_schedule(
            counselor, p.id, monthly_amount="900.00", start_month="2026-11", duration_months=12
        )
        api.ok("approveStipendSchedule", {"scheduleId": schedule.id}, "schedule { id }", f2)
    run = api.ok("createPaymentRun", {"period": "2026-11"}, "run { id }", f1)["run"]
    run = _run_when(api, f1, run["id"], lambda r: r["state"] == "CALCULATED")
    api.ok(
        "approvePaymentRun",
        {"runId": run["id"], "version": run["version"], "controlTotal": "3600.00"},
        "run { state }",
        f2,
    )
    api.ok("disbursePaymentRun", {"runId": run["id"], "format": "SEPA"}, "run { id }", f1)
    _run_when(api, f1, run["id"], _exported)
    lines = _query(
        api,
        "query($id: ID!) { paymentRun(id: $id) { files { edges { node { count content } } } "
        "lines { edges { node { participantId status exception failureReason "
        "attempts { edges { node { reference } } } } } } } }",
        {"id": run["id"]},
        f1,
    )["paymentRun"]
    by_person = {e["node"]["participantId"]: e["node"] for e in lines["lines"]["edges"]}
    assert (by_person[str(emoji.id)]["status"], by_person[str(emoji.id)]["exception"]) == (
        "HELD",
        "NOT_WRITABLE",
    )
    assert "INVALID_NAME" in by_person[str(emoji.id)]["failureReason"]
    assert {by_person[str(t.id)]["exception"] for t in twins} == {"SHARED_ACCOUNT"}
    (file,) = lines["files"]
    assert file["count"] == 1 and "Ana Ruiz" in file["content"]
    signals = _query(
        api, "query { fraudSignals { edges { node { participantIds explained } } } }", {}, f1
    )
    assert signals["fraudSignals"] == [
        {"participantIds": [str(t.id) for t in twins], "explained": []}
    ]
    reference = by_person[str(ana.id)]["attempts"][0]["reference"]
    file_id = message_id(installation_id(), int(run["id"]), "BANK_TRANSFER", 1)
    report = pain002(
        [TxStatus(reference, "ACSC"), TxStatus("R999-L1-A1", "ACSC")],
        original_message_id=file_id,
        batch_id=file_id,
    ).decode()
    fields = "result { paid exceptions runState }"
    first = api.ok("importPaymentResults", {"runId": run["id"], "file": report}, fields, f1)
    assert first["result"] == {"paid": 1, "exceptions": 1, "runState": "COMPLETED"}
    again = api.ok("importPaymentResults", {"runId": run["id"], "file": report}, fields, f1)
    assert again["result"] == {"paid": 0, "exceptions": 0, "runState": "COMPLETED"}


def test_a_month_of_stipends_in_chunks_of_two(api, people, monkeypatch):
    """Issue 21 item 3: the same month over HTTP with the export streaming two lines at a
    time and the approval's entry written three lines at a time: same files and totals."""
    from econ.ledger import services as ledger
    from econ.stipends import disbursement

    monkeypatch.setattr(disbursement, "CHUNK", 2)
    monkeypatch.setattr(ledger, "LINE_BATCH", 3)
    test_a_month_of_stipends(api, people)
