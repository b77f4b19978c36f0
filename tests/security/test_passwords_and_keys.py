"""Sessions and passwords (issue 14, item 9): wrong current passwords are throttled like
failed logins, failures slow only the address they come from, weak passwords and weak
production keys are refused."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from econ.config import MIN_KEY_BITS, ConfigError, key_entropy_bits, load_settings
from econ.db import utcnow
from econ.errors import DomainError
from econ.security import services, throttle
from econ.security.passwords import check_new_password
from tests.security.apps import LOGIN, app_with, client_at, gql
from tests.support.people import PASSWORD

CHANGE = (
    "mutation C($c: String!, $n: String!) { changePassword(input: "
    "{currentPassword: $c, newPassword: $n}) { errors { code message } } }"
)


def _sign_in(client, email: str, password: str) -> dict:
    return gql(client, LOGIN, {"e": email, "p": password}).json()["data"]["login"]


def test_wrong_current_passwords_count_toward_the_throttle(people):
    user, _ = people.counselor()
    with app_with() as app:
        thief, owner = client_at(app, "10.0.2.66"), client_at(app, "10.0.2.7")
        stolen = _sign_in(thief, user.email, PASSWORD)["token"]  # a session, not the password

        def change(current: str) -> list[dict]:
            body = gql(thief, CHANGE, {"c": current, "n": "a new long passphrase 7"}, stolen)
            return body.json()["data"]["changePassword"]["errors"]

        for i in range(throttle.FREE_FAILURES):
            assert [e["code"] for e in change(f"guess number {i}")] == ["INVALID_CREDENTIALS"]
        # The sixth guess waits, even if it is right: the session cannot guess faster than
        # a login could, and a login from the same address waits too.
        assert [e["code"] for e in change(PASSWORD)] == ["TOO_MANY_ATTEMPTS"]
        assert _sign_in(thief, user.email, PASSWORD)["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
        # The owner, elsewhere, is not kept out.
        assert _sign_in(owner, user.email, PASSWORD)["token"]


def test_an_attacker_cannot_lock_the_owner_out_from_elsewhere(people):
    user, _ = people.counselor()
    with app_with() as app:
        owner = client_at(app, "10.0.3.7")
        assert _sign_in(owner, user.email, PASSWORD)["token"]  # her usual address
        # Guessing from one address: five tries, then told to wait.
        attacker = client_at(app, "10.0.3.66")
        codes = [
            _sign_in(attacker, user.email, f"guess {i}")["errors"][0]["code"] for i in range(8)
        ]
        assert codes == ["INVALID_CREDENTIALS"] * 5 + ["TOO_MANY_ATTEMPTS"] * 3
        # Guessing from many addresses, a few each.
        for n in range(throttle.ACCOUNT_FREE_FAILURES + 5):
            spread = client_at(app, f"10.9.{n // 200}.{n % 200}")
            assert _sign_in(spread, user.email, "spread guess")["errors"]
        assert _sign_in(owner, user.email, PASSWORD)["token"]  # still in, at once
        newcomer = client_at(app, "10.0.3.99")  # an address the account never used: waits
        assert _sign_in(newcomer, user.email, PASSWORD)["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"


def test_unknown_accounts_are_throttled_like_known_ones(people):
    start = utcnow()
    for email in ("nobody@test.econ", people.counselor()[0].email):
        for i in range(throttle.FREE_FAILURES):
            with pytest.raises(DomainError) as failed:
                services.login(email, "wrong", now=start + dt.timedelta(seconds=i), client="x")
            assert failed.value.code == "INVALID_CREDENTIALS"
        with pytest.raises(throttle.Throttled) as waited:
            services.login(email, "wrong", now=start + dt.timedelta(seconds=5), client="x")
        assert waited.value.message == "too many failed attempts: wait 14 seconds and try again"


WEAK = {
    "ten spaces": " " * 10,
    "common": "password1234",
    "keyboard": "qwertyuiop12",
    "repeated": "aaaaaaaaaaaa",
    "her own name": "ana.ruiz.2026",
    "zero-width space": "correct\u200bhorse battery",
    "no-break space": "correct\u00a0horse battery",
    "control": "correct horse\tbattery",
    "direction mark": "correct horse battery\u202e",
    "too short": "Tr0ub4d!",
}


@pytest.mark.parametrize("name", sorted(WEAK))
def test_weak_passwords_are_refused(name):
    with pytest.raises(DomainError) as refused:
        check_new_password(WEAK[name], ["ana.ruiz@test.econ", "Ana Ruiz"])
    assert refused.value.code == "WEAK_PASSWORD"
    assert refused.value.field == "password"


def test_weak_passwords_are_refused_over_http(api, people):
    admin, _ = people.admin()
    checker, _ = people.admin()
    token = api.login(admin.email, PASSWORD)
    asked = api.ok(
        "requestLogin",
        {"email": "new@test.econ", "role": "FINANCE", "displayName": "Femi Adeyemi"},
        "request { id } enrolmentCode",
        token,
    )
    api.ok("approveLoginRequest", {"requestId": asked["request"]["id"]}, "", api.login(
        checker.email, PASSWORD
    ))  # fmt: skip
    redeem = (
        "mutation R($c: String!, $p: String!) { redeemLoginCode(input: {code: $c, "
        "password: $p}) { email errors { code message } } }"
    )
    code = asked["enrolmentCode"]
    for password in ("          ", "password1234", "femi adeyemi 1", "zero\u200bwidth spaces"):
        errors = api.post(redeem, {"c": code, "p": password})["data"]["redeemLoginCode"]
        assert [e["code"] for e in errors["errors"]] == ["WEAK_PASSWORD"], password
    user, _ = people.counselor()
    mine = api.login(user.email, PASSWORD)
    errors = api.post(CHANGE, {"c": PASSWORD, "n": "password1234"}, mine)["data"]
    assert [e["code"] for e in errors["changePassword"]["errors"]] == ["WEAK_PASSWORD"]
    good = api.post(redeem, {"c": code, "p": "violet tram under the bridge"})["data"]
    assert good["redeemLoginCode"] == {"email": "new@test.econ", "errors": []}


def _production(key: str) -> dict[str, str]:
    return {"ECON_ENV": "production", "ECON_SECRET_KEY": key, "ECON_DATA_DIR": "/nonexistent"}


@pytest.mark.parametrize("key", ["a" * 38, "ab" * 20, "abc" * 13, "0123456789" * 4])
def test_a_production_key_with_little_entropy_is_refused(key):
    assert len(key) >= 32  # long enough: only its entropy is wrong
    with pytest.raises(ConfigError) as refused:
        load_settings(_production(key))
    assert "entropy" in str(refused.value)


def test_weak_keys_in_a_production_key_ring_or_hash_key_are_refused():
    strong = secrets.token_urlsafe(48)
    env = {"ECON_ENV": "production", "ECON_DATA_DIR": "/nonexistent"}
    with pytest.raises(ConfigError) as ring:
        load_settings({**env, "ECON_SECRET_KEYS": f"new:{strong},old:{'o' * 40}",
                       "ECON_HASH_KEY": secrets.token_urlsafe(48)})  # fmt: skip
    assert "ECON_SECRET_KEYS key 'old' has too little entropy" in str(ring.value)
    with pytest.raises(ConfigError) as hashing:
        load_settings({**env, "ECON_SECRET_KEYS": f"new:{strong}", "ECON_HASH_KEY": "h" * 40})
    assert "ECON_HASH_KEY has too little entropy" in str(hashing.value)


def test_random_production_keys_are_accepted():
    for key in (secrets.token_urlsafe(32), secrets.token_hex(32), secrets.token_urlsafe(48)):
        assert key_entropy_bits(key) >= MIN_KEY_BITS
        assert load_settings(_production(key)).secret_key == key
