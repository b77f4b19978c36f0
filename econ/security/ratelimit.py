"""Request rate limits per client address, with counters every worker process shares.

The counting is the `limits` library's fixed-window strategy. Its counters live in Redis
when `ECON_RATE_LIMIT_URL` names one (redis://host:port/db), in process memory for
`memory://` (one process only: tests and a single-worker development server), and
otherwise in the database (`RateCounter`), so that several uvicorn workers of one
installation count together without any other service. Client addresses are stored only
as keyed hashes.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

import peewee as pw
from limits import parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from econ.config import get_settings
from econ.db import db
from econ.security.crypto import keyed_hash
from econ.security.models import RateCounter


class DatabaseStorage(Storage):
    """A `limits` storage on our own database: one row per key and window."""

    STORAGE_SCHEME = ["econ-database"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return pw.DatabaseError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        expired = RateCounter.expires_at <= now
        ends = math.ceil(now + expiry)  # whole seconds are precise enough for a window
        with db.atomic():
            RateCounter.insert(key=key, count=amount, expires_at=ends).on_conflict(
                conflict_target=[RateCounter.key],
                update={
                    RateCounter.count: pw.Case(
                        None, [(expired, amount)], RateCounter.count + amount
                    ),
                    RateCounter.expires_at: pw.Case(
                        None, [(expired, ends)], RateCounter.expires_at
                    ),
                },
            ).execute()
            return RateCounter.get(RateCounter.key == key).count

    def _row(self, key: str) -> RateCounter | None:
        row = RateCounter.get_or_none(RateCounter.key == key)
        return row if row is not None and row.expires_at > time.time() else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        return RateCounter.delete().execute()

    def clear(self, key: str) -> None:
        RateCounter.delete().where(RateCounter.key == key).execute()


@lru_cache(maxsize=4)
def _limiter(url: str) -> FixedWindowRateLimiter:
    storage = DatabaseStorage() if not url else storage_from_string(url)
    return FixedWindowRateLimiter(storage)


def purge_expired() -> int:
    """Delete database counters whose window has ended (run with the session purge)."""
    return RateCounter.delete().where(RateCounter.expires_at <= time.time()).execute()


def hit(bucket: str, client: str, rate: str) -> int | None:
    """Count one request of `client` in `bucket` against `rate` (e.g. "20/minute").

    None when it is allowed; otherwise the whole seconds until the window ends.
    """
    item = parse(rate)
    limiter = _limiter(get_settings().rate_limit_url)
    identity = keyed_hash(f"{bucket}:{client}")[:40]
    if limiter.hit(item, "econ", bucket, identity):
        return None
    reset_at = limiter.get_window_stats(item, "econ", bucket, identity).reset_time
    return min(item.get_expiry(), max(1, math.ceil(reset_at - time.time())))
