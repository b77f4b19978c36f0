"""Failed password checks slow down guessing without letting anyone lock someone else out.

Failures are counted per account *and client address* (both as keyed hashes; unknown
e-mails count too, so the answer never tells which accounts exist). The first
`FREE_FAILURES` in an hour cost nothing; after that each further attempt from that address
must wait `FIRST_DELAY`, doubling with every failure, at most `MAX_DELAY`, counted from the
last failure. A success from an address clears its count. So a guesser on one address gets
a handful of tries an hour, and her failures never delay the owner on another address.

Against guessing spread over many addresses, the failures of an account from all addresses
count too, with a larger allowance (`ACCOUNT_FREE_FAILURES`), but only for addresses that
have not signed in to that account successfully in the last `KNOWN_ADDRESS_DAYS`: the
owner's usual addresses are never slowed by strangers' guesses.

Each attempt is recorded as a failure *before* it is judged, and only attempts recorded
before it count: in a burst of simultaneous guesses, each sees those ahead of it, so no
more than the allowance reach the password check. A refused attempt is deleted (it did not
reach the check, so it does not lengthen the delay).
"""

from __future__ import annotations

import datetime as dt
import math

import peewee as pw

from econ.db import utcnow
from econ.errors import DomainError
from econ.security.crypto import keyed_hash
from econ.security.errors import SecurityCode
from econ.security.models import LoginAttempt

FREE_FAILURES = 5
ACCOUNT_FREE_FAILURES = 50
WINDOW = dt.timedelta(hours=1)
FIRST_DELAY = dt.timedelta(seconds=15)
MAX_DELAY = dt.timedelta(minutes=15)
KNOWN_ADDRESS_DAYS = 30


class Throttled(DomainError):
    def __init__(self, seconds: int):
        super().__init__(
            SecurityCode.TOO_MANY_ATTEMPTS,
            f"too many failed attempts: wait {seconds} seconds and try again",
        )
        self.seconds = seconds


def account_key(email: str) -> str:
    return keyed_hash((email or "").strip().lower()[:254])


def client_key(client: str) -> str:
    return keyed_hash(f"client:{client}")


def delay_after(failures: int, free: int) -> dt.timedelta:
    """The wait after `failures` counted failures when `free` of them cost nothing."""
    if failures < free:
        return dt.timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def _failures(condition, attempt_id: int | None) -> tuple[int, dt.datetime | None]:
    query = LoginAttempt.select(
        pw.fn.COUNT(LoginAttempt.id).alias("n"), pw.fn.MAX(LoginAttempt.at).alias("last")
    ).where(condition & (LoginAttempt.success == False))  # noqa: E712 - peewee expression
    if attempt_id is not None:
        query = query.where(LoginAttempt.id < attempt_id)
    row = query.dicts().get()
    last = row["last"]
    if isinstance(last, str):  # SQLite returns MAX() of a datetime column as text
        last = dt.datetime.fromisoformat(last)
    return row["n"], last


def _last_success(account: str, client: str) -> dt.datetime | None:
    row = (
        LoginAttempt.select(LoginAttempt.at)
        .where(
            (LoginAttempt.email_hash == account)
            & (LoginAttempt.client_hash == client)
            & (LoginAttempt.success == True)  # noqa: E712 - peewee expression
        )
        .order_by(LoginAttempt.at.desc())
        .first()
    )
    return row.at if row else None


def _wait(account: str, client: str, now: dt.datetime, attempt_id: int | None) -> dt.timedelta:
    success = _last_success(account, client)
    since = max(now - WINDOW, success) if success else now - WINDOW
    mine, last = _failures(
        (LoginAttempt.email_hash == account)
        & (LoginAttempt.client_hash == client)
        & (LoginAttempt.at > since),
        attempt_id,
    )
    wait = (last + delay_after(mine, FREE_FAILURES) - now) if last else dt.timedelta(0)
    known = success is not None and success > now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    if not known:
        everyone, last_any = _failures(
            (LoginAttempt.email_hash == account) & (LoginAttempt.at > now - WINDOW), attempt_id
        )
        if last_any:
            wait = max(wait, last_any + delay_after(everyone, ACCOUNT_FREE_FAILURES) - now)
    return wait


def begin(email: str, client: str, now: dt.datetime) -> LoginAttempt:
    """Record an attempt (as a failure until `succeeded`); Throttled if it must wait."""
    account, address = account_key(email), client_key(client)
    attempt = LoginAttempt.create(email_hash=account, client_hash=address, at=now, success=False)
    wait = _wait(account, address, now, attempt.id)
    if wait > dt.timedelta(0):
        LoginAttempt.delete().where(LoginAttempt.id == attempt.id).execute()
        raise Throttled(math.ceil(wait.total_seconds()))
    return attempt


def succeeded(attempt: LoginAttempt) -> None:
    LoginAttempt.update(success=True).where(LoginAttempt.id == attempt.id).execute()


def wait_seconds(email: str, client: str = "", now: dt.datetime | None = None) -> int:
    """How long the next attempt for this account from this address must wait (0: none)."""
    wait = _wait(account_key(email), client_key(client), now or utcnow(), None)
    return max(0, math.ceil(wait.total_seconds()))


def purge(now: dt.datetime) -> None:
    """Failures matter for an hour, successes (known addresses) for KNOWN_ADDRESS_DAYS."""
    LoginAttempt.delete().where(
        ((LoginAttempt.success == False) & (LoginAttempt.at < now - dt.timedelta(days=1)))  # noqa: E712
        | (LoginAttempt.at < now - dt.timedelta(days=KNOWN_ADDRESS_DAYS))
    ).execute()
