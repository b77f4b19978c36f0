"""The `econ` command: serve, migrate, create-user, demo, and the domains' own commands.

A domain adds commands by providing `econ/<domain>/cli.py` with `register(subparsers)`.
Commands that act as a user take `--as EMAIL` (password prompted) or ECON_USER and
ECON_PASSWORD from the environment (`login_from_cli`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from econ.config import ConfigError, get_settings
from econ.db import db, init_database
from econ.errors import DomainError
from econ.plugins import optional_import
from econ.security.roles import SYSTEM, Actor

DOMAIN_CLIS = (
    "stipends",
    "microcredit",
    "statements",
    "outcomes",
    "security",
    "training",
    "employers",
)


def connect() -> None:
    """Bind the database and apply pending migrations (every command needs both)."""
    from econ.migrations import apply_all
    from econ.worker import ensure_configured

    init_database(get_settings())
    db.connect(reuse_if_open=True)
    apply_all()
    ensure_configured()


def login_from_cli(email: str | None) -> Actor:
    """Authenticate the person running a command; never act without credentials."""
    from econ.security import services

    email = email or os.environ.get("ECON_USER")
    if not email:
        raise SystemExit("say who you are: --as EMAIL (or set ECON_USER)")
    password = os.environ.get("ECON_PASSWORD") or getpass.getpass(f"password for {email}: ")
    try:
        _, user = services.login(email, password)
    except DomainError as exc:
        raise SystemExit(f"econ: {exc.message}") from None
    return services.actor_for(user)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "server:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from econ.migrations import apply_all, pending

    init_database(get_settings())
    todo = pending()
    apply_all(print)
    print(f"{len(todo)} migration(s) applied; database is up to date")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from econ.participants import services as participants
    from econ.security import services

    connect()
    password = args.password or os.environ.get("ECON_NEW_PASSWORD")
    if not password:
        password = getpass.getpass("password for the new user: ")
    # The operator at the console acts as the system administrator; a counselor's
    # participant login is created through the API by that counselor instead.
    participant_id = (
        participants.get_by_code(SYSTEM, args.participant).id if args.participant else None
    )
    user = services.create_user(
        SYSTEM if args.role != "PARTICIPANT" else _system_counselor_for(participant_id),
        email=args.email,
        password=password,
        role=args.role,
        participant_id=participant_id,
        employer_id=args.employer,
        display_name=args.name or "",
    )
    print(f"created {user.role} {user.email} (id {user.id})")
    return 0


def _system_counselor_for(participant_id: int | None) -> Actor:
    """The console links a participant login on behalf of her own counselor."""
    from econ.participants.models import Participant
    from econ.security.roles import Role

    participant = Participant.get_or_none(Participant.id == participant_id)
    if participant is None or participant.counselor_id is None:
        raise SystemExit("econ: that participant has no counselor to act for")
    return Actor(user_id=participant.counselor_id, role=Role.COUNSELOR)


def cmd_demo(args: argparse.Namespace) -> int:
    from econ import demo

    connect()
    demo.load(if_empty=args.if_empty)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="econ", description="econ service and tools")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(func=cmd_migrate)

    create = sub.add_parser("create-user", help="create a login")
    create.add_argument("--email", required=True)
    create.add_argument(
        "--role",
        required=True,
        choices=["ADMIN", "COUNSELOR", "FINANCE", "EMPLOYER", "PARTICIPANT"],
    )
    create.add_argument("--password", help="prompted when omitted (or ECON_NEW_PASSWORD)")
    create.add_argument("--participant", metavar="CODE", help="link a PARTICIPANT login")
    create.add_argument("--employer", type=int, metavar="ID", help="link an EMPLOYER login")
    create.add_argument("--name", help="display name")
    create.set_defaults(func=cmd_create_user)

    demo = sub.add_parser("demo", help="load the demo data set and print the demo logins")
    demo.add_argument("--if-empty", action="store_true", help="only when no user exists yet")
    demo.set_defaults(func=cmd_demo)

    for domain in DOMAIN_CLIS:
        module = optional_import(f"econ.{domain}.cli")
        if module is not None:
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"econ: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        where = f" ({exc.field})" if exc.field else ""
        print(f"econ: {exc.message}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
