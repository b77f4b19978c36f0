"""Login, throttling of failures, token expiry and revocation (service layer)."""

from __future__ import annotations

import datetime as dt

import pytest

from econ import logins
from econ.db import utcnow
from econ.errors import DomainError
from econ.security import grants, services, throttle
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


def test_failures_past_five_delay_the_next_try_more_and_more(people):
    user, _ = people.counselor()
    start = utcnow()
    for i in range(throttle.FREE_FAILURES):  # five free failures, one second apart
        with pytest.raises(DomainError) as failed:
            services.login(user.email, "bad password!", now=start + dt.timedelta(seconds=i))
        assert failed.value.code == "INVALID_CREDENTIALS"
    last = start + dt.timedelta(seconds=4)
    # Then each further try waits 15 s after the last failure, doubling with each failure;
    # even the right password is refused while it waits (and the refusal is not a failure).
    for wait in (15, 30, 60, 120):
        with pytest.raises(throttle.Throttled) as early:
            services.login(user.email, PASSWORD, now=last + dt.timedelta(seconds=wait - 1))
        assert early.value.code == "TOO_MANY_ATTEMPTS" and early.value.seconds == 1
        last = last + dt.timedelta(seconds=wait)
        with pytest.raises(DomainError) as failed:
            services.login(user.email, "bad password!", now=last)
        assert failed.value.code == "INVALID_CREDENTIALS"
    assert throttle.wait_seconds(user.email, now=last) == 240
    token, _ = services.login(user.email, PASSWORD, now=last + dt.timedelta(seconds=240))
    assert token
    # A success clears the count: five free failures again.
    after = last + dt.timedelta(seconds=241)
    for i in range(throttle.FREE_FAILURES):
        with pytest.raises(DomainError) as failed:
            services.login(user.email, "bad password!", now=after + dt.timedelta(seconds=i))
        assert failed.value.code == "INVALID_CREDENTIALS"
    assert AuditEntry.select().where(AuditEntry.outcome == "throttled").count() == 4


def test_the_longest_wait_is_fifteen_minutes_and_old_failures_stop_counting(people):
    user, _ = people.counselor()
    start = utcnow()
    for minute in range(12):  # one failure each time the wait has passed
        now = start + dt.timedelta(minutes=minute * 16)
        if minute * 16 >= 60:
            break
        with pytest.raises(DomainError):
            services.login(user.email, "bad password!", now=now)
    assert throttle.delay_after(40, throttle.FREE_FAILURES) == throttle.MAX_DELAY
    # Failures older than an hour no longer count.
    assert throttle.wait_seconds(user.email, now=start + dt.timedelta(minutes=48, hours=1)) == 0
    assert services.login(user.email, PASSWORD, now=start + dt.timedelta(hours=2))[0]


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
    request = grants.request_role_change(admin_actor, user.id, "FINANCE")
    logins.approve(people.admin()[1], request.id)
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
