"""The counselor's "today" (issue 17, page 1): every kind of item, only her caseload, the
API's answer over HTTP, and a statement count that does not grow with the caseload."""

from __future__ import annotations

from datetime import date

import pytest

from econ.employers.models import Consent
from econ.errors import PermissionDenied
from econ.outcomes import today as today_items
from econ.participants import services as participants
from econ.training.models import EnrollmentRequest
from tests.outcomes import build as b
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

AS_OF = date(2026, 6, 15)


def _everything_for(people, counselor, name: str = "Maria"):
    """One participant with one item of every kind (as of AS_OF)."""
    person = people.participant(counselor, preferred_name=name)
    participants.revise_plan(
        counselor, person.id, pathways=["EMPLOYMENT"], target_monthly_income="1400.00",
        milestones=[{"title": "Bank account", "category": "BANKING", "due_date": "2026-06-01"}],
    )  # fmt: skip
    coh = b.cohort(b.program(), date(2026, 7, 1), date(2026, 9, 30))
    EnrollmentRequest.create(cohort=coh, participant=person.id)
    asked = b.employer("Asked Ltd")
    b.referral(person, asked, "PROPOSED")  # no consent: ask her
    consented = b.employer("Consented Ltd")
    b.referral(person, consented, "PROPOSED")
    Consent.create(participant=person.id, employer=consented, scope="PROFILE", recorded_as="T")
    quiet = b.employer("Quiet Ltd")
    stale = b.referral(person, quiet, "SHARED", shared=date(2026, 5, 1))
    stale.updated_at = stale.shared_at
    stale.save()
    b.placement(person, b.employer("Hired Ltd"), date(2026, 4, 1), confirmed=())  # 30 d due
    sched = b.schedule(person, "2026-01", 12)
    held = b.line(sched, "2026-05")
    held.status, held.exception = "HELD", "NO_BANK_ACCOUNT"
    held.save()
    failed = b.line(sched, "2026-06")
    failed.status, failed.failure_reason = "FAILED", "AC04 account closed"
    failed.save()
    b.loan(person, b.group(counselor.user_id), date(2026, 4, 1), [(date(2026, 5, 1), "100.00")])
    return person


def test_every_kind_waits_for_her_counselor_and_nobody_else(people):
    _, counselor = people.counselor()
    _, other = people.counselor()
    maria = _everything_for(people, counselor)
    _everything_for(people, other, "Elsewhere")

    items = today_items.today(counselor, AS_OF)

    assert {i.participant.id for i in items} == {maria.id}
    by_kind = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    assert set(by_kind) == set(today_items.KINDS)
    assert [i.detail for i in by_kind["CONSENT_NEEDED"]] == ["Asked Ltd"]
    assert [i.detail for i in by_kind["REFERRAL_TO_SHARE"]] == ["Consented Ltd"]
    assert [i.detail for i in by_kind["REFERRAL_NO_REPLY"]] == ["Quiet Ltd"]
    assert [(i.detail, i.days) for i in by_kind["CHECKPOINT_DUE"]] == [("30", 45)]
    assert [i.detail for i in by_kind["PAYMENT_HELD"]] == ["NO_BANK_ACCOUNT"]
    assert [i.detail for i in by_kind["PAYMENT_FAILED"]] == ["AC04 account closed"]
    assert [i.days for i in by_kind["LOAN_IN_ARREARS"]] == [45]
    assert [(i.detail, i.days) for i in by_kind["MILESTONE_OVERDUE"]] == [("Bank account", 14)]
    assert [i.detail for i in by_kind["PLAN_NOT_AGREED"]] == ["1"]
    since = [i.since or date.min for i in items]
    assert since == sorted(since)  # the oldest first


def test_done_things_leave_today(people):
    _, counselor = people.counselor()
    maria = _everything_for(people, counselor)
    user, _ = people.participant_login(counselor, maria)
    from econ.security import services as security

    participants.agree_to_plan(security.actor_for(user), maria.id)
    EnrollmentRequest.update(status="ACCEPTED", pending_marker=None).execute()
    kinds = {i.kind for i in today_items.today(counselor, AS_OF)}
    assert "PLAN_NOT_AGREED" not in kinds and "ENROLMENT_REQUEST" not in kinds
    # four days after it was shared, the referral is not yet waiting for a follow-up
    assert "REFERRAL_NO_REPLY" not in {
        i.kind for i in today_items.today(counselor, date(2026, 5, 5))
    }


def test_only_a_counselor_has_a_today(people):
    for make in (people.admin, people.finance):
        with pytest.raises(PermissionDenied):
            today_items.today(make()[1], AS_OF)


def _statements(people, n: int) -> int:
    from tests.conftest import truncate_all

    truncate_all()
    _, counselor = people.counselor()
    for i in range(n):
        _everything_for(people, counselor, f"P{i:03d}")
    with count_queries() as counter:
        assert len(today_items.today(counselor, AS_OF)) == n * len(today_items.KINDS)
    return counter.count


def test_statement_count_does_not_grow_with_the_caseload(people):
    assert _statements(people, 3) == _statements(people, 15)


def test_over_http_with_kinds_and_enum_filters(api, people):
    user, counselor = people.counselor()
    _everything_for(people, counselor)
    token = api.login(user.email, PASSWORD)
    data = api.query(
        """{ counselorToday(asOf: "2026-06-15", kinds: [PAYMENT_HELD, LOAN_IN_ARREARS]) {
             edges { node { kind detail days amount { amount } participant { preferredName } } }
           } }""",
        None,
        token,
    )
    items = [edge["node"] for edge in data["counselorToday"]["edges"]]
    kinds = sorted(i["kind"] for i in items)
    assert kinds == ["LOAN_IN_ARREARS", "PAYMENT_HELD"]
    held = next(i for i in items if i["kind"] == "PAYMENT_HELD")
    assert held["amount"] == {"amount": "900.00"}

    found = api.query(
        "{ caseload(filter: {pathway: EMPLOYMENT, status: ACTIVE}) { totalCount } }", None, token
    )
    assert found["caseload"]["totalCount"] == 1
    none = api.query("{ caseload(filter: {pathway: EDUCATION}) { totalCount } }", None, token)
    assert none["caseload"]["totalCount"] == 0
    bogus = api.post('{ caseload(filter: {status: "bogus"}) { totalCount } }', None, token)
    assert bogus.get("errors") and not bogus.get("data")


def test_another_role_reads_no_today_over_http(api, people):
    user, _ = people.finance()
    token = api.login(user.email, PASSWORD)
    answer = api.post("{ counselorToday { edges { node { kind } } } }", None, token)
    assert answer.get("errors") and not (answer.get("data") or {}).get("counselorToday")
