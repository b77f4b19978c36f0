"""`econ statements generate|show` as staff run them (credentials from the environment)."""

from __future__ import annotations

from econ.cli import main
from econ.statements.models import Statement
from tests.stipends.conftest import World
from tests.support.people import PASSWORD

from .pdftext import text


def _as(monkeypatch, user) -> None:
    monkeypatch.setenv("ECON_USER", user.email)
    monkeypatch.setenv("ECON_PASSWORD", PASSWORD)


def test_generate_a_month_then_show_one(people, monkeypatch, tmp_path, capsys):
    w = World(people)
    ladies = [
        w.participant(preferred_name=name, preferred_language="fr") for name in ("Ana", "Bea")
    ]
    for lady in ladies:
        w.schedule(lady)
    w.paid_run("2026-03")
    _as(monkeypatch, w.finance_user)
    assert main(["statements", "generate", "2026-03"]) == 0
    out = capsys.readouterr().out
    assert "2/2" in out  # the progress bar's last state
    assert "2 statement(s) written for 2026-03" in out
    assert Statement.select().count() == 2

    statement = Statement.get(Statement.participant == ladies[1].id)
    target = tmp_path / "bea.pdf"
    _as(monkeypatch, w.counselor_user)
    assert main(["statements", "show", str(statement.id), "--out", str(target)]) == 0
    assert statement.sha256 in capsys.readouterr().out
    assert "Relevé de mars 2026" in text(target.read_bytes())

    assert main(["statements", "generate", "2026-03"]) == 1  # a counselor: not the whole month
    assert main(["statements", "generate", "2026-03", "--participant", ladies[0].code]) == 0
    assert "1 statement(s) written" in capsys.readouterr().out
    other_user, _ = people.counselor()
    _as(monkeypatch, other_user)
    assert main(["statements", "show", str(statement.id), "--out", str(target)]) == 1
    assert "not found" in capsys.readouterr().err
