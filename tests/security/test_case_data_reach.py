"""Record-level reach found by the schema audit: ADMIN has no case data (docs/foundation.md)."""

from __future__ import annotations

import pytest

from econ.errors import NotFound, PermissionDenied
from econ.stipends import services as stipends
from tests.support.people import PASSWORD


@pytest.fixture
def schedule(people):
    _, counselor = people.counselor()
    _, finance = people.finance()
    participant = people.participant(counselor)
    created = stipends.create_schedule(
        counselor, participant.id, monthly_amount="900.00", start_month="2026-01",
        duration_months=6,
    )  # fmt: skip
    return stipends.approve_schedule(finance, created.id)


def test_admin_cannot_read_stipend_schedules(people, schedule):
    _, admin = people.admin()
    with pytest.raises(NotFound):
        stipends.get_schedule(admin, schedule.id)
    with pytest.raises(PermissionDenied):
        stipends.schedules_of(admin, schedule.participant_id)


def test_admin_gets_null_and_forbidden_over_http(api, people, schedule):
    admin_user, _ = people.admin()
    token = api.login(admin_user.email, PASSWORD)
    body = api.post(
        "query Q($id: ID!, $p: ID!) { stipendSchedule(id: $id) { id monthlyAmount { amount } } "
        "participant(id: $p) { stipendSchedules { edges { node { id } } } } }",
        {"id": schedule.id, "p": schedule.participant_id},
        token,
    )
    assert body["data"]["stipendSchedule"] is None
    assert (
        body["data"]["participant"] is None
        or body["data"]["participant"]["stipendSchedules"] is None
    )
    assert {e["extensions"]["code"] for e in body.get("errors", [])} <= {"FORBIDDEN"}
