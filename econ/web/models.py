"""What the web pages keep per signed-in browser: when it was last used (idle timeout)."""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, utcnow
from econ.security.models import Session


class WebSession(BaseModel):
    """A session that signed in through the pages (cookie), beside the token's own row.

    The bearer-token API has no idle timeout; a browser left open on a shared phone does.
    """

    session = pw.ForeignKeyField(Session, unique=True, on_delete="CASCADE")
    last_seen_at = pw.DateTimeField(default=utcnow)
