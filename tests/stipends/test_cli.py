"""`econ payments ...` as the finance desk runs it (credentials from the environment)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from econ.cli import main
from econ.stipends.models import PaymentRun
from tests.conftest import wait_for_background_tasks
from tests.stipends.conftest import attempts_of
from tests.support.people import PASSWORD

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"


def _as(monkeypatch, user) -> None:
    monkeypatch.setenv("ECON_USER", user.email)
    monkeypatch.setenv("ECON_PASSWORD", PASSWORD)


def test_run_approve_disburse_reconcile(world, monkeypatch, tmp_path, capsys):
    people = [world.participant() for _ in range(3)]
    for p in people:
        world.schedule(p)
    world.income(people[0], "2026-11", "500.00")  # taper (500 - 300) x 50 % = 100.00
    _as(monkeypatch, world.finance_user)
    assert main(["payments", "run", "2026-12"]) == 0
    out = capsys.readouterr().out
    # not a terminal: plain progress lines, no carriage returns, never "full at 0/0"
    assert "calculating 3/3" in out and "\r" not in out and "0/0" not in out
    assert "net              2600.00" in out  # 800 + 900 + 900
    assert "exceptions: 0" in out

    assert main(["payments", "approve", "2026-12", "--confirm", "2600.00"]) == 1
    assert "creator" in capsys.readouterr().err  # the creator may not
    _as(monkeypatch, world.finance2_user)
    # issue 14: the totals are printed before anything is approved, and she must give
    # the control total she read (not at a terminal: --confirm, else nothing happens)
    assert main(["payments", "approve", "2026-12"]) == 1
    captured = capsys.readouterr()
    assert "3 payable lines, control total 2600.00" in captured.out
    assert "--confirm" in captured.err
    assert main(["payments", "approve", "2026-12", "--confirm", "2500.00"]) == 1
    assert PaymentRun.get(PaymentRun.period == "2026-12").state == "CALCULATED"
    capsys.readouterr()
    assert main(["payments", "approve", "2026-12", "--confirm", "2600.00"]) == 0
    assert "approved: run" in capsys.readouterr().out

    target = tmp_path / "december.xml"
    assert main(["payments", "disburse", "2026-12", "--format", "sepa", "--out", str(target)]) == 0
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.parse(str(target)))
    run = PaymentRun.get(PaymentRun.period == "2026-12")
    rows = [f"{a.reference},ACSC,{a.amount:.2f}," for a in attempts_of(run)]
    results = tmp_path / "results.csv"
    results.write_text("reference,status,amount,reason\n" + "\n".join(rows) + "\n")
    capsys.readouterr()
    assert main(["payments", "reconcile", str(run.id), str(results)]) == 0
    out = capsys.readouterr().out
    assert "3 rows: 3 paid, 0 failed" in out and "COMPLETED" in out
    # the completed run's statements are being written by the in-process worker: let it
    # finish before the next command takes the migration lock (under load the two met on
    # SQLite's write lock and the command waited past the test's timeout)
    wait_for_background_tasks()
    # a missing file is one line, never a traceback
    assert main(["payments", "reconcile", str(run.id), str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("econ: cannot read") and len(err.strip().splitlines()) == 1


def test_wrong_password_is_refused(world, monkeypatch):
    monkeypatch.setenv("ECON_USER", world.finance_user.email)
    monkeypatch.setenv("ECON_PASSWORD", "not the password")
    try:
        main(["payments", "run", "2026-12"])
    except SystemExit as exc:
        assert "econ:" in str(exc.code)
    else:
        raise AssertionError("a wrong password must stop the command")
    assert PaymentRun.select().count() == 0


def test_retry_and_followup_commands(world, monkeypatch, tmp_path, capsys):
    from econ.stipends import services as stipends
    from tests.stipends.conftest import line_of

    paid, held = world.participant(), world.participant(bank_account=None)
    for p in (paid, held):
        world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-12")))
    (attempt,) = attempts_of(run)
    stipends.import_results(
        world.finance, run.id, f"reference,status,amount\n{attempt.reference},RJCT,900.00\n"
    )
    _as(monkeypatch, world.finance_user)
    out = tmp_path / "retry.xml"
    line = line_of(run, paid)
    assert main(["payments", "retry", str(line.id), "--out", str(out)]) == 0
    assert f"attempt 2 (R{run.id}-L{line.id}-A2)" in capsys.readouterr().out
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.parse(str(out)))
    assert f"R{run.id}-L{line.id}-A2" in out.read_text()
    # a held line's retry is refused in one line (a follow-up run pays it)
    assert main(["payments", "retry", str(line_of(run, held).id), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("econ: ") and "follow-up" in err and len(err.splitlines()) == 1
    assert main(["payments", "followup", "2026-12"]) == 1
    assert "no held or failed line" in capsys.readouterr().err
    from econ.participants import services as participants
    from tests.support.people import unique_iban

    participants.update_participant(world.counselor, held.id, bank_account=unique_iban())
    assert main(["payments", "followup", "2026-12"]) == 0
    assert "follow-up run" in capsys.readouterr().out
