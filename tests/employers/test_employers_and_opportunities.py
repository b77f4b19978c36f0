"""Employers' status rules, the EMPLOYER login link, opportunity validation and states."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.employers import services
from econ.employers.models import Employer, EmployerStatusChange, Opportunity
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.security import services as security
from econ.security.roles import SYSTEM
from tests.employers.conftest import make_employer, open_opportunity, opportunity_fields


def test_employer_login_needs_an_existing_employer(people):
    _, admin = people.admin()
    with pytest.raises(DomainError) as err:
        security.create_user(
            SYSTEM,
            email="e@x.org",
            password="long enough pass",
            role="EMPLOYER",
            employer=services.login_link(999),
        )
    assert (err.value.code, err.value.field) == ("INVALID_EMPLOYER", "employerId")
    employer = make_employer(admin)
    user = security.create_user(
        SYSTEM,
        email="e@x.org",
        password="long enough pass",
        role="EMPLOYER",
        employer=services.login_link(employer.id),
    )
    assert security.actor_for(user).employer_id == employer.id


def test_status_machine_prospect_active_suspended(people):
    _, admin = people.admin()
    _, counselor = people.counselor()
    unsigned = services.create_employer(admin, name="No Paper Ltd")
    assert unsigned.status == "PROSPECT"
    with pytest.raises(DomainError) as err:
        services.set_employer_status(admin, unsigned.id, "ACTIVE")
    assert err.value.code == "AGREEMENT_REQUIRED"
    employer = make_employer(admin, active=False)
    with pytest.raises(DomainError) as err:
        services.set_employer_status(admin, employer.id, "SUSPENDED")
    assert err.value.code == "INVALID_TRANSITION"  # a prospect is never suspended
    with pytest.raises(PermissionDenied):
        services.set_employer_status(counselor, employer.id, "ACTIVE")
    for status in ("ACTIVE", "SUSPENDED", "ACTIVE"):
        services.set_employer_status(admin, employer.id, status, "review")
    assert Employer.get_by_id(employer.id).status == "ACTIVE"
    moves = [
        (c.from_status, c.to_status)
        for c in EmployerStatusChange.select().order_by(EmployerStatusChange.id)
        if c.employer_id == employer.id
    ]
    assert moves == [("PROSPECT", "ACTIVE"), ("ACTIVE", "SUSPENDED"), ("SUSPENDED", "ACTIVE")]


def test_review_date_before_signing_is_rejected(people):
    _, admin = people.admin()
    with pytest.raises(DomainError) as err:
        services.create_employer(
            admin, name="X", agreement_signed_on="2026-02-01", agreement_review_on="2026-01-01"
        )
    assert err.value.field == "agreementReviewOn"
    assert Employer.select().count() == 0


@pytest.mark.parametrize(
    ("amount", "period", "hours", "ok"),
    [
        ("12.00", "HOURLY", 40, True),  # exactly the default minimum wage 12.00/h
        ("11.99", "HOURLY", 40, False),
        # 12.00 × 40 h × 52/12 weeks = 2080.00 a month
        ("2080.00", "MONTHLY", 40, True),
        ("2079.99", "MONTHLY", 40, False),
        # 12.00 × 20 × 52/12 = 1040.00
        ("1040.00", "MONTHLY", 20, True),
        ("1039.99", "MONTHLY", 20, False),
    ],
)
def test_pay_is_never_below_minimum_wage(people, amount, period, hours, ok):
    _, admin = people.admin()
    employer = make_employer(admin)
    fields = opportunity_fields(pay_amount=amount, pay_period=period, hours_per_week=hours)
    if ok:
        assert services.create_opportunity(admin, employer.id, **fields).pay_amount == (
            __import__("decimal").Decimal(amount)
        )
    else:
        with pytest.raises(DomainError) as err:
            services.create_opportunity(admin, employer.id, **fields)
        assert (err.value.code, err.value.field) == ("BELOW_MINIMUM_WAGE", "payAmount")
        assert Opportunity.select().count() == 0


def test_minimum_wage_follows_the_setting(people):
    from econ.settings.services import update_settings

    _, admin = people.admin()
    employer = make_employer(admin)
    update_settings(admin, {"minimum_wage_hourly": "14.00"})
    with pytest.raises(DomainError) as err:
        services.create_opportunity(admin, employer.id, **opportunity_fields(pay_amount="13.50"))
    assert err.value.code == "BELOW_MINIMUM_WAGE"


def test_opportunity_states_and_who_may_post(people):
    _, admin = people.admin()
    _, counselor = people.counselor()
    employer = make_employer(admin)
    other = make_employer(admin, name="Other Co")
    _, staff = people.employer(employer.id)
    # An employer posts only for itself: another company's id reads as unknown.
    with pytest.raises(NotFound):
        services.create_opportunity(staff, other.id, **opportunity_fields())
    draft = services.create_opportunity(counselor, employer.id, **opportunity_fields())
    assert draft.status == "DRAFT"
    opened = services.publish_opportunity(staff, draft.id)
    assert opened.status == "OPEN" and opened.published_at is not None
    with pytest.raises(DomainError) as err:
        services.publish_opportunity(staff, draft.id)
    assert err.value.code == "INVALID_TRANSITION"
    updated = services.update_opportunity(staff, draft.id, openings=2, title="Baker")
    assert (updated.openings, updated.title) == (2, "Baker")
    closed = services.close_opportunity(staff, draft.id)
    assert closed.status == "CLOSED"
    with pytest.raises(DomainError) as err:
        services.update_opportunity(staff, draft.id, openings=3)
    assert err.value.code == "INVALID_STATE"


def test_prospect_employer_drafts_but_cannot_publish(people):
    _, admin = people.admin()
    prospect = make_employer(admin, active=False)
    _, staff = people.employer(prospect.id)
    draft = services.create_opportunity(staff, None, **opportunity_fields())
    with pytest.raises(DomainError) as err:
        services.publish_opportunity(staff, draft.id)
    assert err.value.code == "EMPLOYER_NOT_ACTIVE"


def test_closing_date_in_the_past_is_rejected_and_expired_ones_close(people):
    _, admin = people.admin()
    employer = make_employer(admin)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    with pytest.raises(DomainError) as err:
        services.create_opportunity(admin, employer.id, **opportunity_fields(closes_on=yesterday))
    assert err.value.code == "DATE_IN_PAST"
    opened = open_opportunity(admin, employer.id, closes_on=dt.date.today())
    assert services.close_expired(dt.date.today()) == 0
    assert services.close_expired(dt.date.today() + dt.timedelta(days=1)) == 1
    assert Opportunity.get_by_id(opened.id).status == "CLOSED"


def test_visibility_of_opportunities_by_role(people):
    _, admin = people.admin()
    _, counselor = people.counselor()
    mine = make_employer(admin)
    theirs = make_employer(admin, name="Theirs")
    _, staff = people.employer(mine.id)
    own = open_opportunity(staff)
    other = open_opportunity(admin, theirs.id)
    draft = services.create_opportunity(admin, theirs.id, **opportunity_fields())
    assert [o.id for o in services.visible_opportunities(staff)] == [own.id]
    her = people.participant(counselor)
    _, she = people.participant_login(counselor, her)
    assert {o.id for o in services.visible_opportunities(she)} == {own.id, other.id}
    assert {o.id for o in services.visible_opportunities(counselor)} == {own.id, other.id, draft.id}
    with pytest.raises(NotFound):
        services.get_opportunity(staff, other.id)
    # Suspension hides even its own opportunities from the employer, and from her.
    services.set_employer_status(admin, mine.id, "SUSPENDED")
    assert list(services.visible_opportunities(staff)) == []
    assert [o.id for o in services.visible_opportunities(she)] == [other.id]


def test_skill_filter_matches_exact_keys(people):
    _, admin = people.admin()
    employer = make_employer(admin)
    baker = open_opportunity(admin, employer.id)
    cleaner = open_opportunity(
        admin,
        employer.id,
        title="Cleaner",
        required_skills=[{"key": "cleaning"}],
        optional_skills=[],
    )
    assert [o.id for o in services.visible_opportunities(admin, skill="cash-handling")] == [
        baker.id
    ]
    assert [o.id for o in services.visible_opportunities(admin, skill="cleaning")] == [cleaner.id]
    assert list(services.visible_opportunities(admin, skill="clean")) == []
