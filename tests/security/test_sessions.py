"""Login, lockout, token expiry and revocation (service layer)."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.db import utcnow
from econ.errors import DomainError
from econ.security import services
from econ.security.models import AuditEntry, Session
from tests.support.people import PASSWORD


def test_login_returns_an_opaque_token_stored_only_as_a_hash(people):
    user, _ = people.counselor()
    token, logged_in = services.login(user.email, PASSWORD)
    assert logged_in.id == user.id
    assert len(token) >= 40
    stored = Session.get(Session.user == user.id)
    assert token not in stored.token_hash and stored.token_hash != token
    assert services.authenticate(token).user_id == user.id


def test_wrong_password_and_unknown_email_fail_alike(people):
    user, _ = people.counselor()
    with pytest.raises(DomainError) as wrong:
        services.login(user.email, "not the password")
    with pytest.raises(DomainError) as unknown:
        services.login("nobody@test.econ", "whatever password")
    assert wrong.value.code == unknown.value.code == "INVALID_CREDENTIALS"
    assert wrong.value.message == unknown.value.message
    outcomes = [e.outcome for e in AuditEntry.select().where(AuditEntry.action == "login")]
    assert outcomes == ["failed", "failed"]


def test_five_failures_in_fifteen_minutes_lock_the_account_for_fifteen_minutes(people):
    user, _ = people.counselor()
    start = utcnow()
    for minute in range(5):
        with pytest.raises(DomainError):
            services.login(user.email, "bad password!", now=start + dt.timedelta(minutes=minute))
    locked_at = start + dt.timedelta(minutes=5)
    # The right password is refused while locked...
    with pytest.raises(DomainError):
        services.login(user.email, PASSWORD, now=locked_at)
    assert services.locked_until(user.email, locked_at) == start + dt.timedelta(minutes=19)
    # ...and accepted once 15 minutes have passed since the fifth failure.
    token, _ = services.login(user.email, PASSWORD, now=start + dt.timedelta(minutes=19, seconds=1))
    assert token
    assert AuditEntry.select().where(AuditEntry.outcome == "locked").count() == 1


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(people):
    user, _ = people.counselor()
    start = utcnow()
    for minute in (0, 4, 8, 12, 16):
        with pytest.raises(DomainError):
            services.login(user.email, "bad password!", now=start + dt.timedelta(minutes=minute))
    assert services.locked_until(user.email, start + dt.timedelta(minutes=17)) is None
    assert services.login(user.email, PASSWORD, now=start + dt.timedelta(minutes=17))[0]


def test_token_expires(people):
    user, _ = people.counselor()
    now = utcnow()
    token, _ = services.login(user.email, PASSWORD, now=now)
    assert services.authenticate(token, now=now + dt.timedelta(hours=11)) is not None
    assert services.authenticate(token, now=now + dt.timedelta(hours=12, seconds=1)) is None


def test_logout_password_change_and_role_change_revoke_tokens(people):
    _, admin_actor = people.admin()
    user, actor = people.counselor()
    first, _ = services.login(user.email, PASSWORD)
    services.logout(first)
    assert services.authenticate(first) is None

    second, _ = services.login(user.email, PASSWORD)
    services.change_password(actor, PASSWORD, "a brand new password")
    assert services.authenticate(second) is None

    third, _ = services.login(user.email, "a brand new password")
    services.set_user_role(admin_actor, user.id, "FINANCE")
    assert services.authenticate(third) is None
    fourth, _ = services.login(user.email, "a brand new password")
    assert services.authenticate(fourth).role.value == "FINANCE"


def test_deactivated_user_cannot_use_her_token(people):
    _, admin = people.admin()
    user, _ = people.finance()
    token, _ = services.login(user.email, PASSWORD)
    services.set_user_active(admin, user.id, False)
    assert services.authenticate(token) is None
    with pytest.raises(DomainError):
        services.login(user.email, PASSWORD)


def test_garbage_tokens_are_rejected(people):
    assert services.authenticate("") is None
    assert services.authenticate("x" * 5000) is None
    assert services.authenticate("not-a-token") is None
