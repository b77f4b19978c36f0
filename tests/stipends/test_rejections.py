"""A second FINANCE user refuses a pending award or adjustment: never paid, never by its
author, decided once (econ/stipends/decisions.py)."""

from __future__ import annotations

import pytest

from econ.errors import DomainError, NotFound, PermissionDenied
from econ.security.models import AuditEntry
from econ.stipends import services as stipends
from tests.stipends.conftest import d, line_of


def _pending(world, p):
    award = stipends.create_manual_award(world.finance, p.id, "100.00", "bonus")
    adjustment = stipends.create_adjustment(
        world.finance, p.id, period="2026-01", amount="40.00", reason="bus pass"
    )
    return award, adjustment


@pytest.mark.parametrize("kind", ["award", "adjustment"])
def test_a_rejected_amount_is_never_paid_and_only_another_person_rejects_it(world, kind):
    p = world.participant()
    world.schedule(p)
    award, adjustment = _pending(world, p)
    reject = stipends.reject_award if kind == "award" else stipends.reject_adjustment
    record = award if kind == "award" else adjustment
    with pytest.raises(PermissionDenied):
        reject(world.finance, record.id, "my own")  # she entered it
    rejected = reject(world.finance2, record.id, "no receipt")
    assert (rejected.state, rejected.approved_by) == ("REJECTED", world.finance2.user_id)
    with pytest.raises(DomainError) as again:
        reject(world.finance2, record.id, "twice")
    assert again.value.code == "INVALID_TRANSITION"
    with pytest.raises(NotFound):
        reject(world.finance2, 999_999, "nothing")
    action = "reject_incentive_award" if kind == "award" else "reject_adjustment"
    entry = AuditEntry.get(AuditEntry.action == action)
    assert (entry.participant_id, entry.detail) == (p.id, "no receipt")
    approve = stipends.approve_award if kind == "award" else stipends.approve_adjustment
    with pytest.raises(DomainError):  # a rejected amount cannot be approved afterwards
        approve(world.finance2, record.id)
    # The other amount, approved, is paid; the rejected one is not.
    if kind == "award":
        stipends.approve_adjustment(world.finance2, adjustment.id)
    else:
        stipends.approve_award(world.finance2, award.id)
    line = line_of(world.calculate("2026-01"), p)
    assert (line.incentives, line.adjustments) == (
        (d("0.00"), d("40.00")) if kind == "award" else (d("100.00"), d("0.00"))
    )
