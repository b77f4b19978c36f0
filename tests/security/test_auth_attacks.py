"""Attacks on authentication: concurrent guessing, token guessing, revocation over HTTP,
and whether login timing tells known e-mails from unknown ones."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import statistics
import threading
import time

import pytest
import time_machine

from econ.db import db, utcnow
from econ.errors import DomainError
from econ.security import passwords, services, throttle
from econ.security.crypto import keyed_hash
from econ.security.models import LoginAttempt, Session
from tests.support.people import PASSWORD

GUESSERS = 12


def _guess_at_once(email: str, passwords_to_try: list[str]) -> list[str]:
    """Each password from its own thread and connection, released together."""
    barrier = threading.Barrier(len(passwords_to_try))
    outcomes: list[str] = []

    def guess(password: str) -> None:
        barrier.wait()
        with db.connection_context():
            try:
                services.login(email, password)
                outcomes.append("ok")
            except DomainError as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # recorded, so the assertion shows what went wrong
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=guess, args=(p,)) for p in passwords_to_try]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _evaluated_guesses(email: str) -> int:
    """Guesses that reached the password check (a refusal while locked is not recorded)."""
    return (
        LoginAttempt.select()
        .where((LoginAttempt.email_hash == keyed_hash(email)) & (LoginAttempt.success == False))  # noqa: E712
        .count()
    )


def test_the_throttle_holds_under_concurrent_guessing(people):
    # The clock stands still: on a loaded machine twelve argon2 checks can outlast the
    # first 15 s delay, and the test is about how guesses interleave, not about the clock.
    with time_machine.travel(utcnow(), tick=False):
        _concurrent_guessing(people)


def _concurrent_guessing(people) -> None:
    user, _ = people.counselor()
    wrong = [f"wrong guess {i:02d}" for i in range(GUESSERS)]
    first = _guess_at_once(user.email, wrong)
    assert set(first) <= {"INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"}, first
    # However the guesses interleave, no more than the five free ones reach the password
    # check; the rest are told to wait.
    assert _evaluated_guesses(user.email) <= throttle.FREE_FAILURES
    assert first.count("TOO_MANY_ATTEMPTS") >= GUESSERS - throttle.FREE_FAILURES
    assert throttle.wait_seconds(user.email) > 0
    second = _guess_at_once(user.email, [*wrong[: GUESSERS - 1], PASSWORD])
    assert "ok" not in second  # the right password waits too
    assert _evaluated_guesses(user.email) <= throttle.FREE_FAILURES


def test_tokens_are_long_random_distinct_and_stored_hashed(people):
    user, _ = people.counselor()
    tokens = [services.login(user.email, PASSWORD)[0] for _ in range(50)]
    assert len(set(tokens)) == 50
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) >= 32  # 256 bits from secrets.token_urlsafe(32)
    stored = {s.token_hash for s in Session.select()}
    assert not stored & set(tokens)
    # Guessing: random tokens of the same shape, and real ones one character off.
    guesses = [secrets.token_urlsafe(32) for _ in range(200)]
    guesses += [t[:-1] + ("A" if t[-1] != "A" else "B") for t in tokens]
    assert all(services.authenticate(g) is None for g in guesses)


def test_tokens_expire(people):
    user, _ = people.counselor()
    token, _ = services.login(user.email, PASSWORD)
    session = Session.get(Session.token_hash == keyed_hash(token))
    assert services.authenticate(token, now=session.expires_at - dt.timedelta(seconds=1))
    assert services.authenticate(token, now=session.expires_at) is None


def _me(api, token):
    return api.post("{ me { id } }", None, token)["data"]["me"]


def test_logout_password_change_and_role_change_kill_tokens_over_http(api, people):
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    user, _ = people.counselor()
    a, b, c = (api.login(user.email, PASSWORD) for _ in range(3))
    api.post("mutation { logout { errors { code } } }", None, a)
    assert _me(api, a) is None and _me(api, b) is not None
    api.ok(
        "changePassword",
        {"currentPassword": PASSWORD, "newPassword": "another long password"},
        "",
        b,
    )
    assert _me(api, b) is None and _me(api, c) is None
    d = api.login(user.email, "another long password")
    asked = api.ok(
        "requestRoleChange", {"userId": str(user.id), "role": "FINANCE"}, "request { id }", admin
    )
    checker, _ = people.admin()
    checker_token = api.login(checker.email, PASSWORD)
    api.ok("approveLoginRequest", {"requestId": asked["request"]["id"]}, "", checker_token)
    assert _me(api, d) is None


@pytest.fixture
def real_argon2(monkeypatch):
    """Production-like hashing cost (the suite runs with the cheapest), so a path that
    skipped the hash would stand out by tens of milliseconds."""
    monkeypatch.setattr(passwords, "hasher", lambda: passwords._hasher(2, 32 * 1024))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


def _timed_login(email: str) -> float:
    start = time.perf_counter()
    with pytest.raises(DomainError):
        services.login(email, "a wrong password here")
    return time.perf_counter() - start


def test_login_time_does_not_tell_known_from_unknown_emails(people, real_argon2):
    known = [people.counselor()[0].email for _ in range(20)]  # one wrong guess each
    unknown = [f"nobody{i}@test.econ" for i in range(20)]
    _timed_login("warm-up@test.econ")
    times_known, times_unknown = [], []
    for k, u in zip(known, unknown, strict=True):  # interleaved: load affects both alike
        times_known.append(_timed_login(k))
        times_unknown.append(_timed_login(u))
    # Compared as distributions, loosely: the share of pairs where a known e-mail took
    # longer is near 1/2 when both paths hash alike, near 1 if unknown ones skipped it.
    longer = sum(k > u for k in times_known for u in times_unknown) / (20 * 20)
    ratio = statistics.median(times_known) / statistics.median(times_unknown)
    print(f"\nlogin timing: P(known > unknown) = {longer:.2f}, median ratio {ratio:.2f}")
    assert 0.05 < longer < 0.95
    assert 0.5 < ratio < 2.0


def test_a_throttled_address_does_not_keep_the_owner_out_elsewhere(people):
    user, _ = people.counselor()
    start = utcnow()
    for i in range(throttle.FREE_FAILURES + 3):
        with pytest.raises(DomainError):
            services.login(
                user.email, f"wrong {i}", now=start + dt.timedelta(seconds=i), client="10.6.6.6"
            )
    later = start + dt.timedelta(seconds=10)
    with pytest.raises(throttle.Throttled):
        services.login(user.email, PASSWORD, now=later, client="10.6.6.6")
    token, _ = services.login(user.email, PASSWORD, now=later, client="10.1.1.1")
    assert services.authenticate(token, now=later)
