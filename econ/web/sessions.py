"""Browser sessions of the pages: the API's own opaque token in a cookie, CSRF, idle timeout.

The cookie holds the same bearer token `login` returns (so the allowlist, the audit and
every service rule apply unchanged); it is `HttpOnly`, `SameSite=Strict`, `Secure` in
production, and has no `Max-Age` (it ends with the browser). Every POST carries a CSRF
token derived from the session token (HMAC under the hash key), or, before signing in, from
a random pre-session cookie: a page on another site can neither read nor forge it. A page
session unused for longer than the role's idle time (program settings
`participant_idle_minutes`, `staff_idle_minutes`) is revoked on its next request.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass, field

import peewee as pw

from econ.db import db, request_connection, utcnow
from econ.participants import services as participants
from econ.security import services as security
from econ.security.crypto import keyed_hash
from econ.security.models import Session
from econ.security.roles import Actor, Role
from econ.settings.services import settings_of
from econ.web.models import WebSession

SESSION_COOKIE = "econ_session"
PRE_COOKIE = "econ_pre"  # before signing in: what the sign-in forms' CSRF token binds to
CSRF_FIELD = "csrf"
# How stale `last_seen_at` may get before a request rewrites it: the idle timeout is
# minutes long, so it may run up to this much late, and pages do not write on every view.
TOUCH_EVERY = dt.timedelta(seconds=60)


def cookie_options(production: bool) -> dict:
    """No max_age: a session cookie, gone when the browser closes."""
    return {"httponly": True, "samesite": "strict", "secure": production, "path": "/"}


def csrf_token(session_token: str | None, pre_token: str | None) -> str:
    """The value every form of this browser must send back."""
    basis = f"session|{session_token}" if session_token else f"pre|{pre_token or ''}"
    return keyed_hash("csrf|" + basis)[:40]


def csrf_valid(sent: str | None, session_token: str | None, pre_token: str | None) -> bool:
    if not sent or (not session_token and not pre_token):
        return False
    return hmac.compare_digest(sent, csrf_token(session_token, pre_token))


def new_pre_token() -> str:
    return secrets.token_urlsafe(24)


PAGE_SETTINGS = ("program_display_name", "quick_exit_url")


@dataclass(frozen=True)
class PageSession:
    actor: Actor | None
    expired: bool = False  # there was a session, and it ended by idling
    language: str | None = None  # a participant's preferred language (her pages speak it)
    settings: dict = field(default_factory=dict)  # the neutral name and the exit site


def idle_key(role: Role) -> str:
    return "participant_idle_minutes" if role == Role.PARTICIPANT else "staff_idle_minutes"


def resume(token: str | None, now: dt.datetime | None = None) -> PageSession:
    """The actor of a page request, and the settings every page shows; revokes the session
    if it idled too long. Runs in a worker thread, on the connection that thread keeps
    (econ.db.request_connection: opening one per page cost more than the check)."""
    now = now or utcnow()
    with request_connection():
        actor = security.authenticate(token, now) if token else None
        if actor is None:
            return PageSession(None, expired=bool(token), settings=settings_of(*PAGE_SETTINGS))
        values = settings_of(*PAGE_SETTINGS, idle_key(actor.role))
        page_settings = {key: values[key] for key in PAGE_SETTINGS}
        session = (
            Session.select(Session.id, WebSession.id.alias("seen"), WebSession.last_seen_at)
            .join(WebSession, pw.JOIN.LEFT_OUTER, on=(WebSession.session == Session.id))
            .where(Session.token_hash == keyed_hash(token))
            .dicts()
            .get()
        )
        seen_at = session["last_seen_at"]
        if seen_at is not None and now - seen_at > dt.timedelta(
            minutes=values[idle_key(actor.role)]
        ):
            Session.update(revoked_at=now, revoked_reason="idle").where(
                Session.id == session["id"]
            ).execute()
            return PageSession(None, expired=True, settings=page_settings)
        if seen_at is None:  # its first page; two at once must not collide
            WebSession.insert(
                session=session["id"], last_seen_at=now
            ).on_conflict_ignore().execute()
        elif now - seen_at > TOUCH_EVERY:  # one write a minute, not one a page
            WebSession.update(last_seen_at=now).where(WebSession.id == session["seen"]).execute()
        return PageSession(actor, language=_preferred_language(actor), settings=page_settings)


def _preferred_language(actor: Actor) -> str | None:
    if actor.role != Role.PARTICIPANT or actor.participant_id is None:
        return None
    return participants.preferred_language(actor.participant_id)


def end(token: str | None) -> None:
    """Revoke the session behind a cookie (sign out, quick exit). In a thread."""
    if token:
        with db.connection_context():
            security.logout(token)
