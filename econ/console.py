"""What every command shares: the database connection and the person at the console."""

from __future__ import annotations

import getpass
import os

from econ.config import get_settings
from econ.db import db, init_database
from econ.errors import DomainError
from econ.migrations import apply_all
from econ.security import services
from econ.security.roles import Actor
from econ.worker import ensure_configured


def connect() -> None:
    """Bind the database and apply pending migrations (every command needs both)."""
    init_database(get_settings())
    db.connect(reuse_if_open=True)
    apply_all()
    ensure_configured()


def login_from_cli(email: str | None) -> Actor:
    """Authenticate the person running a command; never act without credentials."""
    email = email or os.environ.get("ECON_USER")
    if not email:
        raise SystemExit("say who you are: --as EMAIL (or set ECON_USER)")
    password = os.environ.get("ECON_PASSWORD") or getpass.getpass(f"password for {email}: ")
    try:
        _, user = services.login(email, password)
    except DomainError as exc:
        raise SystemExit(f"econ: {exc.message}") from None
    return services.actor_for(user)
