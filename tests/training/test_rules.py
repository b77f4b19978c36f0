"""The state machine table and the attendance-rate arithmetic, written once in rules.py."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from econ.training.rules import STATUSES, TRANSITIONS, attendance_rate

DOC = Path(__file__).resolve().parents[2] / "docs" / "training.md"


def test_every_status_has_a_row_and_terminal_states_have_no_exit():
    assert set(TRANSITIONS) == set(STATUSES)
    assert TRANSITIONS["COMPLETED"] == {} and TRANSITIONS["WITHDRAWN"] == {}


def test_the_documented_table_is_the_coded_table():
    # docs/training.md lists each move as a table row "| FROM | TO | how |".
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (\w+) \|", DOC.read_text(), re.MULTILINE)
    documented = {(a, b, how) for a, b, how in rows}
    coded = {(a, b, how) for a, moves in TRANSITIONS.items() for b, how in moves.items()}
    assert documented == coded


def test_attendance_rate_is_present_over_days_minus_excused():
    # 6 recorded days, 1 excused, 4 present: 4 / (6 - 1) = 0.8
    assert attendance_rate(4, 6, 1) == Decimal("0.8000")
    # 2 of 3: 0.66666... rounds half up to 0.6667
    assert attendance_rate(2, 3, 0) == Decimal("0.6667")
    # every recorded day excused: nothing to divide by
    assert attendance_rate(0, 2, 2) is None
    assert attendance_rate(0, 0, 0) is None
