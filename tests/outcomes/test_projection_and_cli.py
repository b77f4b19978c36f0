"""The independence projection, and `econ outcomes report` from the command line."""

from __future__ import annotations

from decimal import Decimal

from econ.cli import main
from econ.outcomes.projection import months_at_target_in_a_row, project
from tests.outcomes.dataset import make
from tests.support.people import PASSWORD

TARGET = Decimal("1400.00")


def _months(**amounts: str) -> dict[str, Decimal]:
    return {k.replace("_", "-")[1:]: Decimal(v) for k, v in amounts.items()}


def test_reached_when_three_months_in_a_row_are_at_target():
    months = _months(m2026_03="1400.00", m2026_04="1500.00", m2026_05="1400.00")
    result = project(months, TARGET, "2026-06")
    assert (result.status, result.month) == ("REACHED", "2026-05")


def test_projected_from_a_run_at_target():
    months = _months(m2026_04="900.00", m2026_05="1450.00")
    # May at target, 1 in a row: 2 more months -> 2026-07
    assert project(months, TARGET, "2026-05").month == "2026-07"
    assert months_at_target_in_a_row(months, TARGET, "2026-05") == 1


def test_projected_from_a_rising_trend():
    # 800, 950, 1100: +150 a month; the line reaches 1400 two months after Apr (Jun:
    # 1100 + 2 x 150 = 1400), then Jul and Aug complete three in a row -> 2026-08
    months = _months(m2026_02="800.00", m2026_03="950.00", m2026_04="1100.00")
    result = project(months, TARGET, "2026-04")
    assert (result.status, result.month) == ("PROJECTED", "2026-08")


def test_not_yet_projectable_with_few_months_or_a_falling_trend():
    assert project(_months(m2026_03="900.00", m2026_04="1000.00"), TARGET, "2026-04").month is None
    falling = _months(m2026_02="1100.00", m2026_03="950.00", m2026_04="800.00")
    assert project(falling, TARGET, "2026-04").status == "NOT_YET_PROJECTABLE"
    assert project({}, TARGET, "2026-04").status == "NOT_YET_PROJECTABLE"


def test_a_gap_month_breaks_the_run():
    months = _months(m2026_02="1500.00", m2026_03="1500.00", m2026_05="1500.00")
    assert months_at_target_in_a_row(months, TARGET, "2026-05") == 1  # April is missing


def test_cli_writes_the_report_for_an_admin_only(people, monkeypatch, tmp_path, capsys):
    make(people)
    admin_user, _ = people.admin()
    monkeypatch.setenv("ECON_USER", admin_user.email)
    monkeypatch.setenv("ECON_PASSWORD", PASSWORD)
    out = tmp_path / "indicators.pdf"
    args = ["outcomes", "report", "--from", "2026-01-01", "--to", "2026-06-30", "--out", str(out)]
    assert main(args) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert f"wrote {out}" in capsys.readouterr().out
    finance_user, _ = people.finance()
    monkeypatch.setenv("ECON_USER", finance_user.email)
    other = tmp_path / "no.pdf"
    assert main([*args[:-1], str(other)]) == 1
    assert not other.exists()
