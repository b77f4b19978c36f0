"""The hand-built data set of the indicator tests (numerators and denominators are worked
out by hand in tests/outcomes/test_indicators.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tests.outcomes import build as b

START, END = date(2026, 1, 1), date(2026, 6, 30)


@dataclass
class World:
    c1: object
    c2: object
    c1_user: object
    e1: object
    e2: object
    p: dict = field(default_factory=dict)  # "P1".. -> Participant


def make(people) -> World:
    c1_user, c1 = people.counselor()
    _, c2 = people.counselor()
    w = World(c1, c2, c1_user, b.employer("Bakery"), b.employer("Laundry"))
    for n in range(1, 9):
        w.p[f"P{n}"] = people.participant(c2 if n == 8 else c1, preferred_name=f"P{n}")
    p = w.p
    cooking, cleaning = b.program("Cooking"), b.program("Cleaning")
    ck = b.cohort(cooking, date(2026, 1, 5), date(2026, 3, 31))
    cl = b.cohort(cleaning, date(2026, 2, 1), date(2026, 4, 30))
    # training
    e1 = b.completed(ck, p["P1"], date(2026, 3, 31))
    b.skill_gain(e1, date(2026, 2, 15))
    b.completed(ck, p["P2"], date(2026, 3, 31))
    e3 = b.completed(ck, p["P3"], date(2026, 3, 31), credential=False)
    b.skill_gain(e3, date(2026, 3, 1))
    b.withdrawn(ck, p["P4"], date(2026, 2, 20))
    b.withdrawn(ck, p["P5"], date(2026, 2, 1), seated=False)
    b.enrollment(ck, p["P6"], "ACTIVE")
    e7 = b.completed(cl, p["P7"], date(2026, 4, 30))
    b.skill_gain(e7, date(2026, 4, 1))
    b.completed(cl, p["P8"], date(2026, 7, 15))
    # employment
    b.placement(p["P1"], w.e1, date(2026, 4, 1), confirmed=(30, 90))
    b.placement(p["P2"], w.e1, date(2026, 2, 1), ended=date(2026, 3, 15), confirmed=(30,))
    b.placement(p["P3"], w.e2, date(2026, 1, 10), confirmed=(30, 90, 180))
    b.referral(p["P4"], w.e2, "SHARED", shared=date(2026, 3, 1))
    b.referral(p["P6"], w.e2, "SHARED", shared=date(2026, 7, 10))
    b.placement(p["P7"], w.e2, date(2025, 10, 1), confirmed=(30, 90, 180))
    b.placement(p["P8"], w.e1, date(2025, 11, 15), ended=date(2026, 1, 31), confirmed=(30,))
    # income and targets
    b.target(p["P1"], "1000.00")
    for month, amount in (("2026-03", "1200.00"), ("2026-04", "1100.00"), ("2026-05", "1300.00")):
        b.income(p["P1"], month, amount)
    for month in ("2025-10", "2025-11", "2025-12"):
        b.income(p["P2"], month, "2000.00")
    for month in ("2025-11", "2025-12", "2026-01"):
        b.income(p["P3"], month, "1500.00")
    for month, amount in (("2026-04", "1500.00"), ("2026-05", "1500.00"), ("2026-06", "1800.00")):
        b.income(p["P7"], month, amount)
    b.income(p["P8"], "2026-04", "900.00")
    b.income(p["P8"], "2026-06", "600.00")
    b.income(p["P8"], "2026-05", "5000.00", verified=False)  # unverified: never counted
    # stipends
    s7 = b.schedule(p["P7"], "2026-01", 12)
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        b.line(s7, month)
    s1 = b.schedule(p["P1"], "2026-02", 12)
    for month in ("2026-02", "2026-03", "2026-04"):
        b.line(s1, month)
    b.line(s1, "2026-05", net="0.00", taper="900.00", uses=False)
    # loans
    g = b.group(c1.user_id)
    l1 = b.loan(
        p["P1"],
        g,
        date(2026, 1, 15),
        [(date(2026, 2, 15), "300.00"), (date(2026, 3, 15), "300.00")],
        state="REPAID",
    )
    b.repay(l1, date(2026, 2, 15), "300.00")
    b.repay(l1, date(2026, 3, 10), "300.00")
    l2 = b.loan(
        p["P2"],
        g,
        date(2026, 2, 1),
        [(date(2026, 3, 1), "200.00"), (date(2026, 4, 1), "200.00"), (date(2026, 5, 1), "200.00")],
    )
    b.repay(l2, date(2026, 3, 1), "200.00")

    b.loan(
        p["P3"],
        g,
        date(2025, 10, 1),
        [(date(2025, 11, 1), "500.00")],
        state="WRITTEN_OFF",
        written_off_at=datetime(2026, 5, 20),
    )
    l4 = b.loan(
        p["P7"],
        g,
        date(2026, 5, 1),
        [(date(2026, 6, 1), "100.00"), (date(2026, 7, 1), "100.00"), (date(2026, 8, 1), "100.00")],
    )
    b.repay(l4, date(2026, 6, 1), "100.00")
    b.loan(
        p["P4"],
        g,
        date(2026, 4, 1),
        [(date(2026, 5, 1), "250.00"), (date(2026, 6, 1), "250.00"), (date(2026, 7, 1), "250.00")],
    )
    # re-entries
    b.status_change(p["P4"], "ACTIVE", "EXITED", date(2026, 2, 25))
    b.status_change(p["P4"], "EXITED", "ACTIVE", date(2026, 4, 1))
    b.status_change(p["P5"], "GRADUATED", "ACTIVE", date(2025, 12, 1))
    b.status_change(p["P6"], "ACTIVE", "EXITED", date(2026, 3, 15))
    b.status_change(p["P6"], "EXITED", "ACTIVE", date(2026, 5, 15))
    return w
