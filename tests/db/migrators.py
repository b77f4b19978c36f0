"""A migrator process for the concurrency test: bind to a fresh database, wait, migrate."""

from __future__ import annotations

import os


def migrate_when_released(environ: dict[str, str], barrier, results) -> None:
    """Run in a child process: every child passes the barrier, then all migrate at once."""
    os.environ.update(environ)
    from econ.config import load_settings
    from econ.db import db, init_database
    from econ.migrations import apply_all

    init_database(load_settings())
    db.connect()
    barrier.wait(timeout=60)
    try:
        results.put(("ok", apply_all()))
    except Exception as exc:  # reported to the test, which fails with it
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.close()
