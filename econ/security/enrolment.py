"""One-time enrolment codes: the person who will use a login sets its password herself.

No creator ever sets or learns another person's password. A code is made when a login
(or a new code for a login) is requested, shown once to whoever requested it so she can
hand it over in person, and stored only as a keyed hash. It works once, only after a
second ADMIN approved its request (econ/security/grants.py), and only until it expires
(`ECON_ENROLMENT_CODE_HOURS` after the approval).

The API, for every page and mutation that hands over or redeems a code:

- `issue(request, issued_by) -> str`: a new code for a request (earlier unused codes of
  the same request stop working); the only time the code exists in clear.
- `activate(request, user_id, now)`: at approval, bind the request's codes to the login
  and start their expiry.
- `claim(code, client="", now=None) -> (LoginCode, User)`: the login a code enrols, or
  why not: NEEDS_APPROVAL while its request waits for the second person (said plainly,
  naming no one), INVALID_CODE for wrong, spent, expired, refused codes and deactivated
  logins alike; counted per client address like sign-ins.
- `enrol(row, user, password, now=None, sign_in_name=None) -> User`: spend the code, set
  the password (and a participant's sign-in name), end every session of that login.
- `redeem(code, password, client="", now=None) -> User`: `claim` then `enrol` for staff
  and employer logins (the GraphQL `redeemLoginCode`). A participant's code goes through
  `econ/participants/enrolment.py`, which checks her sign-in name first: one code, one
  table (`login_code`), one approval path for every role.
- `login_for_code(code, now=None) -> User | None`: which login a code would enrol (for a
  page that shows "you are setting the password of ..." before she chooses one).
"""

from __future__ import annotations

import datetime as dt
import secrets

from econ.config import get_settings
from econ.db import db, utcnow
from econ.errors import CommonCode, DomainError
from econ.security import audit, ratelimit
from econ.security.crypto import keyed_hash
from econ.security.errors import SecurityCode
from econ.security.models import LoginCode, LoginRequest, Session, User
from econ.security.passwords import check_new_password, hash_password
from econ.security.roles import Actor, Role

# Crockford's base32 without the letters people confuse (I, L, O, U): 16 characters in
# four groups are 80 bits, far beyond guessing at the sign-in rate limit.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP_LENGTH = 4, 4
_CONFUSED = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _normalise(code: str) -> str:
    """Upper case without spaces or dashes; letters read for digits are taken as them."""
    cleaned = "".join(ch for ch in (code or "")[:64] if ch.isalnum()).upper()
    return cleaned.translate(_CONFUSED)


def _hash(code: str) -> str:
    return keyed_hash("enrolment:" + _normalise(code))


def issue(request: LoginRequest, issued_by: int, now: dt.datetime | None = None) -> str:
    """A fresh code for `request`, e.g. "7KQ2-M9XD-4TRB-0HWE"; earlier unused ones end."""
    now = now or utcnow()
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    code = "-".join(chars[i : i + _GROUP_LENGTH] for i in range(0, len(chars), _GROUP_LENGTH))
    with db.atomic():
        LoginCode.update(used_at=now).where(
            (LoginCode.request == request.id) & LoginCode.used_at.is_null()
        ).execute()
        LoginCode.create(
            code_hash=_hash(code), request=request.id, issued_by=issued_by, issued_at=now
        )
    return code


def activate(request: LoginRequest, user_id: int, now: dt.datetime | None = None) -> None:
    """The request was approved: its codes now enrol `user_id`, for a limited time."""
    now = now or utcnow()
    hours = get_settings().enrolment_code_hours
    LoginCode.update(login=user_id, expires_at=now + dt.timedelta(hours=hours)).where(
        (LoginCode.request == request.id) & LoginCode.used_at.is_null()
    ).execute()


def _row(code: str) -> LoginCode | None:
    return LoginCode.get_or_none(LoginCode.code_hash == _hash(code))


def _usable(code: str, now: dt.datetime) -> LoginCode | None:
    row = _row(code)
    if row is None or row.used_at is not None or row.login is None:
        return None
    if row.expires_at is None or row.expires_at <= now:
        return None
    return row


def login_for_code(code: str, now: dt.datetime | None = None) -> User | None:
    row = _usable(code, now or utcnow())
    return User.get_or_none(User.id == row.login) if row else None


def _waiting(row: LoginCode | None) -> bool:
    """An unspent code whose request no second person has decided yet."""
    if row is None or row.used_at is not None or row.login is not None:
        return False
    request = LoginRequest.get_or_none(LoginRequest.id == row.request_id)
    return request is not None and request.status == "PENDING"


def claim(code: str, client: str = "", now: dt.datetime | None = None) -> tuple[LoginCode, User]:
    """The code and the login it enrols, before anything is changed.

    Counted per client address like sign-ins. A code whose request still waits for its
    second person says so (NEEDS_APPROVAL: whoever holds the code was handed it, and the
    answer names no one); wrong, spent, expired, refused codes and deactivated logins
    all read the same INVALID_CODE.
    """
    now = now or utcnow()
    wait = ratelimit.hit("login", client, get_settings().login_rate) if client else None
    if wait is not None:
        raise DomainError(SecurityCode.RATE_LIMITED, f"too many tries: try again in {wait} s")
    row = _row(code)
    if _waiting(row):
        audit.record(None, "redeem_enrolment_code", "User", "", outcome="pending")
        raise DomainError(
            SecurityCode.NEEDS_APPROVAL,
            "this sign-in is not approved yet: try the same code again later",
            "code",
        )
    row = _usable(code, now)
    user = User.get_or_none(User.id == row.login) if row else None
    if row is None or user is None or not user.active:
        audit.record(None, "redeem_enrolment_code", "User", "", outcome="failed")
        raise DomainError(
            CommonCode.INVALID_CODE,
            "this code is wrong, used, expired or not approved: ask for a new one",
            "code",
        )
    return row, user


def enrol(
    row: LoginCode,
    user: User,
    password: str,
    now: dt.datetime | None = None,
    *,
    sign_in_name: str | None = None,
) -> User:
    """Spend the code: `user` gets the password (and a participant her sign-in name),
    every session of hers ends. The caller checked the password (and the name)."""
    now = now or utcnow()
    changes: dict = {"password_hash": hash_password(password), "enrolled_at": now}
    if sign_in_name is not None:
        changes["sign_in_name"] = sign_in_name
    with db.atomic():
        spent = (
            LoginCode.update(used_at=now)
            .where((LoginCode.id == row.id) & LoginCode.used_at.is_null())
            .execute()
        )
        if spent != 1:  # a concurrent redemption won
            raise DomainError(CommonCode.INVALID_CODE, "this code was just used", "code")
        User.update(**changes).where(User.id == user.id).execute()
        Session.update(revoked_at=now, revoked_reason="enrolment").where(
            (Session.user == user.id) & Session.revoked_at.is_null()
        ).execute()
        audit.record(
            Actor(user.id, Role(user.role), user.email, user.participant_id, user.employer_id),
            "redeem_enrolment_code",
            "User",
            user.id,
            participant_id=user.participant_id,
            detail=f"role={user.role} request={row.request_id}",
        )
    return User.get_by_id(user.id)


def redeem(code: str, password: str, client: str = "", now: dt.datetime | None = None) -> User:
    """Set the password of the code's login, for signing in by its e-mail, and spend the
    code. (A participant who signs in by a name she chooses redeems hers on her start
    page: econ/participants/enrolment.py.)"""
    now = now or utcnow()
    row, user = claim(code, client, now)
    check_new_password(password, (user.email, user.display_name))
    return enrol(row, user, password, now)
