"""`econ payments ...` as the finance desk runs it (credentials from the environment)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from econ.cli import main
from econ.stipends.models import PaymentRun
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
    assert "[##############################] 3/3" in out
    assert "net              2600.00" in out  # 800 + 900 + 900
    assert "exceptions: 0" in out

    assert main(["payments", "approve", "2026-12"]) == 1  # the creator may not
    assert "creator" in capsys.readouterr().err
    _as(monkeypatch, world.finance2_user)
    assert main(["payments", "approve", "2026-12"]) == 0
    assert "payable     3 lines, 2600.00" in capsys.readouterr().out

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
